#include "core/tune/studystore.h"

#include "core/tune/studybackend.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>

#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

namespace trainscope {

namespace study {

double now() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

std::string hostName() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0) return "localhost";
    return buf;
}

std::string newToken() {
    // Seeded once a process from the OS; forked children reseed (their pid differs), so two
    // workers forked from one parent never share a token stream.
    thread_local pid_t seededFor = 0;
    thread_local std::mt19937_64 rng;
    if (seededFor != getpid()) {
        std::random_device rd;
        std::seed_seq seq{rd(), rd(), rd(), rd(), static_cast<unsigned>(getpid())};
        rng.seed(seq);
        seededFor = getpid();
    }
    static const char *hex = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 2; ++i) {
        uint64_t v = rng();
        for (int k = 0; k < 16; ++k, v >>= 4)
            out += hex[v & 15];
    }
    return out;
}

std::string paramsToJson(const Assignment &params) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto &[name, value] : params) {
        if (const auto *b = std::get_if<bool>(&value)) {
            j[name] = *b;
        } else if (const auto *i = std::get_if<int64_t>(&value)) {
            j[name] = *i;
        } else if (const auto *d = std::get_if<double>(&value)) {
            if (std::isfinite(*d))
                j[name] = *d;
            else
                j[name] = {{"float", std::isnan(*d) ? "nan" : (*d > 0 ? "inf" : "-inf")}};
        } else {
            j[name] = std::get<std::string>(value);
        }
    }
    return j.dump();
}

Assignment paramsFromJson(const std::string &text) {
    const nlohmann::json j = nlohmann::json::parse(text);
    if (!j.is_object()) throw std::runtime_error("params is not a JSON object");
    Assignment params;
    for (const auto &[name, v] : j.items()) {
        if (v.is_boolean()) {
            params[name] = v.get<bool>();
        } else if (v.is_number_integer()) {
            params[name] = v.get<int64_t>();
        } else if (v.is_number_float()) {
            params[name] = v.get<double>();
        } else if (v.is_string()) {
            params[name] = v.get<std::string>();
        } else if (v.is_object() && v.contains("float") && v["float"].is_string()) {
            const std::string s = v["float"].get<std::string>();
            const double inf = std::numeric_limits<double>::infinity();
            params[name] = s == "inf"    ? inf
                           : s == "-inf" ? -inf
                                         : std::numeric_limits<double>::quiet_NaN();
        } else {
            throw std::runtime_error("parameter \"" + name + "\" has an unsupported JSON type");
        }
    }
    return params;
}

void putValue(Trial &t, long long epoch, double value) {
    if (epoch < 1) return;
    if (static_cast<size_t>(epoch) > t.values.size())
        t.values.resize(static_cast<size_t>(epoch), std::numeric_limits<double>::quiet_NaN());
    t.values[static_cast<size_t>(epoch - 1)] = value;
}

bool abandoned(const std::string &owner, const std::string &worker, const std::string &host) {
    // Only processes on this host can be checked; a pid that cannot be signalled for lack of
    // permission (EPERM) still exists, so only ESRCH counts as gone.
    if (owner.empty()) return true;
    if (owner == worker) return false;
    const size_t colon = owner.rfind(':');
    if (colon == std::string::npos || owner.substr(0, colon) != host) return false;
    const std::string pidText = owner.substr(colon + 1);
    if (pidText.empty() || pidText.find_first_not_of("0123456789") != std::string::npos ||
        pidText.size() > 9)
        return false;
    const pid_t pid = static_cast<pid_t>(std::stol(pidText));
    if (pid <= 0) return false;
    return kill(pid, 0) != 0 && errno == ESRCH;
}

std::string staleError(const std::string &worker, double silentSeconds) {
    return "heartbeat lost: " + (worker.empty() ? std::string("its worker") : worker) +
           " silent for " + std::to_string(static_cast<long long>(std::floor(silentSeconds))) +
           " s";
}

std::string lateResultError(int trialId) {
    return "trial " + std::to_string(trialId) +
           " was failed for a lost heartbeat (a retry runs it again): its result is not kept";
}

void fillNewTrial(Trial &t, int id) {
    t.id = id;
    t.status = TrialStatus::Running;
    // A RUNNING trial without a worker counts as abandoned (reclaimAbandoned), so it is
    // always owned by someone: by default, this process.
    if (t.worker.empty()) t.worker = currentWorkerName();
    if (t.startedAt == 0) t.startedAt = now();
    t.retriedFrom = 0;
}

Trial retryOf(const Trial &failed, const std::string &worker, int id) {
    Trial t;
    t.params = failed.params;
    t.epochs = failed.epochs;
    t.continueFrom = failed.continueFrom;
    t.bracket = failed.bracket;
    t.rung = failed.rung;
    t.worker = worker;
    fillNewTrial(t, id);
    t.retriedFrom = failed.id;
    return t;
}

} // namespace study

StudyStore::StudyStore(const std::string &location, WaitNotice notice)
    : StudyStore(location, kDefaultStudyName, std::move(notice)) {}

StudyStore::StudyStore(const std::string &location, const std::string &studyName, WaitNotice notice)
    : m_backend(isPostgresLocation(location)
                    ? openPostgresStudy(location, studyName, std::move(notice))
                    : openSqliteStudy(location, std::move(notice))) {}

StudyStore::~StudyStore() = default;

bool StudyStore::isPostgresLocation(const std::string &location) {
    return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

std::string StudyStore::path() const {
    return m_backend->path();
}

std::string StudyStore::studyName() const {
    return m_backend->studyName();
}

void StudyStore::setValue(const std::string &key, const std::string &value) {
    m_backend->setValue(key, value);
}

std::optional<std::string> StudyStore::value(const std::string &key) const {
    return m_backend->value(key);
}

std::optional<Trial> StudyStore::createTrial(
    const std::function<std::optional<Trial>(const std::vector<Trial> &)> &decide) {
    return m_backend->createTrial(decide);
}

void StudyStore::reportValue(int trialId, int epoch, double value) {
    if (epoch < 1)
        throw std::runtime_error(path() + ": trial " + std::to_string(trialId) + ": epoch " +
                                 std::to_string(epoch) + " (epochs count from 1)");
    m_backend->reportValue(trialId, epoch, value);
}

void StudyStore::updateTrial(const Trial &trial) {
    m_backend->updateTrial(trial);
}

std::vector<Trial> StudyStore::trials() const {
    return m_backend->trials(std::nullopt);
}

std::optional<Trial> StudyStore::trial(int id) const {
    std::vector<Trial> found = m_backend->trials(id);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

std::vector<Trial> StudyStore::reclaimAbandoned(const std::string &worker) {
    return m_backend->reclaimAbandoned(worker);
}

std::vector<int> StudyStore::heartbeat(const std::vector<int> &trialIds) {
    if (trialIds.empty()) return {};
    return m_backend->heartbeat(trialIds);
}

std::vector<Trial> StudyStore::failStale(double graceSeconds) {
    return m_backend->failStale(graceSeconds);
}

std::optional<Trial> StudyStore::retryTrial(const Trial &failed, const std::string &worker) {
    return m_backend->retryTrial(failed, worker.empty() ? currentWorkerName() : worker);
}

std::string currentWorkerName() {
    return study::hostName() + ":" + std::to_string(getpid());
}

} // namespace trainscope

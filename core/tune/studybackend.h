// Private to core/tune: what a study backend (SQLite, PostgreSQL) does behind StudyStore, and
// the encodings and rules both share, so the two keep one meaning.
#pragma once

#include "core/tune/studystore.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace trainscope {

using DecideTrial = std::function<std::optional<Trial>(const std::vector<Trial> &)>;

class StudyBackend {
public:
    virtual ~StudyBackend() = default;
    virtual std::string path() const = 0;
    virtual std::string studyName() const = 0;
    virtual void setValue(const std::string &key, const std::string &value) = 0;
    virtual std::optional<std::string> value(const std::string &key) = 0;
    virtual std::optional<Trial> createTrial(const DecideTrial &decide) = 0;
    virtual void reportValue(int trialId, int epoch, double value) = 0;
    virtual void updateTrial(const Trial &trial) = 0;
    virtual std::vector<Trial> trials(std::optional<int> only) = 0;
    virtual std::vector<Trial> reclaimAbandoned(const std::string &worker) = 0;
    virtual std::vector<int> heartbeat(const std::vector<int> &trialIds) = 0;
    virtual std::vector<Trial> failStale(double graceSeconds) = 0;
    virtual std::optional<Trial> retryTrial(const Trial &failed, const std::string &worker) = 0;
};

std::unique_ptr<StudyBackend> openSqliteStudy(const std::string &dir,
                                              StudyStore::WaitNotice notice);
std::unique_ptr<StudyBackend> openPostgresStudy(const std::string &uri, const std::string &name,
                                                StudyStore::WaitNotice notice);

namespace study {

// Bumped whenever the tables change; a newer study is refused rather than misread.
// 2: trials.heartbeat_at, token, retried_from, change_token.
constexpr int kSchemaVersion = 2;

double now(); // unix seconds
std::string hostName();
// 128 random bits in hex: names one call's insert or change, so a retried transaction whose
// first commit may have happened finds its own work instead of doing it again.
std::string newToken();

// JSON has no NaN or infinity, so those doubles go as {"float": "nan"|"inf"|"-inf"}: a
// parameter is never silently turned into null.
std::string paramsToJson(const Assignment &params);
Assignment paramsFromJson(const std::string &text);

// Missing epochs (a gap in the reports) read as NaN, so values[epoch - 1] stays the rule.
void putValue(Trial &t, long long epoch, double value);

// Whether a RUNNING trial owned by `owner` is abandoned from `worker`'s point of view: its
// process, on this host, is gone (or it has no owner).
bool abandoned(const std::string &owner, const std::string &worker, const std::string &host);

// The error failStale gives a trial.
std::string staleError(const std::string &worker, double silentSeconds);
// Why updateTrial refuses a result for a trial failStale failed: its retry runs it again, and
// keeping both would complete the same params twice.
std::string lateResultError(int trialId);

// What a new trial takes from `decide`'s proposal and the store's defaults.
void fillNewTrial(Trial &t, int id);
// The copy retryTrial inserts.
Trial retryOf(const Trial &failed, const std::string &worker, int id);

} // namespace study
} // namespace trainscope

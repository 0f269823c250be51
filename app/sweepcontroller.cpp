#include "app/sweepcontroller.h"

#include "app/demo.h"
#include "core/jobs/rundir.h"
#include "core/tune/results.h"
#include "core/tune/studystore.h"
#include "widgets/bridge.h"
#include "widgets/tune/sweepform.h"
#include "widgets/tune/tuningview.h"

#include <QDir>
#include <QMessageBox>
#include <memory>
#include <optional>
#include <vector>

namespace trainscope {
namespace {

// What a sweep's study.db holds, read on a worker.
struct StudyRead {
    QString dir;
    std::optional<SweepSpec> spec; // when the sweep is new to the view
    std::vector<Trial> trials;
    QString error;
};

// A sweep's key in the view: its directory, or a PostgreSQL study as "URI#NAME" (a libpq URI
// has no fragment of its own).
QString studyKey(const QString &uri, const QString &name) {
    return uri + "#" + name;
}

std::unique_ptr<StudyStore> openStudy(const QString &key) {
    if (StudyStore::isPostgresLocation(key.toStdString())) {
        const int hash = int(key.lastIndexOf('#'));
        return std::make_unique<StudyStore>(key.left(hash).toStdString(),
                                            key.mid(hash + 1).toStdString());
    }
    return std::make_unique<StudyStore>(key.toStdString());
}

std::vector<StudyRead> readStudies(const QStringList &dirs, const QSet<QString> &newDirs) {
    std::vector<StudyRead> out;
    for (const QString &dir : dirs) {
        StudyRead r{dir, std::nullopt, {}, {}};
        try {
            const std::unique_ptr<StudyStore> store = openStudy(dir);
            if (newDirs.contains(dir)) {
                const std::optional<std::string> spec = store->value("spec");
                if (!spec) continue; // not (yet) a sweep
                r.spec = SweepSpec::fromJson(*spec);
            }
            r.trials = store->trials();
        } catch (const std::exception &e) {
            if (!newDirs.contains(dir)) continue; // busy or gone: the next tick tries again
            r.error = QString("cannot read the sweep: %1").arg(e.what());
        }
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace

SweepController::SweepController(TuningView *view, Bridge *bridge, std::function<QString()> root,
                                 std::function<int(const JobSpec &)> startJob,
                                 QWidget *dialogParent)
    : QObject(view)
    , m_view(view)
    , m_root(std::move(root))
    , m_startJob(std::move(startJob))
    , m_dialogParent(dialogParent)
    , m_runner(bridge)
    , m_reads(this)
    , m_retrain(this) {
    connect(view, &TuningView::retrainBestRequested, this, &SweepController::retrainBest);
    connect(view, &TuningView::stopRequested, this, &SweepController::stop);
    connect(view, &TuningView::pauseRequested, this, &SweepController::pause);
    connect(view, &TuningView::resumeRequested, this, &SweepController::resume);
    connect(view, &TuningView::cancelTrialRequested, this, &SweepController::cancelTrial);
    connect(bridge, &Bridge::trialUpdated, this, [this](int id, const Trial &t) {
        auto it = m_dirs.find(id);
        if (it == m_dirs.end()) return;
        m_view->updateTrial(it->second, t);
        const SweepSpec &spec = m_specs[id];
        emit trialChanged(it->second, QString::fromStdString(spec.name), t,
                          spec.job ? spec.job->training.epochs : 0);
    });
    connect(bridge, &Bridge::sweepMessage, this, [this](int id, const QString &text) {
        if (auto it = m_dirs.find(id); it != m_dirs.end()) m_view->showMessage(it->second, text);
    });
    connect(bridge, &Bridge::sweepEnded, this, [this](int id, const QString &reason) {
        const auto it = m_dirs.find(id);
        if (it == m_dirs.end()) return;
        const QString dir = it->second;
        m_runner.wait(id); // its thread has ended: join it
        m_dirs.erase(it);
        m_specs.erase(id);
        m_view->setRunState(dir, SweepRunState::Idle);
        m_view->showMessage(dir, "sweep over: " + reason);
        emit sweepFinished(dir, reason);
    });
    // Sweeps run by another process (the CLI) grow in their study: read it again now and then.
    m_refresh.setInterval(2000);
    connect(&m_refresh, &QTimer::timeout, this, &SweepController::refreshExisting);
}

SweepController::~SweepController() {
    stopAll();
}

void SweepController::stopAll() {
    m_runner.cancelAll();
    m_runner.waitAll();
}

int SweepController::idOf(const QString &dir) const {
    const QString clean = QDir::cleanPath(dir);
    for (const auto &[id, d] : m_dirs)
        if (d == clean) return id;
    return 0;
}

void SweepController::stop(const QString &dir) {
    if (const int id = idOf(dir)) {
        m_runner.cancel(id);
        m_view->setRunState(dir, SweepRunState::Stopping); // until its end is reported
        m_view->showMessage(dir, "stopping: running trials stop and stay resumable");
    }
}

void SweepController::pause(const QString &dir) {
    if (const int id = idOf(dir)) {
        m_runner.pause(id);
        m_view->setRunState(dir, SweepRunState::Paused);
    }
}

void SweepController::resume(const QString &dir) {
    if (const int id = idOf(dir)) {
        m_runner.resume(id);
        m_view->setRunState(dir, SweepRunState::Running);
    }
}

bool SweepController::paused(const QString &dir) const {
    const int id = idOf(dir);
    return id && m_runner.paused(id);
}

void SweepController::cancelTrial(const QString &dir, int trialId) {
    if (const int id = idOf(dir)) m_runner.cancelTrial(id, trialId);
}

bool SweepController::running(const QString &dir) const {
    const int id = idOf(dir);
    return id && m_runner.running(id);
}

void SweepController::showNewSweepForm() {
    SweepForm form({{"Fashion-MNIST MLP", defaultJobSpec()},
                    {"Demo (slow input)", demoSlowSpec()},
                    {"Demo (fixed input)", demoFixedSpec()}},
                   m_dialogParent);
    if (form.exec() != QDialog::Accepted) return;
    try {
        startSweep(form.spec());
    } catch (const std::exception &e) {
        QMessageBox::warning(m_dialogParent, "New sweep", e.what());
    }
}

QString SweepController::startSweep(const SweepSpec &spec) {
    spec.validate();
    const QString dir = QString::fromStdString(
        uniqueRunDir(m_root().toStdString(), spec.name, [this](const std::string &d) {
            return m_known.contains(QString::fromStdString(d));
        }));
    m_known.insert(dir);
    m_view->addSweep(dir, spec);
    m_view->setCurrentSweep(dir);
    const int id = m_runner.submit(spec, dir.toStdString());
    m_dirs[id] = QDir::cleanPath(dir);
    m_specs[id] = spec;
    m_view->setRunState(dir, SweepRunState::Running);
    return dir;
}

void SweepController::addExisting(const QString &dir) {
    if (m_known.contains(dir) || m_found.contains(dir) || !QFile::exists(dir + "/study.db")) return;
    m_found.insert(dir);
    refreshExisting();
    if (!m_refresh.isActive()) m_refresh.start();
}

void SweepController::addStudy(const QString &uri, const QString &name) {
    const QString key = studyKey(uri, name);
    if (m_known.contains(key) || m_found.contains(key)) return;
    m_found.insert(key);
    refreshExisting();
    if (!m_refresh.isActive()) m_refresh.start();
}

void SweepController::refreshExisting() {
    if (m_reads.busy()) return; // a study is locked by its writer: this tick waits
    QStringList dirs;
    for (const QString &dir : std::as_const(m_known))
        if (!running(dir)) dirs << dir; // a running sweep's bridge reports as trials change
    for (const QString &dir : std::as_const(m_found))
        dirs << dir;
    if (dirs.isEmpty()) return;
    m_reads.run([dirs, found = m_found] { return readStudies(dirs, found); },
                [this](const std::vector<StudyRead> &reads) {
                    for (const StudyRead &r : reads) {
                        const bool isNew = m_found.remove(r.dir);
                        if (!r.error.isEmpty()) {
                            m_view->showMessage(r.dir, r.error);
                            continue;
                        }
                        if (r.spec && isNew) {
                            m_view->addSweep(r.dir, *r.spec);
                            m_known.insert(r.dir);
                        }
                        if (m_known.contains(r.dir) && !running(r.dir))
                            m_view->setTrials(r.dir, r.trials);
                    }
                });
}

void SweepController::retrainBest(const QString &dir) {
    struct Retrain {
        std::optional<JobSpec> job;
        QString error;
    };
    m_retrain.run(
        [dir] {
            Retrain r;
            try {
                const std::unique_ptr<StudyStore> store = openStudy(dir);
                const SweepSpec spec = SweepSpec::fromJson(store->value("spec").value_or("{}"));
                const std::optional<Trial> best = bestTrial(store->trials(), spec.objective);
                if (best && spec.job) r.job = retrainJob(spec, *best);
            } catch (const std::exception &e) {
                r.error = e.what();
            }
            return r;
        },
        [this](const Retrain &r) {
            if (!r.error.isEmpty())
                QMessageBox::warning(m_dialogParent, "Retrain best", r.error);
            else if (r.job)
                m_startJob(*r.job);
        });
}

} // namespace trainscope

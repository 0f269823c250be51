#include "sweepcontroller.h"

#include "demo.h"
#include "tune/results.h"
#include "tune/studystore.h"
#include "tune/sweepbridge.h"
#include "tune/sweepform.h"
#include "tune/sweeprunner.h"
#include "tune/tuningview.h"

#include <QDir>
#include <QMessageBox>
#include <QMetaObject>

namespace trainscope {

SweepController::SweepController(TuningView *view, std::function<QString()> root,
                                 std::function<int(const JobSpec &)> startJob,
                                 QWidget *dialogParent)
    : QObject(view)
    , m_view(view)
    , m_root(std::move(root))
    , m_startJob(std::move(startJob))
    , m_dialogParent(dialogParent) {
    connect(view, &TuningView::retrainBestRequested, this, &SweepController::retrainBest);
    // Sweeps run by another process (the CLI) grow in their study: read it again now and then.
    m_refresh.setInterval(2000);
    connect(&m_refresh, &QTimer::timeout, this, &SweepController::refreshExisting);
}

SweepController::~SweepController() {
    for (auto &[dir, run] : m_running)
        run->cancel = true;
    for (auto &[dir, run] : m_running)
        if (run->thread.joinable()) run->thread.join();
}

void SweepController::showNewSweepForm() {
    SweepForm form({{"Fashion-MNIST MLP", defaultJobSpec()},
                    {"Demo (slow input)", demoSlowSpec()},
                    {"Demo (fixed input)", demoFixedSpec()}},
                   m_dialogParent);
    if (form.exec() != QDialog::Accepted) return;
    try {
        startSweep(form.spec().toJson());
    } catch (const std::exception &e) {
        QMessageBox::warning(m_dialogParent, "New sweep", e.what());
    }
}

QString SweepController::startSweep(const std::string &sweepJson) {
    const SweepSpec spec = SweepSpec::fromJson(sweepJson);
    QDir root(m_root());
    const QString base = QString::fromStdString(spec.name);
    QString name = base;
    for (int n = 2; root.exists(name); ++n)
        name = QString("%1-%2").arg(base).arg(n);
    const QString dir = root.filePath(name);
    m_known.insert(dir);
    m_view->addSweep(dir, spec);
    m_view->setCurrentSweep(dir);

    auto *bridge = new SweepBridge(dir, this);
    connect(bridge, &SweepBridge::trialUpdated, m_view,
            [this, dir](const Trial &t) { m_view->updateTrial(dir, t); });
    connect(bridge, &SweepBridge::message, m_view,
            [this, dir](const QString &text) { m_view->showMessage(dir, text); });
    auto run = std::make_unique<Running>();
    Running *r = run.get();
    m_running[dir] = std::move(run);
    r->thread = std::thread([this, spec, dir, bridge, r] {
        QString reason;
        try {
            SweepOptions options;
            options.cancel = &r->cancel;
            reason = QString::fromStdString(
                runSweep(spec, dir.toStdString(), options, bridge).stopReason);
        } catch (const std::exception &e) {
            reason = QString("stopped: %1").arg(e.what());
        }
        bridge->onMessage("sweep over: " + reason.toStdString());
        QMetaObject::invokeMethod(
            this,
            [this, dir, reason] {
                if (auto it = m_running.find(dir); it != m_running.end()) {
                    it->second->thread.join();
                    m_running.erase(it);
                }
                emit sweepFinished(dir, reason);
            },
            Qt::QueuedConnection);
    });
    return dir;
}

void SweepController::addExisting(const QString &dir) {
    if (m_known.contains(dir) || !QFile::exists(dir + "/study.db")) return;
    try {
        StudyStore store(dir.toStdString());
        const std::optional<std::string> spec = store.value("spec");
        if (!spec) return;
        m_view->addSweep(dir, SweepSpec::fromJson(*spec));
        m_view->setTrials(dir, store.trials());
        m_known.insert(dir);
        if (!m_refresh.isActive()) m_refresh.start();
    } catch (const std::exception &e) {
        m_view->showMessage(dir, QString("cannot read the sweep: %1").arg(e.what()));
    }
}

void SweepController::refreshExisting() {
    for (const QString &dir : std::as_const(m_known)) {
        if (running(dir)) continue; // its bridge reports as trials change
        try {
            m_view->setTrials(dir, StudyStore(dir.toStdString()).trials());
        } catch (const std::exception &) {
            // Busy or gone: the next tick tries again.
        }
    }
}

void SweepController::retrainBest(const QString &dir) {
    try {
        StudyStore store(dir.toStdString());
        const SweepSpec spec = SweepSpec::fromJson(store.value("spec").value_or("{}"));
        const std::optional<Trial> best = bestTrial(store.trials(), spec.objective);
        if (!best || !spec.job) return;
        m_startJob(retrainJob(spec, *best));
    } catch (const std::exception &e) {
        QMessageBox::warning(m_dialogParent, "Retrain best", e.what());
    }
}

} // namespace trainscope

#include "app/load_controller.h"

#include "model/model_builder.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace weft::ui {

struct LoadController::Job {
    quint64 id = 0;
    QString path;
    std::atomic<bool> cancel{false};
    QFutureWatcher<LoadResult> watcher;
};

namespace {

LoadResult runLoad(quint64 id, const QString& path, const std::atomic<bool>* cancel,
                   std::function<void(uint64_t, uint64_t)> progress) {
    LoadResult result;
    result.id = id;
    result.path = path;
    format::ReadOptions options;
    options.cancel = cancel;
    options.progress = std::move(progress);
    try {
        result.model = load_trace(QFile::encodeName(path).toStdString(), result.report, options);
    } catch (const std::exception& e) {
        // A bad file must not take the viewer down; bad_alloc on a huge trace lands here too.
        result.model.reset();
        result.failure = QObject::tr("internal error while reading: %1").arg(QString::fromUtf8(e.what()));
        return result;
    }
    if (result.report.fatal || !result.model) {
        result.model.reset();
        result.failure = result.report.errors.empty() ? QObject::tr("the file could not be read")
                                                      : QString::fromStdString(result.report.errors.front().reason);
    }
    return result;
}

} // namespace

LoadController::LoadController(QObject* parent) : QObject(parent) {}

LoadController::~LoadController() {
    cancel();
    for (Job* job : std::as_const(m_abandoned)) {
        job->watcher.disconnect();
        job->watcher.waitForFinished();
        delete job;
    }
    reapFinished();
}

void LoadController::reapFinished() {
    qDeleteAll(m_finished);
    m_finished.clear();
}

quint64 LoadController::load(const QString& path) {
    cancel();
    reapFinished();
    auto* job = new Job;
    job->id = m_nextId++;
    job->path = path;
    m_job = job;
    m_currentId = job->id;

    const quint64 id = job->id;
    // Called on the worker: forward whole-percent steps only, so a fast reader can't flood the GUI.
    auto lastPercent = std::make_shared<int>(-1);
    auto progress = [this, id, lastPercent](uint64_t done, uint64_t total) {
        const int percent = total ? static_cast<int>(done * 100 / total) : 0;
        if (percent == *lastPercent) return;
        *lastPercent = percent;
        QMetaObject::invokeMethod(this, [this, id, done, total] { onProgress(id, qint64(done), qint64(total)); },
                                  Qt::QueuedConnection);
    };
    connect(&job->watcher, &QFutureWatcher<LoadResult>::finished, this, [this, job] { onFinished(job); });
    job->watcher.setFuture(QtConcurrent::run(runLoad, id, path, &job->cancel, std::move(progress)));
    emit started(id, path);
    return id;
}

void LoadController::cancel() {
    if (!m_job) return;
    Job* job = m_job;
    m_job = nullptr;
    job->cancel.store(true);
    m_abandoned.append(job);
    emit cancelled(job->id, job->path);
}

void LoadController::onProgress(quint64 id, qint64 done, qint64 total) {
    if (m_job && id == m_job->id) emit progress(id, done, total);
}

void LoadController::onFinished(Job* job) {
    // The watcher is emitting right now: free the job later, never inside its own signal.
    m_finished.append(job);
    if (job != m_job) {
        // Superseded or cancelled: its result is stale whatever it holds.
        m_abandoned.removeOne(job);
        return;
    }
    m_job = nullptr;
    LoadResult result = job->watcher.result();
    if (result.report.cancelled) {
        emit cancelled(result.id, result.path);
    } else if (!result.model) {
        emit failed(result.id, result.path, result.failure);
    } else {
        emit loaded(result);
    }
}

} // namespace weft::ui

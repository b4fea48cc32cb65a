#pragma once
// Loads .weft files off the GUI thread with weft::load_trace, one at a time.
//
// Each load gets an id; starting a new load cancels the previous one and its late results are
// dropped, so a slow old file can never replace a newer one. Progress is reported from the worker
// through queued calls, rate-limited to whole percent steps. The destructor cancels and waits.

#include "format/trace_reader.h"
#include "model/model.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

template <class T>
class QFutureWatcher;

namespace weft::ui {

struct LoadResult {
    quint64 id = 0;
    QString path;
    std::shared_ptr<const Model> model; // null when the file could not be read at all
    format::ReadReport report;
    QString failure; // why nothing could be loaded (missing file, bad magic...), empty on success
};

class LoadController final : public QObject {
    Q_OBJECT
public:
    explicit LoadController(QObject* parent = nullptr);
    ~LoadController() override;

    // Starts loading `path`; returns the load's id. A load in progress is cancelled.
    quint64 load(const QString& path);
    void cancel();
    bool isLoading() const { return m_job != nullptr; }
    quint64 currentId() const { return m_currentId; }

signals:
    void started(quint64 id, const QString& path);
    void progress(quint64 id, qint64 done, qint64 total);
    // Exactly one of these ends every load that was not superseded by a newer one.
    void loaded(const weft::ui::LoadResult& result);   // the model (maybe with reader errors)
    void failed(quint64 id, const QString& path, const QString& reason);
    void cancelled(quint64 id, const QString& path);

private:
    struct Job;
    void onFinished(Job* job);
    void onProgress(quint64 id, qint64 done, qint64 total);
    void reapFinished();

    quint64 m_nextId = 1;
    quint64 m_currentId = 0;
    Job* m_job = nullptr;        // the current load
    QList<Job*> m_abandoned;     // cancelled loads still running
    QList<Job*> m_finished;      // ended loads, freed at the next load or in the destructor
};

} // namespace weft::ui

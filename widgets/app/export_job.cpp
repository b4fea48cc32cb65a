#include "app/export_job.h"

#include "io/json_export.h"

#include <QFile>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace weft::ui {

ExportJob::ExportJob(QObject* parent) : QObject(parent), m_watcher(new QFutureWatcher<Outcome>(this)) {
    connect(m_watcher, &QFutureWatcher<Outcome>::finished, this, [this] {
        const Outcome outcome = m_watcher->result();
        emit finished(outcome.ok, m_path, outcome.error);
    });
}

ExportJob::~ExportJob() {
    m_watcher->disconnect();
    m_watcher->waitForFinished();
}

bool ExportJob::isRunning() const { return m_watcher->isRunning(); }

bool ExportJob::start(std::shared_ptr<const Model> model, const QString& path) {
    if (!model || isRunning()) return false;
    m_path = path;
    const std::string file = QFile::encodeName(path).toStdString();
    m_watcher->setFuture(QtConcurrent::run([model = std::move(model), file] {
        Outcome outcome;
        std::string error;
        outcome.ok = io::export_json_file(*model, file, error);
        outcome.error = QString::fromStdString(error);
        return outcome;
    }));
    return true;
}

} // namespace weft::ui

#pragma once
// Runs the core JSON exporter (io::export_json_file) on a worker thread, so exporting a large trace
// never freezes the window. The model is shared read-only, so the user can keep browsing meanwhile.

#include "model/model.h"

#include <QObject>
#include <QString>

#include <memory>

template <class T>
class QFutureWatcher;

namespace weft::ui {

class ExportJob final : public QObject {
    Q_OBJECT
public:
    explicit ExportJob(QObject* parent = nullptr);
    ~ExportJob() override; // waits for a running export: the file must not be left half-written

    // False (and nothing started) when an export is already running.
    bool start(std::shared_ptr<const Model> model, const QString& path);
    bool isRunning() const;

signals:
    void finished(bool ok, const QString& path, const QString& error);

private:
    struct Outcome {
        bool ok = false;
        QString error;
    };
    QFutureWatcher<Outcome>* m_watcher;
    QString m_path;
};

} // namespace weft::ui

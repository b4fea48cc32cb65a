#include "app/recent_files.h"

#include "app/settings_keys.h"

#include <QFileInfo>
#include <QSettings>

namespace weft::ui {

QStringList RecentFiles::list() {
    QStringList files = QSettings().value(settings::kRecentFiles).toStringList();
    files.removeAll(QString());
    files.removeDuplicates();
    if (files.size() > kMax) files.resize(kMax);
    return files;
}

void RecentFiles::add(const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList files = list();
    files.removeAll(absolute);
    files.prepend(absolute);
    if (files.size() > kMax) files.resize(kMax);
    QSettings().setValue(settings::kRecentFiles, files);
}

void RecentFiles::remove(const QString& path) {
    QStringList files = list();
    files.removeAll(QFileInfo(path).absoluteFilePath());
    QSettings().setValue(settings::kRecentFiles, files);
}

void RecentFiles::clear() { QSettings().remove(settings::kRecentFiles); }

} // namespace weft::ui

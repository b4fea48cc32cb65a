#pragma once
// The viewer's settings for a widget test: organisation and application as the viewer has them,
// stored in a temporary directory, never in the user's real settings.

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace weft::test {

inline void usePrivateSettings(const QTemporaryDir& dir) {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("Weft"));
    QCoreApplication::setApplicationName(QStringLiteral("weft"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.filePath(QStringLiteral("settings")));
}

} // namespace weft::test

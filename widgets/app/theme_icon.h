#pragma once
// An icon from the desktop's theme, else the one shipped in resources/icons (a machine without an
// icon theme would otherwise show empty buttons).

#include <QIcon>
#include <QString>

namespace weft::ui {

inline QIcon themeIcon(const char* name) {
    const QString n = QLatin1String(name);
    return QIcon::fromTheme(n, QIcon(QStringLiteral(":/icons/") + n + QStringLiteral(".svg")));
}

} // namespace weft::ui

#pragma once
// The window's colours: the desktop's (System), or Weft's own Light or Dark palette. Everything
// follows the application palette: the timeline picks its light or dark set from it, the lag
// chart its chart theme.

#include <QString>

namespace weft::ui {

inline const QString kThemeSystem = QStringLiteral("system");
inline const QString kThemeLight = QStringLiteral("light");
inline const QString kThemeDark = QStringLiteral("dark");

// Applies `theme` (one of the above; anything else is System) to the whole application.
void applyTheme(const QString& theme);

} // namespace weft::ui

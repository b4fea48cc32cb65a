#pragma once
// QSettings keys of the viewer (organization "Weft", application "weft").

#include <QString>

namespace weft::ui::settings {

inline const QString kRecentFiles = QStringLiteral("files/recent");
inline const QString kLastDirectory = QStringLiteral("files/lastDirectory");
inline const QString kGeometry = QStringLiteral("window/geometry");
inline const QString kState = QStringLiteral("window/state");
inline const QString kAwaitThresholdMs = QStringLiteral("thresholds/awaitMs");
inline const QString kBlockingThresholdMs = QStringLiteral("thresholds/blockingMs");
inline const QString kShowAllFlows = QStringLiteral("view/allFlows");
inline const QString kLaneNameWidth = QStringLiteral("timeline/laneNameWidth");
inline const QString kTaskGrouping = QStringLiteral("timeline/taskGrouping"); // "name" or "spawn"
inline const QString kTheme = QStringLiteral("view/theme"); // system, light or dark (app/theme.h)

// Bump when the dock layout changes so an old saved state is not applied to new docks.
inline constexpr int kStateVersion = 2;

} // namespace weft::ui::settings

#pragma once
// The most recently opened traces, newest first, kept in QSettings (at most kMax, no duplicates).

#include <QStringList>

namespace weft::ui {

class RecentFiles {
public:
    static constexpr int kMax = 10;

    static QStringList list();
    static void add(const QString& path); // moves it to the front
    static void remove(const QString& path);
    static void clear();
};

} // namespace weft::ui

#pragma once
// Item data roles shared by Weft's item models and the panels that show them.

#include <Qt>

namespace weft::ui {

enum ItemRole : int {
    SortRole = Qt::UserRole + 1,  // a raw number (qint64/double) or lowercased text to sort by
    SelectionKindRole,            // int(weft::Selection::Kind) of what the row stands for
    SelectionIndexRole,           // the index into the Model table of that kind
    SecondaryTextRole,            // text shown dimmed after the item's own (a task's default name)
};

} // namespace weft::ui

#pragma once
// Paints an item's text, then its SecondaryTextRole text dimmed after it when it fits: the task
// tree shows "handle_request  Task-3" with asyncio's default name greyed out.

#include <QStyledItemDelegate>

namespace weft::ui {

class SecondaryTextDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace weft::ui

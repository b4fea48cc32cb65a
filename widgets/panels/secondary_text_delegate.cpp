#include "panels/secondary_text_delegate.h"

#include "models/roles.h"

#include <QApplication>
#include <QPainter>

namespace weft::ui {

void SecondaryTextDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                                  const QModelIndex& index) const {
    QStyledItemDelegate::paint(painter, option, index);
    const QString secondary = index.data(SecondaryTextRole).toString();
    if (secondary.isEmpty()) return;
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QStyle* style = opt.widget ? opt.widget->style() : QApplication::style();
    const QRect text = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, opt.widget);
    const QFontMetrics fm(opt.font);
    const int x = text.left() + fm.horizontalAdvance(opt.text) + fm.horizontalAdvance(QLatin1Char(' ')) * 2;
    if (x + fm.horizontalAdvance(secondary) > text.right()) return; // no room: the tooltip has it
    painter->save();
    const bool selected = opt.state & QStyle::State_Selected;
    QColor dim = opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    dim.setAlphaF(0.45);
    painter->setPen(dim);
    painter->setFont(opt.font);
    painter->drawText(QRect(x, text.top(), text.right() - x, text.height()), Qt::AlignVCenter | Qt::AlignLeft,
                      secondary);
    painter->restore();
}

} // namespace weft::ui

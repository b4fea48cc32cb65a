#pragma once
// The small HTML pieces the Details panel is written with: label/value tables, headings, links
// that select an item, lists cut at a limit.

#include "model/model.h"
#include "models/text.h"
#include "query/selection.h"

#include <QString>

namespace weft::ui::html {

inline QString esc(const QString& s) { return s.toHtmlEscaped(); }

// One "label: value" row; the value is HTML already. Nothing for an empty value.
inline QString row(const QString& label, const QString& valueHtml) {
    if (valueHtml.isEmpty()) return QString();
    return QStringLiteral("<tr><td style='color:#666;padding-right:10px;white-space:nowrap'>") % esc(label) %
           QStringLiteral("</td><td>") % valueHtml % QStringLiteral("</td></tr>");
}

inline QString heading(const QString& kind, const QString& title) {
    return QStringLiteral("<p style='margin:0;color:#666;font-size:small'>") % esc(kind) %
           QStringLiteral("</p><h3 style='margin-top:0'>") % esc(title) % QStringLiteral("</h3>");
}

// A heading whose title is followed by a dimmed note (a task's default name beside the name shown).
inline QString heading(const QString& kind, const QString& title, const QString& dimmed) {
    if (dimmed.isEmpty()) return heading(kind, title);
    return QStringLiteral("<p style='margin:0;color:#666;font-size:small'>") % esc(kind) %
           QStringLiteral("</p><h3 style='margin-top:0'>") % esc(title) %
           QStringLiteral(" <span style='color:#999;font-weight:normal'>") % esc(dimmed) % QStringLiteral("</span></h3>");
}

inline QString subheading(const QString& title) { return QStringLiteral("<h4>") % esc(title) % QStringLiteral("</h4>"); }

inline QString table(const QString& rows) {
    return QStringLiteral("<table cellspacing='0' cellpadding='1'>") % rows % QStringLiteral("</table>");
}

inline QString dim(const QString& text) {
    return QStringLiteral("<span style='color:#777'>") % esc(text) % QStringLiteral("</span>");
}

// A timestamp relative to the trace start, in a unit suited to the trace's length.
// A time to the nanosecond. (white-space: pre keeps the narrow spaces between digit groups, which
// rich text would otherwise turn into plain ones.)
inline QString when(Time t) {
    return QStringLiteral("<span style='white-space:pre'>") % esc(exactTimeText(t)) % QStringLiteral("</span>");
}

} // namespace weft::ui::html

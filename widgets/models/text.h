#pragma once
// Small conversions between the core's UTF-8 strings and times and what Qt shows.

#include "model/model.h"
#include "query/flows.h"
#include "query/task_names.h"
#include "query/time_format.h"

#include <QString>

#include <string_view>

namespace weft::ui {

inline QString toQString(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

// "1 sample", "2 samples": a count and its noun, singular for one. `number` is the count as shown
// (localised by the caller when it wants).
inline QString countText(qulonglong n, const QString& number, const QString& one, const QString& many) {
    return number % QLatin1Char(' ') % (n == 1 ? one : many);
}
inline QString countText(qulonglong n, const QString& one, const QString& many) {
    return countText(n, QString::number(n), one, many);
}

inline QString durationText(Time ns) {
    return ns == kNoTime ? QString() : toQString(format_duration(ns));
}

// A timestamp relative to the trace start for an axis `span` wide (labels of the time axis).
inline QString timestampText(Time ns, Time span) {
    return ns == kNoTime ? QString() : toQString(format_timestamp(ns, span));
}

// A point in time to the nanosecond (Details, tooltips).
inline QString exactTimeText(Time ns) { return ns == kNoTime ? QString() : toQString(format_time_exact(ns)); }

// A point in time with four significant digits at least (table columns).
inline QString preciseTimeText(Time ns) { return ns == kNoTime ? QString() : toQString(format_time_precise(ns)); }

// A task's name as the views show it (query/task_names.h): its coroutine's for asyncio's "Task-N".
inline QString taskName(const Model& model, TaskIndex index) { return toQString(task_display_name(model, index)); }

// The default name taskName() replaced ("Task-3"), shown dimmed beside it where there is room.
inline QString taskReplacedName(const Model& model, TaskIndex index) {
    return toQString(task_replaced_name(model, index));
}

inline QString threadName(const Model& model, ThreadIndex index) {
    if (!index.valid() || index.value >= model.threads.size()) return QString();
    const Thread& thread = model.thread(index);
    if (!thread.name.empty()) return toQString(thread.name);
    return QStringLiteral("thread %1").arg(thread.os_thread_id);
}

// "name (file:line)", or whichever half exists.
inline QString locationText(const Model& model, LocationId id) {
    if (id.value == 0 || id.value >= model.locations.size()) return QString();
    const QString name = toQString(model.string(model.location(id).name));
    const QString where = toQString(model.location_label(id));
    if (name.isEmpty()) return where;
    if (where.isEmpty()) return name;
    return name % QStringLiteral("  (") % where % QLatin1Char(')');
}

// The category of an item whose location names no file: imported traces keep the event's
// category in the location's target.
inline QString categoryText(const Model& model, LocationId id) {
    if (id.value == 0 || id.value >= model.locations.size()) return QString();
    const Location& loc = model.location(id);
    return loc.file.value == 0 ? toQString(model.string(loc.target)) : QString();
}

// What a flow end is on: the name of the span it is bound to, else "" (the caller names the thread).
inline QString flowEndSpanName(const Model& model, const FlowEnd& end) {
    const Selection target = flow_end_target(model, end);
    if (target.kind == Selection::Kind::AsyncSpan) return toQString(model.string(model.async_spans[target.index].name));
    if (target.kind == Selection::Kind::ThreadSpan) return toQString(model.string(model.thread_spans[target.index].name));
    return QString();
}

// Arguments (JSON text) on one line, cut to about `max_chars`, for tooltips.
inline QString argsOneLine(const Model& model, StringId args, qsizetype max_chars = 160) {
    QString text = toQString(model.string(args)).simplified();
    if (text.size() > max_chars) text = text.left(max_chars) + QStringLiteral("\u2026");
    return text;
}

inline QString stateText(TaskState state) {
    switch (state) {
    case TaskState::Ok: return QStringLiteral("ok");
    case TaskState::Cancelled: return QStringLiteral("cancelled");
    case TaskState::Error: return QStringLiteral("error");
    case TaskState::Unfinished: return QStringLiteral("unfinished");
    }
    return QString();
}

} // namespace weft::ui

// The Details panel's pages for what imported traces add: instants, samples, counter samples and
// flows, and the arguments and flows sections of spans and tasks.
#include "panels/details_html.h"
#include "panels/details_panel.h"

#include "query/draw_list.h"
#include "query/flows.h"
#include "query/lanes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace weft::ui {

namespace {

using Kind = Selection::Kind;
using namespace html;

// Arguments longer than this are shown as text as they are, not parsed into a table.
constexpr qsizetype kMaxArgsChars = 64 * 1024;
// A nested value whose compact JSON is longer than this gets an indented block of its own.
constexpr qsizetype kInlineJsonChars = 60;

QString numberText(double v) { return QString::number(v, 'g', 12); }

QString jsonValueHtml(const QJsonValue& v) {
    switch (v.type()) {
    case QJsonValue::String: return esc(v.toString());
    case QJsonValue::Double: return numberText(v.toDouble());
    case QJsonValue::Bool: return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Array:
    case QJsonValue::Object: {
        const QJsonDocument doc = v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject());
        const QString compact = QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
        if (compact.size() <= kInlineJsonChars) return QStringLiteral("<code>") % esc(compact) % QStringLiteral("</code>");
        return QStringLiteral("<pre style='margin:0'>") % esc(QString::fromUtf8(doc.toJson(QJsonDocument::Indented))) %
               QStringLiteral("</pre>");
    }
    default: return QString();
    }
}

QString preBlock(const QString& text) {
    return QStringLiteral("<pre style='margin:0;white-space:pre-wrap'>") % esc(text) % QStringLiteral("</pre>");
}

} // namespace

AsyncSpanIndex DetailsPanel::rootSpanOf(const Model& model, TaskIndex task) {
    if (task.value >= model.tasks.size()) return {};
    const Range r = lanes::clamp_range(model.tasks[task.value].spans, model.task_spans.size());
    for (uint32_t k = r.first; k < r.end(); ++k) {
        const AsyncSpanIndex s = model.task_spans[k];
        if (s.value >= model.async_spans.size()) continue;
        const AsyncSpanIndex parent = model.async_spans[s.value].parent;
        if (!parent.valid() || parent.value >= model.async_spans.size() || model.async_spans[parent.value].task != task)
            return s;
    }
    return {};
}

QString DetailsPanel::argsSection(const Model& model, StringId args) const {
    const QString text = toQString(model.string(args)).trimmed();
    if (text.isEmpty() || text == QStringLiteral("{}")) return QString();
    QString body;
    QJsonParseError error{};
    const QJsonDocument doc =
        text.size() <= kMaxArgsChars ? QJsonDocument::fromJson(text.toUtf8(), &error) : QJsonDocument();
    if (doc.isObject()) {
        QString rows;
        const QJsonObject object = doc.object();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString value = jsonValueHtml(it.value());
            rows += row(it.key(), value.isEmpty() ? QStringLiteral("\"\"") : value);
        }
        body = table(rows);
    } else if (doc.isArray()) {
        body = preBlock(QString::fromUtf8(doc.toJson(QJsonDocument::Indented)));
    } else {
        body = preBlock(text); // not JSON after all: as it was recorded
    }
    return subheading(tr("Arguments")) % body;
}

QString DetailsPanel::flowsSection(const Model& model, Selection item) const {
    const std::vector<uint32_t> flows = flows_of(model, item, kMaxListed + 1);
    if (flows.empty()) return QString();
    QString html = subheading(flows.size() > kMaxListed ? tr("Flows (first %1)").arg(kMaxListed)
                                                        : tr("Flows (%1)").arg(flows.size())) %
                   QStringLiteral("<ul style='margin:0'>");
    for (size_t i = 0; i < flows.size() && i < kMaxListed; ++i) {
        const Flow& f = model.flows[flows[i]];
        // Out when the item holds the start; a flow from the item to itself is listed as out.
        const bool out = flow_end_touches(model, f.from, item) || item.kind == Kind::Flow;
        const FlowEnd& other = out ? f.to : f.from;
        const Selection target = flow_end_target(model, other);
        QString name = flowEndSpanName(model, other);
        if (name.isEmpty()) name = threadName(model, other.thread);
        const QString flowName = toQString(selection_name(model, {Kind::Flow, flows[i]}));
        html += QStringLiteral("<li>") % (out ? tr("→ to ") : tr("← from ")) %
                link(target.empty() ? Selection{Kind::Flow, flows[i]} : target, name) % QStringLiteral(" ") %
                dim(tr("on %1 at %2").arg(threadName(model, other.thread), exactTimeText(other.time))) %
                QStringLiteral(" — ") % link({Kind::Flow, flows[i]}, flowName) % QStringLiteral("</li>");
    }
    return html % QStringLiteral("</ul>");
}

QString DetailsPanel::renderInstant(const Model& model, uint32_t index) const {
    const Instant& in = model.instants[index];
    QString rows;
    rows += row(tr("Category"), esc(categoryText(model, in.location)));
    rows += row(tr("Location"), esc(toQString(model.location_label(in.location))));
    switch (in.scope) {
    case InstantScope::Thread: rows += row(tr("Thread"), esc(threadName(model, in.thread))); break;
    case InstantScope::Process: rows += row(tr("Scope"), tr("the whole process (recorded on %1)").arg(esc(threadName(model, in.thread)))); break;
    default: rows += row(tr("Scope"), tr("the whole trace (recorded on %1)").arg(esc(threadName(model, in.thread)))); break;
    }
    rows += row(tr("Time"), when(in.time));
    return heading(tr("Instant"), toQString(selection_name(model, {Kind::Instant, index}))) % table(rows) %
           argsSection(model, in.args) % flowsSection(model, {Kind::Instant, index});
}

QString DetailsPanel::renderSample(const Model& model, uint32_t index) const {
    const Sample& s = model.samples[index];
    QString rows;
    rows += row(tr("Thread"), esc(threadName(model, s.thread)));
    rows += row(tr("Time"), when(s.time));
    rows += row(tr("Kind"), esc(toQString(model.string(s.name))));
    if (s.weight != 1) rows += row(tr("Weight"), QString::number(s.weight));
    QString html = heading(tr("Sample"), toQString(selection_name(model, {Kind::Sample, index}))) % table(rows);
    const Range frames = lanes::clamp_range(s.frames, model.frames.size());
    if (!frames.empty()) {
        html += subheading(tr("Stack (innermost first)")) % QStringLiteral("<pre style='margin:0'>");
        for (uint32_t i = frames.first; i < frames.end(); ++i)
            html += esc(locationText(model, model.frames[i])) % QLatin1Char('\n');
        html += QStringLiteral("</pre>");
    }
    return html;
}

QString DetailsPanel::renderCounterSample(const Model& model, uint32_t index) const {
    const uint32_t track_index = counter_track_of(model, index);
    if (track_index == UINT32_MAX) return QString();
    const CounterTrack& track = model.counters[track_index];
    const TimeRange holds = selection_range(model, {Kind::CounterSample, index});
    QString process;
    if (track.process.value < model.processes.size()) {
        const Process& p = model.processes[track.process.value];
        process = toQString(p.exe) % QStringLiteral(" [") % QString::number(p.pid) % QLatin1Char(']');
    }
    QString rows;
    rows += row(tr("Value"), QStringLiteral("<b>") % numberText(model.counter_samples.value[index]) % QStringLiteral("</b>"));
    rows += row(tr("Time"), when(model.counter_samples.time[index]));
    rows += row(tr("Holds for"), esc(durationText(holds.end - holds.begin)));
    rows += row(tr("Process"), esc(process));
    rows += row(tr("Track range"), numberText(track.min) % QStringLiteral(" – ") % numberText(track.max));
    rows += row(tr("Samples"), QString::number(track.samples.count));
    QString nav;
    if (index > track.samples.first) nav += link({Kind::CounterSample, index - 1}, tr("← previous"));
    if (index + 1 < track.samples.end()) nav += (nav.isEmpty() ? QString() : QStringLiteral(" · ")) % link({Kind::CounterSample, index + 1}, tr("next →"));
    rows += row(QString(), nav);
    return heading(tr("Counter"), toQString(counter_name(model, track))) % table(rows);
}

QString DetailsPanel::renderFlow(const Model& model, uint32_t index) const {
    const Flow& f = model.flows[index];
    auto end = [&](const FlowEnd& e) -> QString {
        const Selection target = flow_end_target(model, e);
        const QString name = flowEndSpanName(model, e);
        QString html = target.empty() ? QString() : link(target, name) % QStringLiteral(" ");
        return html % dim(tr("on %1 at %2").arg(threadName(model, e.thread), exactTimeText(e.time)));
    };
    QString rows;
    rows += row(tr("Category"), esc(categoryText(model, f.location)));
    rows += row(tr("Flow id"), QString::number(f.flow_id));
    rows += row(tr("From"), end(f.from));
    rows += row(tr("To"), end(f.to));
    rows += row(tr("Took"), esc(durationText(f.to.time - f.from.time)));
    return heading(tr("Flow"), toQString(selection_name(model, {Kind::Flow, index}))) % table(rows);
}

} // namespace weft::ui

#include "panels/details_panel.h"

#include "analysis/awaited_task.h"
#include "analysis/range_summary.h"

#include "models/text.h"
#include "panels/details_html.h"
#include "query/draw_list.h"

#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

#include <array>

namespace weft::ui {

namespace {

using Kind = Selection::Kind;
using namespace html;

constexpr std::array<std::pair<Kind, const char*>, 11> kKindNames{{
    {Kind::Task, "task"},
    {Kind::RunSlice, "run"},
    {Kind::ThreadSpan, "span"},
    {Kind::AwaitPoint, "await"},
    {Kind::AsyncSpan, "async"},
    {Kind::Blocking, "blocking"},
    {Kind::LagSample, "lag"},
    {Kind::Instant, "instant"},
    {Kind::Sample, "sample"},
    {Kind::CounterSample, "counter"},
    {Kind::Flow, "flow"},
}};

QString taskLink(const Model& model, TaskIndex task) {
    if (!task.valid() || task.value >= model.tasks.size()) return QString();
    return DetailsPanel::link({Kind::Task, task.value}, taskName(model, task));
}

} // namespace

DetailsPanel::DetailsPanel(QWidget* parent) : QWidget(parent), m_browser(new QTextBrowser(this)) {
    m_browser->setOpenLinks(false);
    m_browser->setOpenExternalLinks(false);
    m_browser->setPlaceholderText(tr("Select a task, span, await, instant, counter or any other item to see its details"));
    connect(m_browser, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        const Selection s = selectionFromLink(url);
        if (!s.empty()) emit selectionRequested(s);
    });
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_browser);
}

void DetailsPanel::setModel(std::shared_ptr<const Model> model) {
    m_model = std::move(model);
    showSelection({});
}

QString DetailsPanel::html() const { return m_browser->toHtml(); }

QString DetailsPanel::link(Selection s, const QString& text) {
    return QStringLiteral("<a href='") % linkFor(s) % QStringLiteral("'>") % esc(text) % QStringLiteral("</a>");
}

QString DetailsPanel::linkFor(Selection selection) {
    for (const auto& [kind, name] : kKindNames)
        if (kind == selection.kind) return QStringLiteral("weft:%1/%2").arg(QLatin1String(name)).arg(selection.index);
    return QString();
}

Selection DetailsPanel::selectionFromLink(const QUrl& url) {
    if (url.scheme() != QStringLiteral("weft")) return {};
    const QString path = url.path();
    const qsizetype slash = path.indexOf(QLatin1Char('/'));
    if (slash < 0) return {};
    bool ok = false;
    const uint index = path.mid(slash + 1).toUInt(&ok);
    if (!ok) return {};
    const QString kind = path.left(slash);
    for (const auto& [k, name] : kKindNames)
        if (kind == QLatin1String(name)) return Selection{k, index};
    return {};
}

void DetailsPanel::showSelection(Selection selection) {
    m_selection = selection;
    if (!m_model || selection.empty()) {
        m_browser->clear();
        return;
    }
    m_browser->setHtml(render(*m_model, selection));
}

void DetailsPanel::showRange(Time begin, Time end) {
    m_selection = {};
    if (!m_model) return;
    const analysis::RangeSummary r = analysis::range_summary(*m_model, begin, end);
    const Model& model = *m_model;
    QString rows;
    rows += row(tr("From"), when(r.begin));
    rows += row(tr("To"), when(r.end));
    rows += row(tr("Duration"), esc(durationText(r.end - r.begin)));
    rows += row(tr("Tasks alive"), QString::number(r.tasks_alive));
    rows += row(tr("Created"), QString::number(r.tasks_created));
    QString completed = QString::number(r.tasks_completed);
    if (r.tasks_failed) completed += QStringLiteral(" <span style='color:#c62828'>") % tr("(%1 failed)").arg(r.tasks_failed) % QStringLiteral("</span>");
    rows += row(tr("Completed"), completed);
    rows += row(tr("Blocking"), r.blocking ? tr("%1, %2 inside").arg(r.blocking).arg(esc(durationText(r.blocking_time))) : tr("none"));
    rows += row(tr("Loop lag"), r.lag.samples ? tr("avg %1 ms · p99 %2 ms · max %3 ms · %4")
                                                     .arg(r.lag.avg_ms, 0, 'f', 2).arg(r.lag.p99_ms, 0, 'f', 2)
                                                     .arg(r.lag.max_ms, 0, 'f', 2)
                                                     .arg(countText(r.lag.samples, tr("sample"), tr("samples")))
                                               : tr("no samples"));
    QString html = heading(tr("Range"), durationText(r.end - r.begin)) % table(rows);
    if (!r.threads.empty()) {
        QString threads;
        for (const analysis::RangeThread& t : r.threads)
            threads += row(esc(threadName(model, t.thread)),
                           esc(durationText(t.running)) % QStringLiteral(" (") %
                               QString::number(100.0 * static_cast<double>(t.running) /
                                                   static_cast<double>(std::max<Time>(r.end - r.begin, 1)),
                                               'f', 0) %
                               QStringLiteral("%) · ") % countText(t.slices, tr("slice"), tr("slices")));
        html += subheading(tr("Running, per thread")) % table(threads);
    }
    if (!r.awaits.empty()) {
        QString awaits;
        for (size_t i = 0; i < r.awaits.size() && i < kMaxListed; ++i) {
            const analysis::RangeAwaits& a = r.awaits[i];
            QString what = toQString(model.string(a.awaitable));
            const QString where = locationText(model, a.location);
            if (!where.isEmpty()) what += (what.isEmpty() ? QString() : QStringLiteral(" — ")) + where;
            awaits += row(esc(what.isEmpty() ? tr("await") : what),
                          esc(durationText(a.total)) % QStringLiteral(" · ") % countText(a.count, tr("await"), tr("awaits")));
        }
        html += subheading(tr("Awaiting, by location")) % table(awaits);
    }
    m_browser->setHtml(html);
}

QString DetailsPanel::render(const Model& model, Selection s) const {
    const auto in = [&](size_t size) { return s.index < size; };
    switch (s.kind) {
    case Kind::Task: return in(model.tasks.size()) ? renderTask(model, s.index) : QString();
    case Kind::AwaitPoint: return in(model.awaits.size()) ? renderAwait(model, s.index) : QString();
    case Kind::RunSlice: return in(model.runs.size()) ? renderRunSlice(model, s.index) : QString();
    case Kind::ThreadSpan: return in(model.thread_spans.size()) ? renderThreadSpan(model, s.index) : QString();
    case Kind::AsyncSpan: return in(model.async_spans.size()) ? renderAsyncSpan(model, s.index) : QString();
    case Kind::Blocking: return in(model.blocking.size()) ? renderBlocking(model, s.index) : QString();
    case Kind::LagSample: return in(model.lag.size()) ? renderLag(model, s.index) : QString();
    case Kind::Instant: return in(model.instants.size()) ? renderInstant(model, s.index) : QString();
    case Kind::Sample: return in(model.samples.size()) ? renderSample(model, s.index) : QString();
    case Kind::CounterSample: return in(model.counter_samples.size()) ? renderCounterSample(model, s.index) : QString();
    case Kind::Flow: return in(model.flows.size()) ? renderFlow(model, s.index) : QString();
    case Kind::None: return QString();
    }
    return QString();
}

QString DetailsPanel::renderTask(const Model& model, uint32_t index) const {
    const Task& task = model.tasks[index];
    const TaskIndex ti(index);
    QString rows;
    rows += row(tr("State"), esc(stateText(task.state)));
    if (task.error_message.value != 0)
        rows += row(tr("Message"), QStringLiteral("<span style='color:#c62828'>") %
                                       esc(toQString(model.string(task.error_message))) % QStringLiteral("</span>"));
    rows += row(tr("Task id"), QString::number(task.task_id));
    const QString coro = toQString(model.string(task.coro_name));
    if (!coro.isEmpty()) rows += row(tr("Coroutine"), esc(coro));
    rows += row(tr("Created"), task.created_seen ? when(task.created) : tr("not recorded"));
    rows += row(tr("First run"), when(task.first_run));
    rows += row(tr("Completed"), task.completed == kNoTime ? tr("— (unfinished)") : when(task.completed));
    if (task.created != kNoTime) rows += row(tr("Duration"), esc(durationText(task.end_or(model.end) - task.created)));
    if (task_known_from_spans_only(task)) {
        rows += row(tr("Runs"), tr("none recorded: the task is known from its async spans"));
    } else {
        rows += row(tr("Busy"), esc(durationText(task.busy)));
        rows += row(tr("Scheduled"), esc(durationText(task.scheduled)));
        rows += row(tr("Awaiting"), esc(durationText(task.awaiting)));
        rows += row(tr("Idle"), esc(durationText(task.idle)));
        rows += row(tr("Polls"), QString::number(task.polls));
        rows += row(tr("Threads"), QString::number(task.thread_count) % (task.migrated() ? tr(" (migrated)") : QString()));
    }
    rows += row(tr("Spawned at"), esc(locationText(model, task.spawn_location)));
    rows += row(tr("Parent"), task.parent.valid() ? taskLink(model, task.parent) : tr("— (root)"));
    // A task imported from a top-level async slice: that slice's category and arguments are the task's.
    const AsyncSpanIndex root = rootSpanOf(model, ti);
    if (root.valid()) {
        const AsyncSpan& span = model.async_spans[root.value];
        rows += row(tr("Category"), esc(categoryText(model, span.location)));
        rows += row(tr("Root span"), link({Kind::AsyncSpan, root.value}, toQString(model.string(span.name))));
    }
    QString html = heading(tr("Task"), taskName(model, ti), taskReplacedName(model, ti)) % table(rows);
    if (root.valid()) html += argsSection(model, model.async_spans[root.value].args);
    html += flowsSection(model, {Kind::Task, index});

    const auto children = model.children(task);
    if (!children.empty()) {
        html += QStringLiteral("<h4>") % tr("Children (%1)").arg(children.size()) % QStringLiteral("</h4><ul style='margin:0'>");
        for (size_t i = 0; i < children.size() && i < kMaxListed; ++i)
            html += QStringLiteral("<li>") % taskLink(model, children[i]) % QStringLiteral(" — ") %
                    esc(stateText(model.task(children[i]).state)) % QStringLiteral("</li>");
        if (children.size() > kMaxListed) html += QStringLiteral("<li>") % tr("… %1 more").arg(children.size() - kMaxListed) % QStringLiteral("</li>");
        html += QStringLiteral("</ul>");
    }
    const auto awaits = model.awaits_of(task);
    if (!awaits.empty()) {
        html += QStringLiteral("<h4>") % tr("Awaits (%1)").arg(awaits.size()) % QStringLiteral("</h4><ul style='margin:0'>");
        for (size_t i = 0; i < awaits.size() && i < kMaxListed; ++i) {
            const AwaitPoint& a = awaits[i];
            QString label = toQString(model.string(a.awaitable));
            if (label.isEmpty()) label = locationText(model, a.location);
            if (label.isEmpty()) label = tr("await");
            html += QStringLiteral("<li>") % link({Kind::AwaitPoint, task.awaits.first + static_cast<uint32_t>(i)}, label) %
                    QStringLiteral(" — ") % esc(durationText(a.end - a.begin)) % QStringLiteral("</li>");
        }
        if (awaits.size() > kMaxListed) html += QStringLiteral("<li>") % tr("… %1 more").arg(awaits.size() - kMaxListed) % QStringLiteral("</li>");
        html += QStringLiteral("</ul>");
    }
    return html;
}

QString DetailsPanel::renderAwait(const Model& model, uint32_t index) const {
    const AwaitPoint& a = model.awaits[index];
    QString title = toQString(model.string(a.awaitable));
    if (title.isEmpty()) title = tr("await");
    QString rows;
    rows += row(tr("Task"), taskLink(model, a.task));
    rows += row(tr("Location"), esc(locationText(model, a.location)));
    const TaskIndex awaited = analysis::awaited_task(model, index);
    if (awaited.valid()) rows += row(tr("Awaited task"), taskLink(model, awaited));
    rows += row(tr("Began"), when(a.begin));
    rows += row(tr("Ended"), a.unfinished ? tr("— (unfinished)") : when(a.end));
    rows += row(tr("Duration"), esc(durationText(a.end - a.begin)));
    return heading(tr("Await point"), title) % table(rows);
}

QString DetailsPanel::renderRunSlice(const Model& model, uint32_t index) const {
    QString thread;
    for (uint32_t t = 0; t < model.threads.size(); ++t) {
        const Range r = model.threads[t].run_slices;
        if (index >= r.first && index < r.end()) thread = threadName(model, ThreadIndex(t));
    }
    const TaskIndex task = model.runs.task[index];
    QString rows;
    rows += row(tr("Task"), task.valid() ? taskLink(model, task) : tr("unknown (its creation was not recorded)"));
    rows += row(tr("Thread"), esc(thread));
    rows += row(tr("Began"), when(model.runs.begin[index]));
    rows += row(tr("Ended"), when(model.runs.end[index]));
    rows += row(tr("Duration"), esc(durationText(model.runs.end[index] - model.runs.begin[index])));
    return heading(tr("Run slice (poll)"), task.valid() ? taskName(model, task) : tr("orphan run")) % table(rows);
}

QString DetailsPanel::renderThreadSpan(const Model& model, uint32_t index) const {
    const ThreadSpan& s = model.thread_spans[index];
    QString rows;
    rows += row(tr("Location"), esc(locationText(model, s.location)));
    rows += row(tr("Category"), esc(categoryText(model, s.location)));
    rows += row(tr("Thread"), esc(threadName(model, thread_of_span(model, index))));
    rows += row(tr("Depth"), QString::number(s.depth));
    rows += row(tr("Began"), when(s.begin));
    rows += row(tr("Ended"), s.unfinished ? tr("— (unfinished)") : when(s.end));
    rows += row(tr("Duration"), esc(durationText(s.end - s.begin)));
    return heading(tr("Thread span"), toQString(model.string(s.name))) % table(rows) % argsSection(model, s.args) %
           flowsSection(model, {Kind::ThreadSpan, index});
}

QString DetailsPanel::renderAsyncSpan(const Model& model, uint32_t index) const {
    const AsyncSpan& s = model.async_spans[index];
    QString rows;
    rows += row(tr("Span id"), QString::number(s.span_id));
    rows += row(tr("Location"), esc(locationText(model, s.location)));
    rows += row(tr("Category"), esc(categoryText(model, s.location)));
    if (s.parent.valid() && s.parent.value < model.async_spans.size())
        rows += row(tr("Parent"), link({Kind::AsyncSpan, s.parent.value}, toQString(model.string(model.async_spans[s.parent.value].name))));
    rows += row(tr("Task"), taskLink(model, s.task));
    rows += row(tr("Began"), when(s.begin) % QStringLiteral(" on ") % esc(threadName(model, s.begin_thread)));
    rows += row(tr("Ended"), s.unfinished ? tr("— (unfinished)")
                                          : when(s.end) % QStringLiteral(" on ") % esc(threadName(model, s.end_thread)));
    rows += row(tr("Duration"), esc(durationText(s.end - s.begin)));
    return heading(tr("Async span"), toQString(model.string(s.name))) % table(rows) % argsSection(model, s.args) %
           flowsSection(model, {Kind::AsyncSpan, index});
}

QString DetailsPanel::renderBlocking(const Model& model, uint32_t index) const {
    const BlockingEvent& b = model.blocking[index];
    QString rows;
    rows += row(tr("Thread"), esc(threadName(model, b.thread)));
    rows += row(tr("Task"), b.task.valid() ? taskLink(model, b.task) : tr("—"));
    rows += row(tr("Began"), when(b.begin));
    rows += row(tr("Detected"), when(b.end));
    QString html = heading(tr("Blocking"), durationText(b.duration())) % table(rows);
    if (b.frames.count > 0 && b.frames.end() <= model.frames.size()) {
        html += QStringLiteral("<h4>") % tr("Stack") % QStringLiteral("</h4><pre style='margin:0'>");
        for (uint32_t i = b.frames.first; i < b.frames.end(); ++i)
            html += esc(locationText(model, model.frames[i])) % QLatin1Char('\n');
        html += QStringLiteral("</pre>");
    }
    return html;
}

QString DetailsPanel::renderLag(const Model& model, uint32_t index) const {
    const LagSample& s = model.lag[index];
    QString rows;
    rows += row(tr("Thread"), esc(threadName(model, s.thread)));
    rows += row(tr("Time"), when(s.time));
    return heading(tr("Event-loop lag"), durationText(s.lag)) % table(rows);
}

} // namespace weft::ui

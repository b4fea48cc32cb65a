// The lane-name column's context menu: what can be done to a row's thread, process or task, and
// how tasks are grouped into rows. Every entry is also reachable otherwise (the header's arrows,
// the task tree), except hiding and pinning threads, which live here.
#include "timeline/timeline_view.h"

#include <QActionGroup>
#include <QContextMenuEvent>
#include <QMenu>

namespace weft::ui {

namespace {
bool is_thread_row(RowKind kind) {
    switch (kind) {
    case RowKind::ThreadRuns:
    case RowKind::ThreadBlocking:
    case RowKind::ThreadLag:
    case RowKind::ThreadSpans:
    case RowKind::ThreadMarks:
        return true;
    default:
        return false;
    }
}
} // namespace

void TimelineView::contextMenuEvent(QContextMenuEvent* event) {
    // Only over the names: a right-drag over the lanes measures a range.
    if (!m_model || event->pos().x() >= lanesRect().left() || event->pos().y() < lanesRect().top()) return;
    const int row_index = rowAt(QPoint(lanesRect().left(), event->pos().y()));
    QMenu menu(this);
    if (row_index >= 0) {
        const LaneRow& row = m_layout.row(static_cast<size_t>(row_index));
        const Model& m = *m_model;
        if (is_thread_row(row.kind) && row.index < m.threads.size()) {
            const ThreadIndex thread{row.index};
            const int head = m_layout.row_of_thread_head(thread);
            if (head >= 0 && m_layout.row(static_cast<size_t>(head)).expandable) {
                const bool collapsed = m_layout.thread_collapsed(m, thread);
                menu.addAction(collapsed ? tr("Expand Thread") : tr("Collapse Thread"), this,
                               [this, thread, collapsed] { setThreadCollapsed(thread, !collapsed); });
            }
            const bool pinned = m_layout.thread_pinned(m, thread);
            menu.addAction(pinned ? tr("Unpin Thread") : tr("Pin Thread to Top"), this,
                           [this, thread, pinned] { setThreadPinned(thread, !pinned); });
            menu.addAction(tr("Hide Thread"), this, [this, thread] { setThreadHidden(thread, true); });
        } else if (row.kind == RowKind::Process && row.index < m.processes.size()) {
            const ProcessIndex process{row.index};
            const size_t hidden = m_layout.hidden_threads(m, process);
            if (hidden > 0)
                menu.addAction(tr("Show %n Hidden Thread(s)", nullptr, static_cast<int>(hidden)), this,
                               [this, process] { showHiddenThreads(process); });
            menu.addAction(row.expanded ? tr("Collapse Process") : tr("Expand Process"), this,
                           [this, row_index] { toggleRow(row_index); });
        } else if (row.kind == RowKind::Task && row.expandable) {
            const TaskIndex task{row.index};
            menu.addAction(row.expanded ? tr("Collapse Task") : tr("Expand Task"), this,
                           [this, task, expanded = row.expanded] { setTaskExpanded(task, !expanded); });
        }
    }
    if (!menu.isEmpty()) menu.addSeparator();
    auto* grouping = new QActionGroup(&menu);
    QAction* by_name =
        menu.addAction(tr("Group Tasks by Name"), this, [this] { setTaskGrouping(TaskGrouping::Name); });
    QAction* by_site = menu.addAction(tr("Group Tasks by Spawn Location"), this,
                                      [this] { setTaskGrouping(TaskGrouping::SpawnLocation); });
    for (QAction* a : {by_name, by_site}) {
        a->setCheckable(true);
        grouping->addAction(a);
    }
    (taskGrouping() == TaskGrouping::Name ? by_name : by_site)->setChecked(true);
    menu.exec(event->globalPos());
}

} // namespace weft::ui

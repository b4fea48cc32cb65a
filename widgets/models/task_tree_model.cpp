#include "models/task_tree_model.h"

#include "models/roles.h"
#include "models/text.h"
#include "query/draw_list.h"
#include "query/selection.h"

#include <QBrush>
#include <QColor>

namespace weft::ui {

TaskTreeModel::TaskTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

void TaskTreeModel::setModel(std::shared_ptr<const Model> model) {
    beginResetModel();
    m_model = std::move(model);
    m_roots.clear();
    m_parent.clear();
    m_row.clear();
    m_childBegin.clear();
    m_childCount.clear();
    m_children.clear();
    if (m_model) {
        const Model& mdl = *m_model;
        const uint32_t n = static_cast<uint32_t>(mdl.tasks.size());
        m_parent.assign(n, kNone);
        m_row.assign(n, 0);
        m_childBegin.assign(n, 0);
        m_childCount.assign(n, 0);
        m_children.reserve(mdl.task_children.size());
        // Re-derive children from the Model's lists, keeping only consistent entries: a damaged
        // trace must not give a child two parents or itself as a parent.
        for (uint32_t t = 0; t < n; ++t) {
            m_childBegin[t] = static_cast<uint32_t>(m_children.size());
            const Range r = mdl.tasks[t].children;
            if (r.end() > mdl.task_children.size() || r.end() < r.first) continue;
            for (TaskIndex c : mdl.children(mdl.tasks[t])) {
                if (!c.valid() || c.value >= n || c.value == t || m_parent[c.value] != kNone) continue;
                m_parent[c.value] = t;
                m_row[c.value] = m_childCount[t]++;
                m_children.push_back(c.value);
            }
        }
        for (uint32_t t = 0; t < n; ++t) {
            if (m_parent[t] != kNone) continue;
            m_row[t] = static_cast<uint32_t>(m_roots.size());
            m_roots.push_back(t);
        }
    }
    endResetModel();
}

QModelIndex TaskTreeModel::indexForTask(TaskIndex task, int column) const {
    if (!m_model || !task.valid() || task.value >= m_row.size()) return {};
    return createIndex(static_cast<int>(m_row[task.value]), column, quintptr(task.value));
}

TaskIndex TaskTreeModel::taskAt(const QModelIndex& index) const {
    if (!index.isValid() || index.model() != this) return {};
    return TaskIndex(static_cast<uint32_t>(index.internalId()));
}

QModelIndex TaskTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (!m_model || row < 0 || column < 0 || column >= ColumnCount) return {};
    if (!parent.isValid()) {
        if (static_cast<size_t>(row) >= m_roots.size()) return {};
        return createIndex(row, column, quintptr(m_roots[static_cast<size_t>(row)]));
    }
    if (parent.column() != 0) return {};
    const uint32_t p = static_cast<uint32_t>(parent.internalId());
    if (static_cast<uint32_t>(row) >= m_childCount[p]) return {};
    return createIndex(row, column, quintptr(m_children[m_childBegin[p] + static_cast<uint32_t>(row)]));
}

QModelIndex TaskTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || !m_model) return {};
    const uint32_t p = m_parent[static_cast<uint32_t>(child.internalId())];
    if (p == kNone) return {};
    return createIndex(static_cast<int>(m_row[p]), 0, quintptr(p));
}

int TaskTreeModel::rowCount(const QModelIndex& parent) const {
    if (!m_model) return 0;
    if (!parent.isValid()) return static_cast<int>(m_roots.size());
    if (parent.column() != 0) return 0;
    return static_cast<int>(m_childCount[static_cast<uint32_t>(parent.internalId())]);
}

int TaskTreeModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant TaskTreeModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !m_model) return {};
    const TaskIndex ti(static_cast<uint32_t>(index.internalId()));
    const Task& task = m_model->task(ti);
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole: return displayData(task, ti, column);
    case SortRole: return sortData(task, ti, column);
    case SecondaryTextRole: return column == Name ? QVariant(taskReplacedName(*m_model, ti)) : QVariant();
    case SelectionKindRole: return int(Selection::Kind::Task);
    case SelectionIndexRole: return ti.value;
    case Qt::TextAlignmentRole:
        if (column >= Created && column <= Threads) return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (column != State) return {};
        switch (task.state) {
        case TaskState::Error: return QBrush(QColor(0xc6, 0x28, 0x28));
        case TaskState::Cancelled: return QBrush(QColor(0xc7, 0x6a, 0x00));
        case TaskState::Unfinished: return QBrush(QColor(0x75, 0x75, 0x75));
        case TaskState::Ok: return {};
        }
        return {};
    case Qt::ToolTipRole: {
        if (column == State && task.error_message.value != 0)
            return toQString(m_model->string(task.error_message));
        if (column == Name) {
            QString tip = taskName(*m_model, ti);
            const QString replaced = taskReplacedName(*m_model, ti);
            if (!replaced.isEmpty()) tip += QStringLiteral("\nname: ") + replaced;
            const QString coro = toQString(m_model->string(task.coro_name));
            if (!coro.isEmpty() && coro != tip) tip += QStringLiteral("\ncoroutine: ") + coro;
            tip += QStringLiteral("\nid: %1").arg(task.task_id);
            if (!task.created_seen) tip += QStringLiteral("\ncreation not recorded");
            return tip;
        }
        if (column == SpawnLocation) return locationText(*m_model, task.spawn_location);
        return {};
    }
    default: return {};
    }
}

QVariant TaskTreeModel::displayData(const Task& task, TaskIndex index, int column) const {
    const Model& mdl = *m_model;
    // A task known only from its async spans never ran on a thread: no run-time figures to show.
    if (task_known_from_spans_only(task) && column >= Busy && column <= Threads) return {};
    switch (column) {
    case Name: return taskName(mdl, index);
    case State: return stateText(task.state);
    case Created: return preciseTimeText(task.created);
    case Duration:
        if (task.created == kNoTime) return {};
        return task.completed == kNoTime ? QStringLiteral("≥ ") + durationText(mdl.end - task.created)
                                         : durationText(task.completed - task.created);
    case Busy: return durationText(task.busy);
    case Idle: return durationText(task.idle);
    case Scheduled: return durationText(task.scheduled);
    case Polls: return task.polls;
    case Threads: return task.thread_count;
    case SpawnLocation: return toQString(mdl.location_label(task.spawn_location));
    default: return {};
    }
}

QVariant TaskTreeModel::sortData(const Task& task, TaskIndex index, int column) const {
    const Model& mdl = *m_model;
    switch (column) {
    case Name: return taskName(mdl, index).toLower();
    case State: return int(task.state);
    case Created: return qint64(task.created);
    case Duration: return qint64(task.created == kNoTime ? 0 : task.end_or(mdl.end) - task.created);
    case Busy: return qint64(task.busy);
    case Idle: return qint64(task.idle);
    case Scheduled: return qint64(task.scheduled);
    case Polls: return task.polls;
    case Threads: return task.thread_count;
    case SpawnLocation: return toQString(mdl.location_label(task.spawn_location));
    default: return {};
    }
}

QVariant TaskTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Name: return tr("Task");
        case State: return tr("State");
        case Created: return tr("Created");
        case Duration: return tr("Duration");
        case Busy: return tr("Busy");
        case Idle: return tr("Idle");
        case Scheduled: return tr("Scheduled");
        case Polls: return tr("Polls");
        case Threads: return tr("Threads");
        case SpawnLocation: return tr("Spawned at");
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Duration: return tr("From creation to completion (to the trace end while unfinished)");
        case Busy: return tr("Time spent running (sum of polls)");
        case Idle: return tr("Lifetime minus busy and scheduled time");
        case Scheduled: return tr("Time ready to run but waiting for a thread");
        case Polls: return tr("Number of run slices");
        case Threads: return tr("Distinct threads the task ran on");
        default: return {};
        }
    }
    return {};
}

} // namespace weft::ui

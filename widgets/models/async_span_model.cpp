#include "models/async_span_model.h"

#include "models/roles.h"
#include "models/text.h"
#include "query/selection.h"
#include "query/task_names.h"
#include "query/text_match.h"
#include "timeline/timeline_colors.h"

#include <QBrush>
#include <QFont>
#include <algorithm>

namespace weft::ui {

namespace {
// A parent chain longer than this is damaged data (a cycle): the chain stops there.
constexpr int kMaxChain = 64;

} // namespace

AsyncSpanModel::AsyncSpanModel(QObject* parent) : QAbstractTableModel(parent) {
}

void AsyncSpanModel::setModel(std::shared_ptr<const Model> model) {
    beginResetModel();
    m_model = std::move(model);
    m_begins.clear();
    m_ends.clear();
    m_hopped = 0;
    if (m_model) {
        const Model& m = *m_model;
        m_begins.assign(m.threads.size(), 0);
        m_ends.assign(m.threads.size(), 0);
        for (const AsyncSpan& s : m.async_spans) {
            if (s.begin_thread.valid() && s.begin_thread.value < m.threads.size())
                ++m_begins[s.begin_thread.value];
            if (s.end_thread.valid() && s.end_thread.value < m.threads.size()) ++m_ends[s.end_thread.value];
            m_hopped += hopped(s) ? 1 : 0;
        }
    }
    rebuildRows();
    endResetModel();
}

void AsyncSpanModel::setNameFilter(const QString& text) {
    if (text == m_filter) return;
    beginResetModel();
    m_filter = text;
    rebuildRows();
    endResetModel();
}

bool AsyncSpanModel::hopped(const AsyncSpan& s) const {
    return s.begin_thread.valid() && s.end_thread.valid() && s.begin_thread != s.end_thread;
}

void AsyncSpanModel::rebuildRows() {
    m_rows.clear();
    m_row_of.clear();
    if (!m_model) return;
    const Model& m = *m_model;
    const size_t n = m.async_spans.size();
    // Names are interned: decide each distinct name once, then keep the spans that carry one.
    TextMatcher matches(m_filter.trimmed().toStdString());
    std::vector<int8_t> name_matches(matches.empty() ? 0 : m.strings.size(), -1);
    m_rows.reserve(n);
    for (uint32_t i = 0; i < n; ++i) {
        if (!matches.empty()) {
            const uint32_t id = m.async_spans[i].name.value;
            if (id >= name_matches.size()) continue;
            if (name_matches[id] < 0)
                name_matches[id] = matches(m.string(StringId{id})) ? 1 : 0;
            if (name_matches[id] == 0) continue;
        }
        m_rows.push_back(i);
    }
    const auto& spans = m.async_spans;
    auto name_of = [&](uint32_t s) { return m.string(spans[s].name); };
    auto parent_name = [&](uint32_t s) {
        const AsyncSpanIndex p = spans[s].parent;
        return p.valid() && p.value < spans.size() ? m.string(spans[p.value].name) : std::string_view{};
    };
    auto task_name = [&](uint32_t s) { return task_shown_name(m, spans[s].task); };
    auto thread_key = [&](ThreadIndex t) { return t.valid() ? t.value : UINT32_MAX; };
    auto less = [&](uint32_t a, uint32_t b) -> bool {
        const AsyncSpan& x = spans[a];
        const AsyncSpan& y = spans[b];
        switch (m_sort_column) {
        case Name:
            return name_of(a) < name_of(b);
        case Begin:
            return x.begin < y.begin;
        case Duration:
            return x.end - x.begin < y.end - y.begin;
        case Depth:
            return x.depth < y.depth;
        case BeginThread:
            return thread_key(x.begin_thread) < thread_key(y.begin_thread);
        case EndThread:
            return thread_key(x.end_thread) < thread_key(y.end_thread);
        case Parent:
            return parent_name(a) < parent_name(b);
        case Task:
            return task_name(a) < task_name(b);
        default:
            return a < b;
        }
    };
    // Stable, so equal keys keep the order of the spans (by begin): the same every time.
    if (m_sort_order == Qt::AscendingOrder)
        std::stable_sort(m_rows.begin(), m_rows.end(), less);
    else
        std::stable_sort(m_rows.begin(), m_rows.end(), [&](uint32_t a, uint32_t b) { return less(b, a); });
    m_row_of.assign(n, -1);
    for (size_t r = 0; r < m_rows.size(); ++r)
        m_row_of[m_rows[r]] = static_cast<int32_t>(r);
}

void AsyncSpanModel::sort(int column, Qt::SortOrder order) {
    if (column < 0 || column >= ColumnCount) return;
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<uint32_t> spans_before;
    spans_before.reserve(static_cast<size_t>(before.size()));
    for (const QModelIndex& i : before)
        spans_before.push_back(m_rows[static_cast<size_t>(i.row())]);
    m_sort_column = column;
    m_sort_order = order;
    rebuildRows();
    QModelIndexList after;
    after.reserve(before.size());
    for (qsizetype k = 0; k < before.size(); ++k) {
        const int32_t row = m_row_of[spans_before[static_cast<size_t>(k)]];
        after.push_back(row < 0 ? QModelIndex() : index(row, before[k].column()));
    }
    changePersistentIndexList(before, after);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

qint64 AsyncSpanModel::spanAt(int row) const {
    if (row < 0 || static_cast<size_t>(row) >= m_rows.size()) return -1;
    return m_rows[static_cast<size_t>(row)];
}

int AsyncSpanModel::rowOfSpan(uint32_t span) const {
    return span < m_row_of.size() ? m_row_of[span] : -1;
}

QString AsyncSpanModel::parentChain(uint32_t span) const {
    if (!m_model || span >= m_model->async_spans.size()) return {};
    const Model& m = *m_model;
    QStringList chain;
    AsyncSpanIndex at{span};
    for (int guard = 0; at.valid() && at.value < m.async_spans.size() && guard < kMaxChain; ++guard) {
        chain.prepend(toQString(m.string(m.async_spans[at.value].name)));
        at = m.async_spans[at.value].parent;
    }
    return chain.join(QStringLiteral(" \u203a "));
}

int AsyncSpanModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int AsyncSpanModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AsyncSpanModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !m_model || static_cast<size_t>(index.row()) >= m_rows.size()) return {};
    const Model& m = *m_model;
    const uint32_t i = m_rows[static_cast<size_t>(index.row())];
    const AsyncSpan& s = m.async_spans[i];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return toQString(m.string(s.name));
        case Begin:
            return preciseTimeText(s.begin);
        case Duration:
            return s.unfinished ? durationText(s.end - s.begin) + tr(" (open)")
                                : durationText(s.end - s.begin);
        case Depth:
            return int(s.depth);
        case BeginThread:
            return threadName(m, s.begin_thread);
        case EndThread:
            return s.end_thread.valid() ? threadName(m, s.end_thread) : tr("—");
        case Parent:
            return s.parent.valid() && s.parent.value < m.async_spans.size()
                       ? toQString(m.string(m.async_spans[s.parent.value].name))
                       : tr("—");
        case Task:
            return s.task.valid() ? taskName(m, s.task) : tr("—");
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == EndThread && hopped(s)) return tr("Ended on another thread than it began on");
        if (index.column() == Parent || index.column() == Name) return parentChain(i);
        return {};
    case Qt::FontRole:
        if (index.column() == EndThread && hopped(s)) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::ForegroundRole:
        // The thread hop, in the colour the timeline gives a migration.
        if (index.column() == EndThread && hopped(s)) return QBrush(timeline_palette().migration);
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == Begin || index.column() == Duration || index.column() == Depth
                   ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                   : QVariant();
    case SelectionKindRole:
        return int(Selection::Kind::AsyncSpan);
    case SelectionIndexRole:
        return i;
    default:
        return {};
    }
}

QVariant AsyncSpanModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Name:
        return tr("Span");
    case Begin:
        return tr("Begin");
    case Duration:
        return tr("Duration");
    case Depth:
        return tr("Depth");
    case BeginThread:
        return tr("Began on");
    case EndThread:
        return tr("Ended on");
    case Parent:
        return tr("Parent");
    case Task:
        return tr("Task");
    default:
        return {};
    }
}

} // namespace weft::ui

#include "models/await_model.h"

#include "models/roles.h"
#include "models/text.h"
#include "query/selection.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace weft::ui {

// internalId: 0 for a location row, group + 1 for an instance row of that group.

AwaitModel::AwaitModel(QObject* parent) : QAbstractItemModel(parent) {}

void AwaitModel::setModel(std::shared_ptr<const Model> model, Time minDuration) {
    m_requestedModel = model;
    m_requestedMinDuration = minDuration;
    const uint64_t generation = ++m_requested;
    if (!model) {
        m_applied = generation;
        apply(nullptr, {});
        return;
    }
    using Groups = std::vector<analysis::AwaitLocationStats>;
    auto* watcher = new QFutureWatcher<Groups>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, model] {
        watcher->deleteLater();
        if (generation != m_requested) return; // a newer request is on its way
        m_applied = generation;
        apply(model, watcher->future().takeResult());
    });
    watcher->setFuture(QtConcurrent::run(
        [model, minDuration] { return analysis::await_stats_by_location(*model, minDuration); }));
}

void AwaitModel::setMinDuration(Time minDuration) {
    if (minDuration == m_requestedMinDuration) return;
    setModel(m_requestedModel, minDuration);
}

void AwaitModel::apply(std::shared_ptr<const Model> model, std::vector<analysis::AwaitLocationStats> groups) {
    // The model and its groups change together, so indices never mix one trace with another.
    beginResetModel();
    m_model = std::move(model);
    m_groups = std::move(groups);
    endResetModel();
    emit groupsReady();
}

qint64 AwaitModel::awaitAt(const QModelIndex& index) const {
    if (!index.isValid() || index.model() != this || index.internalId() == 0) return -1;
    const auto& group = m_groups[index.internalId() - 1];
    return group.instances[static_cast<size_t>(index.row())];
}

QModelIndex AwaitModel::indexForAwait(uint32_t await, int column) const {
    if (!m_model || await >= m_model->awaits.size()) return {};
    const LocationId location = m_model->awaits[await].location;
    for (size_t g = 0; g < m_groups.size(); ++g) {
        if (m_groups[g].location != location) continue;
        const auto& inst = m_groups[g].instances;
        for (size_t i = 0; i < inst.size(); ++i)
            if (inst[i] == await) return createIndex(static_cast<int>(i), column, quintptr(g + 1));
    }
    return {};
}

QModelIndex AwaitModel::index(int row, int column, const QModelIndex& parent) const {
    if (row < 0 || column < 0 || column >= ColumnCount) return {};
    if (!parent.isValid()) {
        if (static_cast<size_t>(row) >= m_groups.size()) return {};
        return createIndex(row, column, quintptr(0));
    }
    if (parent.internalId() != 0 || parent.column() != 0) return {};
    const auto& group = m_groups[static_cast<size_t>(parent.row())];
    if (static_cast<size_t>(row) >= group.instances.size()) return {};
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex AwaitModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || child.internalId() == 0) return {};
    return createIndex(static_cast<int>(child.internalId() - 1), 0, quintptr(0));
}

int AwaitModel::rowCount(const QModelIndex& parent) const {
    if (!parent.isValid()) return static_cast<int>(m_groups.size());
    if (parent.internalId() != 0 || parent.column() != 0) return 0;
    return static_cast<int>(m_groups[static_cast<size_t>(parent.row())].instances.size());
}

int AwaitModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant AwaitModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !m_model) return {};
    if (role == Qt::TextAlignmentRole)
        return index.column() == Where ? QVariant() : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    if (index.internalId() == 0) return groupData(m_groups[static_cast<size_t>(index.row())], index.column(), role);
    return instanceData(static_cast<uint32_t>(awaitAt(index)), index.column(), role);
}

QVariant AwaitModel::groupData(const analysis::AwaitLocationStats& group, int column, int role) const {
    const Model& mdl = *m_model;
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Where: {
            QString where = locationText(mdl, group.location);
            if (where.isEmpty()) where = tr("(unknown location)");
            const QString awaitable = toQString(mdl.string(group.awaitable));
            return awaitable.isEmpty() ? where : awaitable % QStringLiteral(" — ") % where;
        }
        case Count: return QVariant::fromValue<qulonglong>(group.count);
        case Total: return durationText(group.total);
        case Mean: return durationText(group.mean);
        case P50: return durationText(group.p50);
        case P95: return durationText(group.p95);
        case P99: return durationText(group.p99);
        case Max: return durationText(group.max);
        default: return {};
        }
    }
    if (role == SortRole) {
        switch (column) {
        case Where: return locationText(mdl, group.location).toLower();
        case Count: return QVariant::fromValue<qulonglong>(group.count);
        case Total: return qint64(group.total);
        case Mean: return qint64(group.mean);
        case P50: return qint64(group.p50);
        case P95: return qint64(group.p95);
        case P99: return qint64(group.p99);
        case Max: return qint64(group.max);
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole && column == Where) {
        // The whole of what the column may shorten: what was awaited, and where.
        const QString awaitable = toQString(mdl.string(group.awaitable));
        QString where = locationText(mdl, group.location);
        if (where.isEmpty()) where = tr("(unknown location)");
        return awaitable.isEmpty() ? where : awaitable % QStringLiteral("\n") % where;
    }
    return {};
}

QVariant AwaitModel::instanceData(uint32_t await, int column, int role) const {
    const Model& mdl = *m_model;
    const AwaitPoint& point = mdl.awaits[await];
    const Time duration = point.end - point.begin;
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Where: {
            QString text = taskName(mdl, point.task);
            if (point.unfinished) text += tr("  (unfinished)");
            return text;
        }
        case Total: return durationText(duration);
        case Started: return preciseTimeText(point.begin);
        default: return {};
        }
    }
    if (role == SortRole) {
        switch (column) {
        case Where: return taskName(mdl, point.task).toLower();
        case Total: case Mean: case P50: case P95: case P99: case Max: return qint64(duration);
        case Started: return qint64(point.begin);
        default: return {};
        }
    }
    if (role == SelectionKindRole) return int(Selection::Kind::AwaitPoint);
    if (role == SelectionIndexRole) return await;
    if (role == Qt::ToolTipRole) return tr("Double-click to show it on the timeline");
    return {};
}

QVariant AwaitModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Where: return tr("Await location / task");
    case Count: return tr("Count");
    case Total: return tr("Total");
    case Mean: return tr("Mean");
    case P50: return tr("p50");
    case P95: return tr("p95");
    case P99: return tr("p99");
    case Max: return tr("Max");
    case Started: return tr("Started");
    default: return {};
    }
}

} // namespace weft::ui

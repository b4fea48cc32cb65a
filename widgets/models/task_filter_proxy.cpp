#include "models/task_filter_proxy.h"

#include "models/roles.h"
#include "models/task_tree_model.h"

namespace weft::ui {

TaskFilterProxy::TaskFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
    setRecursiveFilteringEnabled(true);
    setSortRole(SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    // The source never changes between resets, so nothing needs re-sorting on the fly.
    setDynamicSortFilter(false);
}

void TaskFilterProxy::setFilterText(const QString& text) {
    const QString trimmed = text.trimmed();
    if (trimmed == m_text) return;
    m_text = trimmed;
    invalidateRowsFilter();
}

bool TaskFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (m_text.isEmpty()) return true;
    const QAbstractItemModel* source = sourceModel();
    for (int column : {int(TaskTreeModel::Name), int(TaskTreeModel::SpawnLocation)}) {
        const QString text = source->index(sourceRow, column, sourceParent).data(Qt::DisplayRole).toString();
        if (text.contains(m_text, Qt::CaseInsensitive)) return true;
    }
    return false;
}

} // namespace weft::ui

#include "panels/task_tree_panel.h"

#include "models/task_filter_proxy.h"
#include "models/task_tree_model.h"
#include "panels/secondary_text_delegate.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace weft::ui {

namespace {
// Expanding everything is linear in the visible rows; past this many tasks it would stall the UI.
constexpr size_t kExpandAllLimit = 20'000;
} // namespace

TaskTreePanel::TaskTreePanel(QWidget* parent)
    : QWidget(parent), m_model(new TaskTreeModel(this)), m_proxy(new TaskFilterProxy(this)),
      m_filter(new QLineEdit(this)), m_view(new QTreeView(this)), m_filterTimer(new QTimer(this)) {
    m_proxy->setSourceModel(m_model);

    m_filter->setPlaceholderText(tr("Filter by task name or spawn location"));
    m_filter->setClearButtonEnabled(true);
    m_filterTimer->setSingleShot(true);
    m_filterTimer->setInterval(150);
    connect(m_filter, &QLineEdit::textChanged, m_filterTimer, qOverload<>(&QTimer::start));
    connect(m_filterTimer, &QTimer::timeout, this, &TaskTreePanel::applyFilter);

    m_view->setModel(m_proxy);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(TaskTreeModel::Created, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->header()->setStretchLastSection(true);
    m_view->setColumnWidth(TaskTreeModel::Name, 200);
    m_view->setTextElideMode(Qt::ElideMiddle); // a qualified name keeps its end: ...Service::handle_request
    m_view->setItemDelegateForColumn(TaskTreeModel::Name, new SecondaryTextDelegate(m_view));
    for (int c = TaskTreeModel::State; c < TaskTreeModel::SpawnLocation; ++c) m_view->setColumnWidth(c, 76);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { onCurrentChanged(current); });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
}

void TaskTreePanel::setModel(std::shared_ptr<const Model> model) {
    const bool small = model && model->tasks.size() <= 200;
    m_model->setModel(std::move(model));
    m_proxy->sort(m_view->header()->sortIndicatorSection(), m_view->header()->sortIndicatorOrder());
    if (small) m_view->expandToDepth(1);
}

void TaskTreePanel::applyFilter() {
    m_proxy->setFilterText(m_filter->text());
    const auto& model = m_model->model();
    if (!m_filter->text().trimmed().isEmpty() && model && model->tasks.size() <= kExpandAllLimit)
        m_view->expandAll();
    const QModelIndex current = m_view->currentIndex();
    if (current.isValid()) m_view->scrollTo(current);
}

void TaskTreePanel::selectTask(TaskIndex task) {
    const QModelIndex source = m_model->indexForTask(task);
    const QModelIndex proxied = m_proxy->mapFromSource(source);
    m_syncing = true;
    if (proxied.isValid()) {
        m_view->selectionModel()->setCurrentIndex(
            proxied, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_view->scrollTo(proxied);
    } else {
        m_view->selectionModel()->clear();
    }
    m_syncing = false;
}

TaskIndex TaskTreePanel::currentTask() const {
    return m_model->taskAt(m_proxy->mapToSource(m_view->currentIndex()));
}

void TaskTreePanel::onCurrentChanged(const QModelIndex& current) {
    if (m_syncing) return;
    const TaskIndex task = m_model->taskAt(m_proxy->mapToSource(current));
    if (task.valid()) emit selectionRequested(Selection{Selection::Kind::Task, task.value});
}

} // namespace weft::ui

#pragma once
// The task tree dock: a filter box over a sortable tree of every task (name, state, times, polls...).
// Emits selectionRequested when the user picks a task; selectTask() follows the shared selection
// without echoing it back.

#include "model/model.h"
#include "query/selection.h"

#include <QWidget>

#include <memory>

class QLineEdit;
class QTimer;
class QTreeView;

namespace weft::ui {

class TaskFilterProxy;
class TaskTreeModel;

class TaskTreePanel final : public QWidget {
    Q_OBJECT
public:
    explicit TaskTreePanel(QWidget* parent = nullptr);

    void setModel(std::shared_ptr<const Model> model);
    void selectTask(TaskIndex task);
    TaskIndex currentTask() const;

    QTreeView* view() const { return m_view; }
    QLineEdit* filterEdit() const { return m_filter; }
    TaskTreeModel* treeModel() const { return m_model; }
    TaskFilterProxy* proxy() const { return m_proxy; }

signals:
    void selectionRequested(weft::Selection selection);

private:
    void applyFilter();
    void onCurrentChanged(const QModelIndex& current);

    TaskTreeModel* m_model;
    TaskFilterProxy* m_proxy;
    QLineEdit* m_filter;
    QTreeView* m_view;
    QTimer* m_filterTimer;
    bool m_syncing = false;
};

} // namespace weft::ui

#pragma once
// The task hierarchy of a trace as a Qt tree: a task's children are the tasks it spawned.
//
// An adapter only: it holds the immutable Model and a parent/row index built once in setModel(), so
// data() and parent() are O(1) however many tasks there are. A task the Model lists under two
// parents is shown under the first; tasks that no reachable parent lists are roots.

#include "model/model.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace weft::ui {

class TaskTreeModel final : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, State, Created, Duration, Busy, Idle, Scheduled, Polls, Threads, SpawnLocation, ColumnCount };

    explicit TaskTreeModel(QObject* parent = nullptr);

    void setModel(std::shared_ptr<const Model> model);
    const std::shared_ptr<const Model>& model() const { return m_model; }

    QModelIndex indexForTask(TaskIndex task, int column = 0) const;
    TaskIndex taskAt(const QModelIndex& index) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant displayData(const Task& task, TaskIndex index, int column) const;
    QVariant sortData(const Task& task, TaskIndex index, int column) const;

    static constexpr uint32_t kNone = UINT32_MAX;

    std::shared_ptr<const Model> m_model;
    std::vector<uint32_t> m_roots;
    std::vector<uint32_t> m_parent;        // per task: the parent it is shown under, or kNone
    std::vector<uint32_t> m_row;           // per task: its row under that parent (or among roots)
    std::vector<uint32_t> m_childBegin;    // per task: first of its children in m_children
    std::vector<uint32_t> m_childCount;
    std::vector<uint32_t> m_children;
};

} // namespace weft::ui

#pragma once
// Await points grouped by code location: one row per location with count / total / mean / p95 / max,
// expandable to its instances (longest first). Built from analysis::await_stats_by_location.

#include "analysis/await_stats.h"
#include "model/model.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace weft::ui {

class AwaitModel final : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Where, Count, Total, Mean, P50, P95, P99, Max, Started, ColumnCount };

    explicit AwaitModel(QObject* parent = nullptr);

    // Recomputes the aggregates (only awaits lasting at least `minDuration` count) on a worker
    // thread: grouping a large trace's awaits takes long enough to stall the window. Until the
    // result arrives the model keeps showing the previous one; then it resets and emits
    // groupsReady(). A request superseded by a newer one is dropped.
    void setModel(std::shared_ptr<const Model> model, Time minDuration);
    void setMinDuration(Time minDuration);
    Time minDuration() const { return m_requestedMinDuration; }
    const std::shared_ptr<const Model>& model() const { return m_model; }
    bool computing() const { return m_applied != m_requested; }

signals:
    void groupsReady();

public:

    // The await (index into Model::awaits) an instance row stands for; -1 for location rows.
    qint64 awaitAt(const QModelIndex& index) const;
    // The instance row of an await, if it is listed (it may be below the threshold).
    QModelIndex indexForAwait(uint32_t await, int column = 0) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant groupData(const analysis::AwaitLocationStats& group, int column, int role) const;
    QVariant instanceData(uint32_t await, int column, int role) const;

    void apply(std::shared_ptr<const Model> model, std::vector<analysis::AwaitLocationStats> groups);

    std::shared_ptr<const Model> m_model;
    std::shared_ptr<const Model> m_requestedModel; // what the newest request computes for
    Time m_requestedMinDuration = 0;
    uint64_t m_requested = 0; // generation of the newest request
    uint64_t m_applied = 0;   // generation whose result is shown
    std::vector<analysis::AwaitLocationStats> m_groups;
};

} // namespace weft::ui

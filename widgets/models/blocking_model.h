#pragma once
// Blocking events above a threshold, longest first: duration, thread, task, time.
// Built from analysis::blocking_above; the stack of a row is available through framesOf().

#include "model/model.h"

#include <QAbstractTableModel>
#include <QStringList>

#include <memory>
#include <vector>

namespace weft::ui {

class BlockingModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Duration, Thread, Task, Time_, ColumnCount };

    explicit BlockingModel(QObject* parent = nullptr);

    void setModel(std::shared_ptr<const Model> model, Time threshold);
    void setThreshold(Time threshold);
    Time threshold() const { return m_threshold; }
    const std::shared_ptr<const Model>& model() const { return m_model; }

    // The blocking event (index into Model::blocking) of a row, or -1.
    qint64 blockingAt(int row) const;
    int rowForBlocking(uint32_t blocking) const;
    // The stack of the event, innermost frame first, one line per frame.
    QStringList framesOf(uint32_t blocking) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const Model> m_model;
    Time m_threshold = 0;
    std::vector<uint32_t> m_rows;
};

} // namespace weft::ui

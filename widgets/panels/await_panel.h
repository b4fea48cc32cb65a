#pragma once
// The await-points dock: where tasks wait, aggregated per code location, above a duration threshold.
// Double-clicking an instance asks for it to be shown on the timeline.

#include "model/model.h"
#include "query/selection.h"

#include <QWidget>

#include <memory>

class QDoubleSpinBox;
class QLabel;
class QSortFilterProxyModel;
class QTreeView;

namespace weft::ui {

class AwaitModel;

class AwaitPanel final : public QWidget {
    Q_OBJECT
public:
    static constexpr double kDefaultThresholdMs = 10.0;

    explicit AwaitPanel(QWidget* parent = nullptr);

    void setModel(std::shared_ptr<const Model> model);
    void setThresholdMs(double ms);
    void clearSelection(); // no row selected (the shared selection is not an await of this table)
    double thresholdMs() const;

    QTreeView* view() const { return m_view; }
    AwaitModel* awaitModel() const { return m_model; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QDoubleSpinBox* thresholdBox() const { return m_threshold; }

signals:
    void selectionRequested(weft::Selection selection);
    void thresholdChanged(double ms);

private:
    void onThresholdChanged(double ms);
    void activate(const QModelIndex& proxyIndex);
    void updateSummary();

    AwaitModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QDoubleSpinBox* m_threshold;
    QLabel* m_summary;
    QTreeView* m_view;
};

} // namespace weft::ui

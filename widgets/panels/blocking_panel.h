#pragma once
// The blocking-events dock: events at least a threshold long, longest first, with the stack of the
// selected one below the table. Selecting a row asks for it to be shown on the timeline.

#include "model/model.h"
#include "query/selection.h"

#include <QWidget>

#include <memory>

class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTableView;

namespace weft::ui {

class BlockingModel;

class BlockingPanel final : public QWidget {
    Q_OBJECT
public:
    static constexpr double kDefaultThresholdMs = 100.0;

    explicit BlockingPanel(QWidget* parent = nullptr);

    void setModel(std::shared_ptr<const Model> model);
    void setThresholdMs(double ms);
    double thresholdMs() const;
    int eventCount() const;
    // Follows the shared selection (without echoing it back); other kinds clear the row selection.
    void selectBlocking(uint32_t blocking);

    QTableView* view() const { return m_view; }
    BlockingModel* blockingModel() const { return m_model; }
    QPlainTextEdit* stackView() const { return m_stack; }

signals:
    void selectionRequested(weft::Selection selection);
    void thresholdChanged(double ms);
    void eventCountChanged(int count);

private:
    void onThresholdChanged(double ms);
    void onCurrentChanged(const QModelIndex& proxyIndex);
    void showStack(qint64 blocking);

    BlockingModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QDoubleSpinBox* m_threshold;
    QLabel* m_summary;
    QTableView* m_view;
    QPlainTextEdit* m_stack;
    bool m_syncing = false;
};

} // namespace weft::ui

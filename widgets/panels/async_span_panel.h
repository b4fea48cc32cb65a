#pragma once
// The Async Spans dock: every async span, longest first, filterable by name; below the table the
// parent chain of the selected span and how many spans began and ended on each thread. Selecting
// a row shows the span on the timeline; double-clicking also zooms to it.

#include "model/model.h"
#include "query/selection.h"

#include <QWidget>
#include <memory>

class QLabel;
class QLineEdit;
class QTableView;
class QTableWidget;

namespace weft::ui {

class AsyncSpanModel;

class AsyncSpanPanel final : public QWidget {
    Q_OBJECT
public:
    explicit AsyncSpanPanel(QWidget* parent = nullptr);

    void setModel(std::shared_ptr<const Model> model);
    // Follows the shared selection (without echoing it back); other kinds clear the row selection.
    void selectSpan(uint32_t span);

    QTableView* view() const { return m_view; }
    AsyncSpanModel* spanModel() const { return m_model; }
    QLineEdit* filterEdit() const { return m_filter; }
    QTableWidget* threadTable() const { return m_threads; }
    QLabel* chainLabel() const { return m_chain; }

signals:
    void selectionRequested(weft::Selection selection);
    void fitRequested(weft::Selection selection); // double-click: show and zoom to it

private:
    void onCurrentChanged(const QModelIndex& index);
    void fillThreadTable();
    void updateSummary();

    AsyncSpanModel* m_model;
    QLineEdit* m_filter;
    QLabel* m_summary;
    QTableView* m_view;
    QLabel* m_chain;
    QTableWidget* m_threads;
    bool m_syncing = false;
};

} // namespace weft::ui

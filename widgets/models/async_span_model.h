#pragma once
// Every async span of the trace as a table: name, begin, duration, depth, the threads it began and
// ended on (marked when they differ: the span hopped threads), its parent span and its task.
//
// Sorting and filtering happen here, on the model's own fields, rather than in a
// QSortFilterProxyModel: a trace can hold millions of spans, and sorting an index vector by raw
// times is a fraction of a second where a proxy asking data() per comparison takes many.

#include "model/model.h"

#include <QAbstractTableModel>
#include <QString>
#include <memory>
#include <vector>

namespace weft::ui {

class AsyncSpanModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Begin, Duration, Depth, BeginThread, EndThread, Parent, Task, ColumnCount };

    explicit AsyncSpanModel(QObject* parent = nullptr);

    // Keeps the sort column and order and the filter.
    void setModel(std::shared_ptr<const Model> model);
    const std::shared_ptr<const Model>& model() const { return m_model; }
    // Spans whose name holds `text` (case-insensitive); empty: all.
    void setNameFilter(const QString& text);
    QString nameFilter() const { return m_filter; }

    // The span (index into Model::async_spans) of a row, or -1; the row of a span, or -1.
    qint64 spanAt(int row) const;
    int rowOfSpan(uint32_t span) const;
    // "request › db › query": the span's ancestors, outermost first, and the span.
    QString parentChain(uint32_t span) const;
    // Spans that began / ended on each thread (by thread index): the micromegas-style "async
    // events per thread".
    const std::vector<uint64_t>& beginsPerThread() const { return m_begins; }
    const std::vector<uint64_t>& endsPerThread() const { return m_ends; }
    // Spans that ended on another thread than they began on.
    uint64_t hoppedSpans() const { return m_hopped; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    void rebuildRows(); // filter, then sort, into m_rows and m_row_of
    bool hopped(const AsyncSpan& span) const;

    std::shared_ptr<const Model> m_model;
    QString m_filter;
    int m_sort_column = Duration;
    Qt::SortOrder m_sort_order = Qt::DescendingOrder; // longest first: "the longest operations"
    std::vector<uint32_t> m_rows;                     // shown spans, in order
    std::vector<int32_t> m_row_of;                    // span -> row, or -1 when filtered out
    std::vector<uint64_t> m_begins;                   // by thread
    std::vector<uint64_t> m_ends;                     // by thread
    uint64_t m_hopped = 0;
};

} // namespace weft::ui

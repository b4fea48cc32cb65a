#include "panels/diagnostics_dialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace weft::ui {

QList<DiagnosticsDialog::Counter> DiagnosticsDialog::counters(const Diagnostics& d) {
    return {
        {tr("Damaged records"), d.damaged_records, tr("Records the reader could not decode and skipped")},
        {tr("Skipped bytes"), d.skipped_bytes, tr("Bytes of the file lost to damage or truncation")},
        {tr("Dropped events"), d.dropped_events, tr("Events the producer reported as lost, plus gaps in object offsets")},
        {tr("Unfinished tasks"), d.unfinished_tasks, tr("Tasks without a completion; shown up to the trace end")},
        {tr("Unfinished runs"), d.unfinished_runs, tr("Run slices without an end")},
        {tr("Unfinished awaits"), d.unfinished_awaits, tr("Awaits without an end")},
        {tr("Unfinished async spans"), d.unfinished_async_spans, tr("Async spans without an end")},
        {tr("Unfinished thread spans"), d.unfinished_thread_spans, tr("Thread spans without an end")},
        {tr("Orphan run ends"), d.orphan_run_ends, tr("Run ends without a matching begin")},
        {tr("Orphan await ends"), d.orphan_await_ends, tr("Await ends without a matching begin")},
        {tr("Orphan async span ends"), d.orphan_async_span_ends, tr("Async span ends without a matching begin")},
        {tr("Orphan thread span ends"), d.orphan_thread_span_ends, tr("Thread span ends without a matching begin")},
        {tr("Events for unknown tasks"), d.events_for_unknown_tasks, tr("Events naming a task that was never created")},
        {tr("Duplicate task ids"), d.duplicate_task_ids, tr("Task ids created more than once")},
        {tr("Duplicate span ids"), d.duplicate_span_ids, tr("Async span ids begun more than once")},
        {tr("Time going backwards"), d.time_backwards, tr("Events stamped earlier than the previous one of their thread")},
        {tr("Unknown events"), d.unknown_events, tr("Events of kinds this version does not know, skipped")},
        {tr("Blocks without stream"), d.blocks_without_stream, tr("Blocks whose thread description is missing")},
        {tr("Unfinished flows"), d.unfinished_flows, tr("Flow starts without a matching end; not drawn")},
        {tr("Orphan flow ends"), d.orphan_flow_ends, tr("Flow ends without a matching start; not drawn")},
    };
}

DiagnosticsDialog::DiagnosticsDialog(const Diagnostics& diagnostics, QWidget* parent)
    : QDialog(parent), m_table(new QTableWidget(this)) {
    setWindowTitle(tr("Trace diagnostics"));
    resize(620, 520);
    QList<Counter> list = counters(diagnostics);
    // Problems first, the clean counters after, each group in its natural order.
    std::stable_sort(list.begin(), list.end(), [](const Counter& a, const Counter& b) { return (a.count > 0) > (b.count > 0); });
    m_table->setColumnCount(3);
    m_table->setRowCount(static_cast<int>(list.size()));
    m_table->setHorizontalHeaderLabels({tr("Problem"), tr("Count"), tr("Meaning")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setStretchLastSection(true);
    for (int r = 0; r < list.size(); ++r) {
        const Counter& c = list[r];
        auto* name = new QTableWidgetItem(c.name);
        auto* count = new QTableWidgetItem(QLocale().toString(qulonglong(c.count)));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        auto* meaning = new QTableWidgetItem(c.meaning);
        if (c.count == 0)
            for (QTableWidgetItem* item : {name, count, meaning}) item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
        m_table->setItem(r, 0, name);
        m_table->setItem(r, 1, count);
        m_table->setItem(r, 2, meaning);
    }
    m_table->resizeColumnsToContents();

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Problems are counted, never fatal: everything intact was loaded."), this));
    layout->addWidget(m_table, 2);
    if (!diagnostics.notes.empty()) {
        // Not problems of the file: what its producer or importer counted and said so, e.g. events
        // of another format that Weft does not show.
        layout->addWidget(new QLabel(tr("Counted by the producer or importer:"), this));
        m_notes = new QTableWidget(static_cast<int>(diagnostics.notes.size()), 2, this);
        m_notes->setHorizontalHeaderLabels({tr("Note"), tr("Count")});
        m_notes->verticalHeader()->hide();
        m_notes->setEditTriggers(QAbstractItemView::NoEditTriggers);
        m_notes->horizontalHeader()->setStretchLastSection(true);
        for (int r = 0; r < m_notes->rowCount(); ++r) {
            const auto& [label, count] = diagnostics.notes[static_cast<size_t>(r)];
            m_notes->setItem(r, 0, new QTableWidgetItem(QString::fromStdString(label)));
            auto* number = new QTableWidgetItem(QLocale().toString(qulonglong(count)));
            number->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_notes->setItem(r, 1, number);
        }
        m_notes->resizeColumnsToContents();
        layout->addWidget(m_notes, 1);
    }
    if (!diagnostics.messages.empty()) {
        layout->addWidget(new QLabel(tr("Reader messages:"), this));
        auto* messages = new QPlainTextEdit(this);
        messages->setReadOnly(true);
        messages->setLineWrapMode(QPlainTextEdit::NoWrap);
        QString text;
        for (const std::string& m : diagnostics.messages) text += QString::fromStdString(m) % QLatin1Char('\n');
        messages->setPlainText(text);
        layout->addWidget(messages, 1);
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

} // namespace weft::ui

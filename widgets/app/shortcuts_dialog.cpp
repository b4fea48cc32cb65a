#include "app/shortcuts_dialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QKeySequence>
#include <QTableWidget>
#include <QVBoxLayout>

namespace weft::ui {

namespace {
QString keys(QKeySequence::StandardKey key) { return QKeySequence(key).toString(QKeySequence::NativeText); }
QString keys(const char* portable) { return QKeySequence(QString::fromLatin1(portable)).toString(QKeySequence::NativeText); }
} // namespace

QList<ShortcutsDialog::Section> ShortcutsDialog::sections() {
    return {
        {tr("Window"),
         {
             {keys(QKeySequence::Open), tr("Open a trace")},
             {keys("Ctrl+E"), tr("Export the trace as JSON")},
             {keys("Ctrl+Q"), tr("Quit")},
             {keys("F1"), tr("Show this list")},
             {keys("Ctrl+F") + QStringLiteral(", /"), tr("Find in the whole trace")},
             {tr("Enter / Shift+Enter, F3 / Shift+F3"), tr("Next / previous match")},
             {keys("Ctrl+T"), tr("Filter the task tree")},
             {keys("Ctrl+Shift+F"), tr("Fit the whole trace in the timeline")},
             {keys("Ctrl+L"), tr("Show all flows in view, or only the selection's")},
             {keys("Ctrl+1"), tr("Show the task tree")},
             {keys("Ctrl+2"), tr("Show the details")},
             {keys("Ctrl+3"), tr("Show the await points")},
             {keys("Ctrl+4"), tr("Show the blocking events")},
             {keys("Ctrl+5"), tr("Show the event-loop lag chart")},
             {keys("Ctrl+6"), tr("Show the async spans")},
         }},
        {tr("Live"),
         {
             {keys("Ctrl+Shift+A"), tr("Attach to a running process")},
             {keys("End"), tr("Follow the newest data")},
             {keys("Ctrl+Shift+P"), tr("Pause / resume live updates")},
             {keys("Ctrl+Shift+D"), tr("Detach")},
             {keys("Ctrl+Shift+S"), tr("Save the capture")},
         }},
        {tr("Timeline"),
         {
             {tr("Ctrl+Wheel"), tr("Zoom around the mouse pointer")},
             {tr("Wheel"), tr("Scroll the lanes up and down")},
             {tr("Shift+Wheel"), tr("Pan left / right")},
             {tr("W / S  (+ / −)"), tr("Zoom in / out")},
             {tr("A / D  (← / →)"), tr("Pan left / right")},
             {tr("↑ / ↓, Page Up / Page Down"), tr("Scroll the lanes")},
             {tr("Drag"), tr("Pan")},
             {tr("Ctrl+Drag"), tr("Rubber-band: zoom to the dragged range")},
             {tr("Shift+Drag, Right-drag"), tr("Measure a time range")},
             {tr("Click"), tr("Select the item under the pointer")},
             {tr("Double-click"), tr("Fit the item under the pointer")},
             {tr("F"), tr("Fit the selection")},
             {tr("0"), tr("Fit the whole trace")},
             {tr("Esc"), tr("Clear the selection")},
             {tr("Enter"), tr("Expand / collapse the selected task (its own row, its children)")},
             {tr("Right-click a lane name"),
              tr("Collapse, hide or pin a thread; group tasks by name or spawn site")},
         }},
        {tr("Tables"),
         {
             {tr("Click a header"), tr("Sort by that column")},
             {tr("Double-click / Enter"), tr("Show the item on the timeline")},
         }},
    };
}

ShortcutsDialog::ShortcutsDialog(QWidget* parent) : QDialog(parent), m_table(new QTableWidget(this)) {
    setWindowTitle(tr("Keyboard shortcuts"));
    resize(520, 600);
    m_table->setColumnCount(2);
    m_table->setHorizontalHeaderLabels({tr("Keys"), tr("Action")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setShowGrid(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    QFont bold = font();
    bold.setBold(true);
    for (const Section& section : sections()) {
        const int header = m_table->rowCount();
        m_table->insertRow(header);
        auto* title = new QTableWidgetItem(section.title);
        title->setFont(bold);
        m_table->setItem(header, 0, title);
        m_table->setSpan(header, 0, 1, 2);
        for (const Entry& entry : section.entries) {
            const int r = m_table->rowCount();
            m_table->insertRow(r);
            m_table->setItem(r, 0, new QTableWidgetItem(entry.keys));
            m_table->setItem(r, 1, new QTableWidgetItem(entry.action));
        }
    }
    m_table->resizeColumnToContents(0);
    m_table->setColumnWidth(0, m_table->columnWidth(0) + 24);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_table);
    layout->addWidget(buttons);
}

} // namespace weft::ui

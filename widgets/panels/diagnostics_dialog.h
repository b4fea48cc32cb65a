#pragma once
// Every diagnostics count of a trace, the notes its producer or importer counted, and the
// reader's messages, as they are.

#include "model/model.h"

#include <QDialog>

class QTableWidget;

namespace weft::ui {

class DiagnosticsDialog final : public QDialog {
    Q_OBJECT
public:
    explicit DiagnosticsDialog(const Diagnostics& diagnostics, QWidget* parent = nullptr);

    QTableWidget* table() const { return m_table; }
    // The notes (label, count); nullptr when the trace has none.
    QTableWidget* notesTable() const { return m_notes; }

    // (name, count, explanation) of every counter, in display order.
    struct Counter {
        QString name;
        uint64_t count;
        QString meaning;
    };
    static QList<Counter> counters(const Diagnostics& d);

private:
    QTableWidget* m_table;
    QTableWidget* m_notes = nullptr;
};

} // namespace weft::ui

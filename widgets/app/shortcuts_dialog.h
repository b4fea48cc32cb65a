#pragma once
// Help > Keyboard shortcuts: every key and mouse gesture of the window and the timeline.

#include <QDialog>

class QTableWidget;

namespace weft::ui {

class ShortcutsDialog final : public QDialog {
    Q_OBJECT
public:
    struct Entry {
        QString keys;
        QString action;
    };
    struct Section {
        QString title;
        QList<Entry> entries;
    };
    static QList<Section> sections();

    explicit ShortcutsDialog(QWidget* parent = nullptr);
    QTableWidget* table() const { return m_table; }

private:
    QTableWidget* m_table;
};

} // namespace weft::ui

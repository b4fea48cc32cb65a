#pragma once
// File > Attach to process…: the instrumented processes this user can attach to (from their
// discovery files, refreshed every second) and a field for an explicit address and token.
//
// The dialog resolves the choice to a live::AttachTarget and emits attachRequested; it stays open
// until the owner calls attachSucceeded() (it closes) or attachFailed() (the reason is shown and the
// user can pick again). Problems it finds itself — a malformed address, a pid that is not listening —
// are shown the same way.

#include "live/live_client.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTimer;
class QTreeWidget;

namespace weft::ui {

class AttachDialog final : public QDialog {
    Q_OBJECT
public:
    explicit AttachDialog(QWidget* parent = nullptr);

    void refresh(); // re-reads the discovery files, keeping the selection

    void attachSucceeded();
    void attachFailed(const QString& reason);

    QTreeWidget* processList() const { return m_list; }
    QLineEdit* addressEdit() const { return m_address; }
    QLineEdit* tokenEdit() const { return m_token; }
    QLabel* errorLabel() const { return m_error; }
    QPushButton* attachButton() const { return m_attach; }

    // Resolves the current choice; nullopt with the reason shown when it cannot be resolved.
    std::optional<live::AttachTarget> chosenTarget();

    enum Column { Exe, Pid, Running, Address, ColumnCount };

signals:
    void attachRequested(const weft::live::AttachTarget& target);

private:
    void requestAttach();
    void showError(const QString& text);
    void updateButtons();

    QTreeWidget* m_list;
    QLineEdit* m_address;
    QLineEdit* m_token;
    QLabel* m_error;
    QLabel* m_empty;
    QPushButton* m_attach;
    QPushButton* m_refresh;
    QDialogButtonBox* m_buttons;
    QTimer* m_timer;
    bool m_busy = false;
};

} // namespace weft::ui

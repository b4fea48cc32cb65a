#pragma once
// A dismissible bar at the top of the window: what went wrong while opening a trace, with the
// details (the reader's errors with their offsets) one click away.

#include <QFrame>
#include <QStringList>

class QLabel;
class QPlainTextEdit;
class QToolButton;

namespace weft::ui {

class MessageBar final : public QFrame {
    Q_OBJECT
public:
    enum class Level { Info, Warning, Error };

    explicit MessageBar(QWidget* parent = nullptr);

    void showMessage(Level level, const QString& text, const QStringList& details = {});
    void dismiss();

    Level level() const { return m_level; }
    QString text() const;
    QStringList details() const { return m_details; }

signals:
    void dismissed();
    void linkActivated(const QString& link);

private:
    Level m_level = Level::Info;
    QStringList m_details;
    QLabel* m_icon;
    QLabel* m_text;
    QToolButton* m_toggle;
    QToolButton* m_close;
    QPlainTextEdit* m_detailView;
};

} // namespace weft::ui

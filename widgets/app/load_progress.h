#pragma once
// The in-window load indicator: which file, how far (bytes read), and a Cancel button.

#include <QFrame>

class QLabel;
class QProgressBar;
class QPushButton;

namespace weft::ui {

class LoadProgress final : public QFrame {
    Q_OBJECT
public:
    explicit LoadProgress(QWidget* parent = nullptr);

    void begin(const QString& path);
    void setProgress(qint64 done, qint64 total);
    void end();

    QProgressBar* bar() const { return m_bar; }
    QPushButton* cancelButton() const { return m_cancel; }

signals:
    void cancelRequested();

private:
    QLabel* m_label;
    QProgressBar* m_bar;
    QPushButton* m_cancel;
};

} // namespace weft::ui

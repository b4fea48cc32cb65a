#pragma once
// What the window shows before a trace is open: how to open one, and the recent traces.

#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace weft::ui {

class WelcomePage final : public QWidget {
    Q_OBJECT
public:
    explicit WelcomePage(QWidget* parent = nullptr);

    void setRecentFiles(const QStringList& files);

signals:
    void openDialogRequested();
    void openRequested(const QString& path);

private:
    QLabel* m_recent;
};

} // namespace weft::ui

#pragma once
// The header strip above the timeline: the trace at a glance (tasks by outcome, event-loop lag,
// blocking count, diagnostics). Clicking the diagnostics count asks to show them.

#include "model/model.h"

#include <QFrame>

#include <memory>

class QLabel;
class QToolButton;

namespace weft::ui {

class SummaryStrip final : public QFrame {
    Q_OBJECT
public:
    explicit SummaryStrip(QWidget* parent = nullptr);

    void setModel(std::shared_ptr<const Model> model);
    void setBlocking(int count, double thresholdMs);

    QString text() const; // all figures as plain text, for tests and tooltips
    QToolButton* diagnosticsButton() const { return m_diagnostics; }

signals:
    void diagnosticsRequested();

private:
    QLabel* addFigure(const QString& caption);

    QLabel* m_duration;
    QLabel* m_tasks;
    QLabel* m_lag;
    QLabel* m_blocking;
    QToolButton* m_diagnostics;
};

} // namespace weft::ui

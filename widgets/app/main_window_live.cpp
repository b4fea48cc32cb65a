// MainWindow's live capture: attaching, applying snapshots without losing the user's place, follow
// mode, pause, detach, the live status and saving the capture.

#include "app/main_window.h"

#include "app/theme_icon.h"

#include "app/load_controller.h"
#include "app/settings_keys.h"
#include "live/attach_dialog.h"
#include "live/live_controller.h"
#include "models/task_filter_proxy.h"
#include "models/task_tree_model.h"
#include "panels/async_span_panel.h"
#include "panels/await_panel.h"
#include "panels/blocking_panel.h"
#include "panels/details_panel.h"
#include "panels/lag_chart_panel.h"
#include "panels/message_bar.h"
#include "panels/search_bar.h"
#include "panels/summary_strip.h"
#include "panels/task_tree_panel.h"
#include "timeline/timeline_view.h"
#include "query/selection.h"

#include <QAction>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QScrollBar>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTreeView>

#include <unordered_map>

namespace weft::ui {

namespace {

// In follow mode a view showing the whole capture keeps showing all of it until it is this long;
// then it slides with this width.
constexpr Time kFollowWindow = 10'000'000'000; // 10 s
// Preserving tree expansion walks every task; past this many it is not worth a snapshot's time.
constexpr size_t kExpansionLimit = 50'000;

// Tasks are known across snapshots by (process, task id); their indices may change.
struct TaskKey {
    uint32_t process;
    uint64_t id;
    bool operator==(const TaskKey&) const = default;
};
struct TaskKeyHash {
    size_t operator()(const TaskKey& k) const noexcept { return std::hash<uint64_t>{}(k.id * 31 + k.process); }
};

TaskKey keyOf(const Model& model, TaskIndex task) {
    const Task& t = model.task(task);
    return {t.process.value, t.task_id};
}


QString endTitle(int reason, const QString& who) {
    switch (static_cast<live::LiveEnd::Reason>(reason)) {
    case live::LiveEnd::Reason::ProducerExited: return MainWindow::tr("%1 ended the session.").arg(who);
    case live::LiveEnd::Reason::Detached: return MainWindow::tr("Detached from %1.").arg(who);
    case live::LiveEnd::Reason::Refused: return MainWindow::tr("Could not attach to %1.").arg(who);
    case live::LiveEnd::Reason::BadData: return MainWindow::tr("%1 sent data that cannot be read.").arg(who);
    case live::LiveEnd::Reason::CaptureFailed: return MainWindow::tr("The capture of %1 could not be written.").arg(who);
    }
    return MainWindow::tr("The session with %1 ended.").arg(who);
}

} // namespace

void MainWindow::createLiveActions(QMenu* file, QMenu* liveMenu) {
    if (!m_attachAction) {
        m_attachAction = new QAction(themeIcon("network-connect"), tr("&Attach to Process…"), this);
        m_attachAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
        m_attachAction->setToolTip(tr("Watch a running instrumented program live (Ctrl+Shift+A)"));
        m_attachAction->setIconText(tr("Attach"));
        connect(m_attachAction, &QAction::triggered, this, &MainWindow::attachDialog);

        m_saveCaptureAction = new QAction(themeIcon("document-save-as"), tr("&Save Capture As…"), this);
        m_saveCaptureAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
        m_saveCaptureAction->setToolTip(tr("Save what the live session received as a .weft file"));
        connect(m_saveCaptureAction, &QAction::triggered, this, &MainWindow::saveCaptureDialog);

        m_followAction = new QAction(themeIcon("go-last"), tr("&Follow"), this);
        m_followAction->setCheckable(true);
        m_followAction->setChecked(true);
        m_followAction->setShortcut(QKeySequence(Qt::Key_End));
        m_followAction->setToolTip(tr("Keep the newest data in view (End)"));
        connect(m_followAction, &QAction::toggled, this, &MainWindow::setFollowing);

        m_pauseAction = new QAction(themeIcon("media-playback-pause"), tr("&Pause"), this);
        m_pauseAction->setCheckable(true);
        m_pauseAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
        m_pauseAction->setToolTip(tr("Freeze the views; data keeps arriving and appears on resume (Ctrl+Shift+P)"));
        connect(m_pauseAction, &QAction::toggled, this, &MainWindow::setLivePaused);

        m_detachAction = new QAction(themeIcon("network-disconnect"), tr("&Detach"), this);
        m_detachAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
        m_detachAction->setToolTip(tr("Stop receiving; what was captured stays open (Ctrl+Shift+D)"));
        connect(m_detachAction, &QAction::triggered, this, &MainWindow::detach);

        connect(m_live, &LiveController::attached, this, [this] {
            if (m_attachDialog) m_attachDialog->attachSucceeded();
            m_messages->dismiss();
            statusBar()->showMessage(tr("Attached to %1").arg(m_live->targetLabel()), 5000);
            updateLiveStatus();
        });
        connect(m_live, &LiveController::snapshotReady, this, &MainWindow::applyLiveSnapshot);
        connect(m_live, &LiveController::ended, this, &MainWindow::onLiveEnded);
        connect(m_live, &LiveController::statsChanged, this, &MainWindow::updateLiveStatus);
        updateLiveActions();
    }
    if (file) {
        file->addAction(m_attachAction);
        file->addAction(m_saveCaptureAction);
    }
    if (liveMenu) {
        liveMenu->addAction(m_attachAction);
        liveMenu->addSeparator();
        liveMenu->addAction(m_followAction);
        liveMenu->addAction(m_pauseAction);
        liveMenu->addAction(m_detachAction);
        liveMenu->addSeparator();
        liveMenu->addAction(m_saveCaptureAction);
    }
}

void MainWindow::attachDialog() {
    AttachDialog dialog(this);
    m_attachDialog = &dialog;
    connect(&dialog, &AttachDialog::attachRequested, this, [this, &dialog](const live::AttachTarget& target) {
        if (!attachTo(target)) dialog.attachFailed(m_messages->text());
    });
    dialog.exec();
    m_attachDialog = nullptr;
}

bool MainWindow::attachTo(const QString& spec, const QString& token) {
    std::string error;
    const auto target = live::resolve_target(spec.trimmed().toStdString(), token.trimmed().toStdString(), error);
    if (!target) {
        m_messages->showMessage(MessageBar::Level::Error,
                                tr("<b>Could not attach to %1.</b> %2").arg(spec.toHtmlEscaped(),
                                                                            QString::fromStdString(error).toHtmlEscaped()));
        return false;
    }
    return attachTo(*target);
}

bool MainWindow::attachTo(const live::AttachTarget& target) {
    m_loader->cancel();
    QString error;
    if (!m_live->attach(target, &error)) {
        m_messages->showMessage(MessageBar::Level::Error, tr("<b>Could not attach to %1.</b> %2")
                                                              .arg(LiveController::describe(target).toHtmlEscaped(),
                                                                   error.toHtmlEscaped()));
        updateLiveActions();
        return false;
    }
    m_pauseAction->setChecked(false);
    m_followAction->setChecked(true);
    statusBar()->showMessage(tr("Attaching to %1…").arg(m_live->targetLabel()));
    updateLiveActions();
    updateLiveStatus();
    return true;
}

bool MainWindow::isLive() const { return m_live->isConnected(); }
bool MainWindow::isFollowing() const { return m_followAction->isChecked(); }

void MainWindow::setFollowing(bool follow) {
    if (m_followAction->isChecked() != follow) {
        m_followAction->setChecked(follow); // comes back here through toggled()
        return;
    }
    if (!follow || !m_model || !m_liveHasData) return;
    // Jump to the newest data now, keeping the zoom.
    const Time width = m_timeline->visibleEnd() - m_timeline->visibleBegin();
    m_applyingSnapshot = true;
    m_timeline->setVisibleRange(m_model->end - width, m_model->end);
    m_applyingSnapshot = false;
}

void MainWindow::setLivePaused(bool paused) {
    if (m_pauseAction->isChecked() != paused) {
        m_pauseAction->setChecked(paused);
        return;
    }
    m_live->setPaused(paused);
    m_pauseAction->setText(paused ? tr("&Resume") : tr("&Pause"));
    m_pauseAction->setIcon(themeIcon(paused ? "media-playback-start" : "media-playback-pause"));
    updateLiveStatus();
}

void MainWindow::detach() { m_live->detach(); }

void MainWindow::onVisibleRangeChanged(Time /*begin*/, Time end) {
    // The user moved away from the newest data: stop dragging the view back to it.
    if (m_applyingSnapshot || !m_liveHasData || !m_model || !isFollowing() || !m_live->isConnected()) return;
    const Time slack = std::max<Time>((m_timeline->visibleEnd() - m_timeline->visibleBegin()) / 100, 1);
    if (end < m_model->end - slack) m_followAction->setChecked(false);
}

void MainWindow::applyLiveSnapshot(std::shared_ptr<const Model> model) {
    if (!model) return;
    QElapsedTimer cost;
    cost.start();
    const std::shared_ptr<const Model> old = m_liveHasData ? m_model : nullptr;

    // What the user is looking at, in terms that survive a new snapshot.
    const Time oldBegin = m_timeline->visibleBegin();
    const Time oldEnd = m_timeline->visibleEnd();
    auto* timelineScroll = m_timeline->findChild<QScrollBar*>();
    const int timelineScrollValue = timelineScroll ? timelineScroll->value() : 0;
    QTreeView* tree = m_taskTree->view();
    const int treeScroll = tree->verticalScrollBar()->value();
    const Selection selection = m_timeline->selection();
    std::optional<TaskKey> selectedTask;
    std::vector<TaskKey> treeExpanded;
    std::vector<TaskKey> laneExpanded;
    if (old) {
        const TaskIndex owner = owning_task(*old, selection);
        if (owner.valid()) selectedTask = keyOf(*old, owner);
        if (old->tasks.size() <= kExpansionLimit) {
            for (uint32_t i = 0; i < old->tasks.size(); ++i) {
                const TaskIndex t(i);
                if (old->tasks[i].children.count > 0) {
                    const QModelIndex index = m_taskTree->proxy()->mapFromSource(m_taskTree->treeModel()->indexForTask(t));
                    if (index.isValid() && tree->isExpanded(index)) treeExpanded.push_back(keyOf(*old, t));
                }
                if (m_timeline->laneLayout().task_expanded(t)) laneExpanded.push_back(keyOf(*old, t));
            }
        }
    }

    m_applyingSnapshot = true;
    const bool first = !old;
    if (first) {
        setTrace(std::move(model), QString());
    } else {
        m_model = std::move(model);
        m_timeline->setModel(m_model, TimelineView::ModelChange::Snapshot);
        m_taskTree->setModel(m_model);
        m_awaits->setModel(m_model);
        m_blocking->setModel(m_model);
        m_lag->setModel(m_model);
        m_details->setModel(m_model);
        m_summary->setModel(m_model);
        m_search->setModel(m_model);
        m_asyncSpans->setModel(m_model);
        m_summary->setBlocking(m_blocking->eventCount(), m_blocking->thresholdMs());
        updateCounts();
        updateLiveStatus(); // the count received, read now, is never behind the count shown
    }
    m_liveHasData = true;
    m_path.clear();
    setWindowTitle(tr("%1 — %2 — Weft").arg(m_live->targetLabel(), m_live->hasEnded() ? tr("capture") : tr("live")));
    const Model& now = *m_model;

    // Restore expansion and selection by task identity.
    if (!treeExpanded.empty() || !laneExpanded.empty() || selectedTask) {
        std::unordered_map<TaskKey, TaskIndex, TaskKeyHash> wanted;
        for (const TaskKey& k : treeExpanded) wanted.emplace(k, TaskIndex());
        for (const TaskKey& k : laneExpanded) wanted.emplace(k, TaskIndex());
        if (selectedTask) wanted.emplace(*selectedTask, TaskIndex());
        for (uint32_t i = 0; i < now.tasks.size(); ++i) {
            auto it = wanted.find(keyOf(now, TaskIndex(i)));
            if (it != wanted.end()) it->second = TaskIndex(i);
        }
        for (const TaskKey& k : treeExpanded)
            if (TaskIndex t = wanted[k]; t.valid())
                tree->expand(m_taskTree->proxy()->mapFromSource(m_taskTree->treeModel()->indexForTask(t)));
        std::vector<TaskIndex> expand;
        for (const TaskKey& k : laneExpanded)
            if (TaskIndex t = wanted[k]; t.valid()) expand.push_back(t);
        m_timeline->expandTasks(expand);
        if (selectedTask) {
            // A task keeps its identity; a finer pick (a slice, an await) is shown as its task.
            if (TaskIndex t = wanted[*selectedTask]; t.valid())
                m_timeline->setSelection(Selection{Selection::Kind::Task, t.value});
        }
    }
    if (timelineScroll) timelineScroll->setValue(timelineScrollValue);
    tree->verticalScrollBar()->setValue(treeScroll);

    // The visible range: slide to the end when following, else stay where the user was.
    if (!first) {
        const Time oldWidth = std::max<Time>(oldEnd - oldBegin, 1);
        if (isFollowing()) {
            const bool wasWhole = oldBegin <= old->begin && oldEnd >= old->end;
            const Time width = wasWhole ? std::max(oldWidth, std::min(now.end - now.begin, kFollowWindow)) : oldWidth;
            m_timeline->setVisibleRange(now.end - width, now.end);
        } else {
            m_timeline->setVisibleRange(oldBegin, oldEnd);
        }
    }
    m_lag->setVisibleRange(m_timeline->visibleBegin(), m_timeline->visibleEnd());
    m_applyingSnapshot = false;
    updateLiveActions();
    m_live->applied(cost.elapsed());
    emit liveSnapshotApplied();
}

void MainWindow::onLiveEnded(int reason, const QString& message) {
    const QString who = m_live->targetLabel();
    const auto why = static_cast<live::LiveEnd::Reason>(reason);
    if (why == live::LiveEnd::Reason::Refused && m_attachDialog) {
        m_attachDialog->attachFailed(message);
        m_live->close();
    } else {
        const bool haveData = m_liveHasData && m_model;
        QString text = QStringLiteral("<b>") % endTitle(reason, who).toHtmlEscaped() % QStringLiteral("</b>");
        if (why != live::LiveEnd::Reason::Detached && !message.isEmpty())
            text += QLatin1Char(' ') % message.toHtmlEscaped() % (message.endsWith(QLatin1Char('.')) ? QString() : QStringLiteral("."));
        if (haveData)
            text += QLatin1Char(' ') % tr("The captured data stays open. <a href='save-capture'>Save capture as…</a>");
        MessageBar::Level level = MessageBar::Level::Info;
        if (why == live::LiveEnd::Reason::ProducerExited) level = MessageBar::Level::Warning;
        if (why == live::LiveEnd::Reason::Refused || why == live::LiveEnd::Reason::BadData ||
            why == live::LiveEnd::Reason::CaptureFailed)
            level = MessageBar::Level::Error;
        m_messages->showMessage(level, text);
        if (haveData) setWindowTitle(tr("%1 — capture — Weft").arg(who));
        if (!haveData) m_live->close();
    }
    statusBar()->clearMessage();
    updateLiveActions();
    updateLiveStatus();
    emit liveEnded(reason, message);
}

void MainWindow::updateLiveStatus() {
    if (!m_live->hasSession()) {
        m_liveLabel->hide();
        return;
    }
    const live::LiveCounters c = m_live->counters();
    const QLocale locale;
    QString state;
    if (m_live->hasEnded())
        state = tr("Capture of %1 (ended)").arg(m_live->targetLabel());
    else if (!c.attached)
        state = tr("Attaching to %1…").arg(m_live->targetLabel());
    else
        state = (m_live->isPaused() ? tr("⏸ Paused: %1") : tr("● Live: %1")).arg(m_live->targetLabel());
    QString text = state % QStringLiteral(" · ") % tr("%1 events received").arg(locale.toString(qulonglong(c.events)));
    text += QStringLiteral(" · ") % tr("%1 lost in transit").arg(locale.toString(qulonglong(c.lost_events)));
    if (m_live->isConnected() && c.attached)
        text += QStringLiteral(" · ") % tr("%1 events/s").arg(locale.toString(m_live->eventRate(), 'f', 0));
    m_liveLabel->setText(text);
    m_liveLabel->setToolTip(tr("Blocks received: %1\nBytes received: %2\nSnapshots: %3 (last took %4 ms)\n"
                               "Records that could not be decoded: %5")
                                .arg(locale.toString(qulonglong(c.blocks)), locale.formattedDataSize(qint64(c.bytes)),
                                     locale.toString(qulonglong(c.snapshots)), locale.toString(c.last_snapshot_ms, 'f', 1),
                                     locale.toString(qulonglong(c.bad_records))));
    m_liveLabel->setStyleSheet(c.lost_events > 0 ? QStringLiteral("color: #b35c00;") : QString());
    m_liveLabel->show();
}

void MainWindow::updateLiveActions() {
    const bool connected = m_live->isConnected();
    m_followAction->setEnabled(connected);
    m_pauseAction->setEnabled(connected);
    m_detachAction->setEnabled(connected);
    m_saveCaptureAction->setEnabled(m_live->hasSession());
}

bool MainWindow::saveCapture(const QString& path) {
    QString error;
    if (m_live->saveCapture(path, &error)) {
        statusBar()->showMessage(tr("Saved the capture to %1").arg(QDir::toNativeSeparators(path)), 8000);
        return true;
    }
    m_messages->showMessage(MessageBar::Level::Error, tr("<b>Could not save the capture to %1.</b> %2")
                                                          .arg(QDir::toNativeSeparators(path).toHtmlEscaped(),
                                                               error.toHtmlEscaped()));
    return false;
}

void MainWindow::saveCaptureDialog() {
    if (!m_live->hasSession()) return;
    QSettings s;
    const QString dir = s.value(settings::kLastDirectory, QDir::homePath()).toString();
    const live::AttachTarget& target = m_live->target();
    const QString base = target.pid ? QStringLiteral("capture-%1.weft").arg(target.pid) : QStringLiteral("capture.weft");
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Capture As"), QDir(dir).filePath(base),
                                                      tr("Weft traces (*.weft)"));
    if (path.isEmpty()) return;
    s.setValue(settings::kLastDirectory, QFileInfo(path).absolutePath());
    saveCapture(path);
}

} // namespace weft::ui

#pragma once
// The viewer's main window: the timeline in the middle, the summary strip and message bar above it,
// dock panels around it, and the loading / export / settings plumbing.
//
// It owns the current trace as std::shared_ptr<const Model> and hands the same snapshot to every
// view. Selection is shared: a pick in any panel is revealed on the timeline, and a pick on the
// timeline selects the owning task in the tree and shows its details.

#include "live/live_client.h"
#include "model/model.h"
#include "query/selection.h"

#include <QMainWindow>

#include <memory>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;
class QStackedWidget;

namespace weft::ui {

class AttachDialog;
class AwaitPanel;
class BlockingPanel;
class SearchBar;
class DetailsPanel;
class ExportJob;
class LagChartPanel;
class AsyncSpanPanel;
class LiveController;
class LoadController;
class LoadProgress;
class MessageBar;
class SummaryStrip;
class TaskTreePanel;
class TimelineView;
class WelcomePage;
struct LoadResult;

class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Starts loading `path` in the background; returns the load id (0 for an empty path).
    quint64 openFile(const QString& path);
    // Starts exporting the current trace; false when there is none or an export is running.
    bool exportJson(const QString& path);

    // Live capture (main_window_live.cpp). attachTo() starts receiving in the background; the
    // window then grows with every snapshot. False when the session cannot even start.
    bool attachTo(const weft::live::AttachTarget& target);
    // `spec` as on the command line: a pid, unix:PATH, tcp:HOST:PORT or a discovery file.
    bool attachTo(const QString& spec, const QString& token = QString());
    bool saveCapture(const QString& path);
    bool isLive() const;       // attached or attaching
    bool isFollowing() const;
    void setFollowing(bool follow);
    void setLivePaused(bool paused);
    void detach();
    LiveController* liveController() const { return m_live; }
    QAction* attachAction() const { return m_attachAction; }
    QAction* followAction() const { return m_followAction; }
    QAction* pauseAction() const { return m_pauseAction; }
    QAction* detachAction() const { return m_detachAction; }
    QAction* saveCaptureAction() const { return m_saveCaptureAction; }
    QAction* allFlowsAction() const { return m_allFlowsAction; }
    QLabel* liveLabel() const { return m_liveLabel; }

    const std::shared_ptr<const Model>& model() const { return m_model; }
    QString currentPath() const { return m_path; }

    TimelineView* timeline() const { return m_timeline; }
    SearchBar* searchBar() const { return m_search; }
    TaskTreePanel* taskTreePanel() const { return m_taskTree; }
    AwaitPanel* awaitPanel() const { return m_awaits; }
    BlockingPanel* blockingPanel() const { return m_blocking; }
    LagChartPanel* lagPanel() const { return m_lag; }
    AsyncSpanPanel* asyncSpanPanel() const { return m_asyncSpans; }
    DetailsPanel* detailsPanel() const { return m_details; }
    SummaryStrip* summaryStrip() const { return m_summary; }
    MessageBar* messageBar() const { return m_messages; }
    LoadProgress* loadProgress() const { return m_progress; }
    LoadController* loadController() const { return m_loader; }
    QMenu* recentMenu() const { return m_recentMenu; }
    QLabel* hoverLabel() const { return m_hoverLabel; }
    QLabel* countsLabel() const { return m_countsLabel; }

public slots:
    // A pick from a panel: reveal it on the timeline and bring every view along.
    void select(weft::Selection selection);
    void showDiagnostics();
    void showShortcuts();
    void attachDialog();
    void resetLayout(); // View > Reset Layout: every dock back where it starts, at its default size

signals:
    void traceLoaded(const QString& path);
    void traceFailed(const QString& path, const QString& reason);
    void exportFinished(bool ok, const QString& path);
    void liveSnapshotApplied();                          // the views show a new live snapshot
    void liveEnded(int reason, const QString& message); // reason: live::LiveEnd::Reason

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    static bool takesText(const QWidget* widget); // a widget that types the keys it gets
    void createActions();
    void createDocks();
    void createStatusBar();
    void applyDefaultDockSizes();
    QDockWidget* addDock(QWidget* panel, const QString& title, const QString& objectName, Qt::DockWidgetArea area,
                         const QKeySequence& toggleKey);
    void readSettings();
    void writeSettings() const;

    void onLoaded(const LoadResult& result);
    void onLoadFailed(const QString& path, const QString& reason);
    void setTrace(std::shared_ptr<const Model> model, const QString& path);
    void reportDamage(const LoadResult& result);
    void followSelection(weft::Selection selection);
    void updateRecentMenu();
    void updateHoverTime(weft::Time time);
    void openDialog();
    void exportDialog();
    void showAbout();

    void createLiveActions(QMenu* file, QMenu* view);
    void applyLiveSnapshot(std::shared_ptr<const Model> model);
    void onLiveEnded(int reason, const QString& message);
    void onVisibleRangeChanged(weft::Time begin, weft::Time end);
    void updateLiveStatus();
    void updateLiveActions();
    void saveCaptureDialog();
    void updateCounts();

    std::shared_ptr<const Model> m_model;
    QString m_path;

    LoadController* m_loader;
    ExportJob* m_export;
    SummaryStrip* m_summary;
    MessageBar* m_messages;
    LoadProgress* m_progress;
    QStackedWidget* m_center;
    WelcomePage* m_welcome;
    TimelineView* m_timeline;
    TaskTreePanel* m_taskTree;
    AwaitPanel* m_awaits;
    BlockingPanel* m_blocking;
    LagChartPanel* m_lag;
    DetailsPanel* m_details;
    SearchBar* m_search;
    AsyncSpanPanel* m_asyncSpans;
    QLabel* m_countsLabel = nullptr;
    QLabel* m_hoverLabel = nullptr;

    bool m_layoutRestored = false; // a saved dock layout was applied: keep its sizes
    bool m_shown = false;
    QByteArray m_defaultState; // the docks as created: what resetLayout() restores
    QActionGroup* m_themeActions = nullptr; // View > Theme: System, Light, Dark
    QMenu* m_viewMenu = nullptr;
    QMenu* m_recentMenu = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_fitAction = nullptr;
    QAction* m_fitSelectionAction = nullptr;
    QAction* m_allFlowsAction = nullptr;

    LiveController* m_live = nullptr;
    AttachDialog* m_attachDialog = nullptr; // open while the user picks a process
    QLabel* m_liveLabel = nullptr;
    QAction* m_attachAction = nullptr;
    QAction* m_followAction = nullptr;
    QAction* m_pauseAction = nullptr;
    QAction* m_detachAction = nullptr;
    QAction* m_saveCaptureAction = nullptr;
    bool m_applyingSnapshot = false; // range changes made by a snapshot are not the user's
    bool m_liveHasData = false;      // the current model came from the live session
};

} // namespace weft::ui

#include "app/main_window.h"

#include "app/export_job.h"
#include "app/load_controller.h"
#include "app/load_progress.h"
#include "app/recent_files.h"
#include "app/resources.h"
#include "app/settings_keys.h"
#include "app/shortcuts_dialog.h"
#include "app/theme.h"
#include "app/theme_icon.h"
#include "app/welcome_page.h"
#include "live/live_controller.h"
#include "models/text.h"
#include "panels/async_span_panel.h"
#include "panels/await_panel.h"
#include "panels/blocking_panel.h"
#include "panels/details_panel.h"
#include "panels/diagnostics_dialog.h"
#include "panels/lag_chart_panel.h"
#include "panels/message_bar.h"
#include "panels/search_bar.h"
#include "panels/summary_strip.h"
#include "panels/task_tree_panel.h"
#include "timeline/timeline_view.h"
#include "query/selection.h"

#include <QAbstractSpinBox>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTextBrowser>
#include <QToolBar>
#include <QVBoxLayout>

namespace weft::ui {

namespace {

QString localFileOf(const QMimeData* mime) {
    if (!mime || !mime->hasUrls()) return {};
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile()) return url.toLocalFile();
    return {};
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_loader(new LoadController(this)), m_export(new ExportJob(this)),
      m_summary(new SummaryStrip(this)), m_messages(new MessageBar(this)), m_progress(new LoadProgress(this)),
      m_center(new QStackedWidget(this)), m_welcome(new WelcomePage(this)),
      m_timeline(new TimelineView(this)), m_taskTree(new TaskTreePanel(this)), m_awaits(new AwaitPanel(this)),
      m_blocking(new BlockingPanel(this)), m_lag(new LagChartPanel(this)), m_details(new DetailsPanel(this)),
      m_search(new SearchBar(this)),
      m_asyncSpans(new AsyncSpanPanel(this)) {
    registerResources();
    setWindowTitle(tr("Weft"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/weft.svg")));
    setAcceptDrops(true);
    setDockNestingEnabled(true);
    QSize size(1500, 950);
    if (const QScreen* screen = QGuiApplication::primaryScreen())
        size = size.boundedTo(screen->availableSize() * 0.95);
    resize(size);

    m_center->addWidget(m_welcome);
    m_center->addWidget(m_timeline);
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_summary);
    layout->addWidget(m_messages);
    layout->addWidget(m_progress);
    layout->addWidget(m_center, 1);
    setCentralWidget(central);

    m_live = new LiveController(this);
    createActions();
    createDocks();
    m_defaultState = saveState(settings::kStateVersion); // what View > Reset Layout goes back to
    createStatusBar();

    connect(m_welcome, &WelcomePage::openDialogRequested, this, &MainWindow::openDialog);
    connect(m_welcome, &WelcomePage::openRequested, this, &MainWindow::openFile);
    connect(m_progress, &LoadProgress::cancelRequested, m_loader, &LoadController::cancel);
    connect(m_loader, &LoadController::started, this, [this](quint64, const QString& path) {
        m_progress->begin(path);
        statusBar()->showMessage(tr("Loading %1…").arg(QFileInfo(path).fileName()));
    });
    connect(m_loader, &LoadController::progress, this,
            [this](quint64, qint64 done, qint64 total) { m_progress->setProgress(done, total); });
    connect(m_loader, &LoadController::loaded, this, &MainWindow::onLoaded);
    connect(m_loader, &LoadController::failed, this,
            [this](quint64, const QString& path, const QString& reason) { onLoadFailed(path, reason); });
    connect(m_loader, &LoadController::cancelled, this, [this](quint64, const QString& path) {
        m_progress->end();
        statusBar()->showMessage(tr("Loading %1 cancelled").arg(QFileInfo(path).fileName()), 5000);
    });
    connect(m_export, &ExportJob::finished, this, [this](bool ok, const QString& path, const QString& error) {
        if (ok) {
            statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 8000);
        } else {
            statusBar()->clearMessage();
            m_messages->showMessage(MessageBar::Level::Error,
                                    tr("Could not export to <b>%1</b>: %2").arg(path.toHtmlEscaped(), error.toHtmlEscaped()));
        }
        m_exportAction->setEnabled(m_model != nullptr);
        emit exportFinished(ok, path);
    });
    connect(m_messages, &MessageBar::linkActivated, this, [this](const QString& link) {
        if (link == QStringLiteral("diagnostics")) showDiagnostics();
        if (link == QStringLiteral("save-capture")) saveCaptureDialog();
    });

    // Shared selection.
    for (auto* source : {static_cast<QObject*>(m_taskTree), static_cast<QObject*>(m_awaits),
                         static_cast<QObject*>(m_blocking), static_cast<QObject*>(m_details),
                         static_cast<QObject*>(m_asyncSpans)})
        connect(source, SIGNAL(selectionRequested(weft::Selection)), this, SLOT(select(weft::Selection)));
    connect(m_timeline, &TimelineView::selectionChanged, this, &MainWindow::followSelection);
    connect(m_timeline, &TimelineView::selectionChanged, m_search, &SearchBar::setCurrentSelection);
    connect(m_search, &SearchBar::matchActivated, this, &MainWindow::select);
    connect(m_asyncSpans, &AsyncSpanPanel::fitRequested, this, [this](Selection s) {
        select(s);
        m_timeline->fitSelection();
    });
    connect(m_search, &SearchBar::matchesChanged, this,
            [this] { m_timeline->setHighlights(m_search->result().matches, m_search->result().begins); });
    connect(m_search, &SearchBar::closed, this, [this] { m_timeline->setFocus(Qt::ShortcutFocusReason); });
    connect(m_timeline, &TimelineView::visibleRangeChanged, m_lag, &LagChartPanel::setVisibleRange);
    connect(m_timeline, &TimelineView::visibleRangeChanged, this, &MainWindow::onVisibleRangeChanged);
    connect(m_timeline, &TimelineView::hoverTimeChanged, this, &MainWindow::updateHoverTime);
    connect(m_timeline, &TimelineView::rulerMeasured, this, [this](Time begin, Time end) {
        if (begin != kNoTime)
            m_details->showRange(begin, end);
        else
            m_details->showSelection(m_timeline->selection());
    });
    connect(m_summary, &SummaryStrip::diagnosticsRequested, this, &MainWindow::showDiagnostics);
    connect(m_blocking, &BlockingPanel::eventCountChanged, this,
            [this](int count) { m_summary->setBlocking(count, m_blocking->thresholdMs()); });

    readSettings();
    qApp->installEventFilter(this); // the timeline's keys from any panel (eventFilter)
    connect(m_awaits, &AwaitPanel::thresholdChanged, this,
            [](double ms) { QSettings().setValue(settings::kAwaitThresholdMs, ms); });
    connect(m_blocking, &BlockingPanel::thresholdChanged, this,
            [](double ms) { QSettings().setValue(settings::kBlockingThresholdMs, ms); });
    updateRecentMenu();
}

MainWindow::~MainWindow() {
    // Children are destroyed after this object is no longer a MainWindow: their last signals (a
    // load cancelled by its controller's destructor, a live session ending) must not reach it.
    m_loader->disconnect(this);
    m_live->disconnect(this);
    m_live->close();
}

void MainWindow::createActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(themeIcon("document-open"), tr("&Open…"), this, &MainWindow::openDialog);
    open->setShortcut(QKeySequence::Open);
    open->setToolTip(tr("Open a .weft trace or a Chrome / Perfetto trace-event JSON file (Ctrl+O)"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_exportAction = file->addAction(themeIcon("document-export"), tr("&Export as JSON…"), this, &MainWindow::exportDialog);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAction->setToolTip(tr("Export the whole trace as JSON (Ctrl+E)"));
    m_exportAction->setEnabled(false);
    file->addSeparator();
    createLiveActions(file, nullptr);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setMenuRole(QAction::QuitRole);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_fitAction = m_viewMenu->addAction(themeIcon("zoom-fit-best"), tr("Fit &Whole Trace"), m_timeline, &TimelineView::fitAll);
    m_fitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
    m_fitAction->setToolTip(tr("Show the whole trace on the timeline (0 on the timeline)"));
    m_fitSelectionAction = m_viewMenu->addAction(themeIcon("zoom-select"), tr("Fit &Selection"), m_timeline, &TimelineView::fitSelection);
    m_fitSelectionAction->setToolTip(tr("Zoom the timeline to the selected item (F on the timeline)"));
    QAction* find =
        m_viewMenu->addAction(themeIcon("edit-find"), tr("&Find…"), m_search, &SearchBar::focusSearch);
    find->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_F), QKeySequence(Qt::Key_Slash)});
    find->setToolTip(tr("Find tasks, spans, awaits and blocking stacks in the whole trace (Ctrl+F or /)"));
    m_viewMenu->addAction(m_search->findNextAction());
    m_viewMenu->addAction(m_search->findPreviousAction());
    QAction* filter = m_viewMenu->addAction(tr("Filter &Tasks"), this, [this] {
        m_taskTree->parentWidget()->show();
        m_taskTree->parentWidget()->raise();
        m_taskTree->filterEdit()->setFocus(Qt::ShortcutFocusReason);
        m_taskTree->filterEdit()->selectAll();
    });
    filter->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_allFlowsAction = m_viewMenu->addAction(tr("Show All F&lows"));
    m_allFlowsAction->setCheckable(true);
    m_allFlowsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_allFlowsAction->setToolTip(tr("Draw every flow with an end in view, not only those of the selection (Ctrl+L)"));
    connect(m_allFlowsAction, &QAction::toggled, this, [this](bool on) {
        m_timeline->setShowAllFlows(on);
        QSettings().setValue(settings::kShowAllFlows, on);
    });
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(tr("&Reset Layout"), this, &MainWindow::resetLayout);
    QMenu* theme = m_viewMenu->addMenu(tr("&Theme"));
    auto* themes = new QActionGroup(this);
    for (const auto& [key, label] : {std::pair{kThemeSystem, tr("&System")}, std::pair{kThemeLight, tr("&Light")},
                                     std::pair{kThemeDark, tr("&Dark")}}) {
        QAction* action = theme->addAction(label);
        action->setCheckable(true);
        action->setData(key);
        themes->addAction(action);
        connect(action, &QAction::triggered, this, [key] {
            applyTheme(key);
            QSettings().setValue(settings::kTheme, key);
        });
    }
    m_themeActions = themes;
    m_viewMenu->addSeparator();
    createLiveActions(nullptr, menuBar()->addMenu(tr("&Live")));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* shortcuts = help->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts);
    shortcuts->setShortcut(QKeySequence(Qt::Key_F1));
    QAction* diagnostics = help->addAction(tr("Trace &Diagnostics"), this, &MainWindow::showDiagnostics);
    diagnostics->setToolTip(tr("Problems found while reading the trace"));
    help->addSeparator();
    QAction* about = help->addAction(tr("&About Weft"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);

    QToolBar* tools = addToolBar(tr("Main"));
    tools->setObjectName(QStringLiteral("toolbar.main"));
    tools->setMovable(false);
    tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tools->setIconSize(QSize(18, 18));
    tools->addAction(open);
    tools->addAction(m_exportAction);
    tools->addSeparator();
    tools->addAction(m_fitAction);
    tools->addAction(m_fitSelectionAction);
    tools->addSeparator();
    tools->addAction(m_attachAction);
    tools->addAction(m_followAction);
    tools->addAction(m_pauseAction);
    tools->addAction(m_detachAction);
    // Find sits at the far right of the toolbar, as in a browser.
    auto* spacer = new QWidget(tools);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    tools->addWidget(spacer);
    m_search->setMaximumWidth(420);
    m_search->setMinimumWidth(260);
    tools->addWidget(m_search);
}

QDockWidget* MainWindow::addDock(QWidget* panel, const QString& title, const QString& objectName,
                                 Qt::DockWidgetArea area, const QKeySequence& toggleKey) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(panel);
    dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(area, dock);
    QAction* toggle = dock->toggleViewAction();
    toggle->setShortcut(toggleKey);
    m_viewMenu->addAction(toggle);
    return dock;
}

void MainWindow::createDocks() {
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    QDockWidget* tree = addDock(m_taskTree, tr("Tasks"), QStringLiteral("dock.tasks"), Qt::LeftDockWidgetArea,
                                QKeySequence(Qt::CTRL | Qt::Key_1));
    QDockWidget* details = addDock(m_details, tr("Details"), QStringLiteral("dock.details"), Qt::RightDockWidgetArea,
                                   QKeySequence(Qt::CTRL | Qt::Key_2));
    QDockWidget* awaits = addDock(m_awaits, tr("Await Points"), QStringLiteral("dock.awaits"), Qt::BottomDockWidgetArea,
                                  QKeySequence(Qt::CTRL | Qt::Key_3));
    QDockWidget* blocking = addDock(m_blocking, tr("Blocking"), QStringLiteral("dock.blocking"), Qt::BottomDockWidgetArea,
                                    QKeySequence(Qt::CTRL | Qt::Key_4));
    QDockWidget* lag = addDock(m_lag, tr("Event-Loop Lag"), QStringLiteral("dock.lag"), Qt::BottomDockWidgetArea,
                               QKeySequence(Qt::CTRL | Qt::Key_5));
    QDockWidget* spans = addDock(m_asyncSpans, tr("Async Spans"), QStringLiteral("dock.asyncSpans"),
                                 Qt::BottomDockWidgetArea, QKeySequence(Qt::CTRL | Qt::Key_6));
    // Await points beside the lag chart, blocking tabbed with the awaits: the three "why is it slow"
    // views are one glance below the timeline.
    splitDockWidget(awaits, lag, Qt::Horizontal);
    tabifyDockWidget(awaits, blocking);
    tabifyDockWidget(awaits, spans);
    awaits->raise();
    Q_UNUSED(tree);
    Q_UNUSED(details);
    // Text widgets would swallow a dropped trace as text; the window takes it instead.
    m_details->browser()->setAcceptDrops(false);
    m_taskTree->filterEdit()->setAcceptDrops(false);
    m_asyncSpans->filterEdit()->setAcceptDrops(false);
}

void MainWindow::applyDefaultDockSizes() {
    // Proportions of the window: only meaningful once it has its real size, hence on first show.
    const int w = width();
    const int h = height();
    auto dock = [this](const char* name) { return findChild<QDockWidget*>(QLatin1String(name)); };
    // The timeline gets most of the window (about 60% by 70% of it); Details is wide enough for a
    // qualified name and a location on one line.
    resizeDocks({dock("dock.tasks"), dock("dock.details")}, {w * 19 / 100, w * 21 / 100}, Qt::Horizontal);
    resizeDocks({dock("dock.awaits"), dock("dock.lag")}, {w * 33 / 100, w * 27 / 100}, Qt::Horizontal);
    resizeDocks({dock("dock.awaits")}, {h * 27 / 100}, Qt::Vertical);
}

void MainWindow::resetLayout() {
    restoreState(m_defaultState, settings::kStateVersion);
    for (QDockWidget* dock : findChildren<QDockWidget*>()) {
        dock->setFloating(false);
        dock->show();
    }
    findChild<QDockWidget*>(QStringLiteral("dock.awaits"))->raise();
    applyDefaultDockSizes();
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (m_shown) return;
    m_shown = true;
    if (!m_layoutRestored) applyDefaultDockSizes();
}

void MainWindow::createStatusBar() {
    m_countsLabel = new QLabel(this);
    m_hoverLabel = new QLabel(this);
    m_hoverLabel->setMinimumWidth(150);
    m_hoverLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_liveLabel = new QLabel(this);
    m_liveLabel->setContentsMargins(0, 0, 16, 0); // keep it apart from the trace counts
    m_liveLabel->hide();
    statusBar()->addPermanentWidget(m_liveLabel);
    statusBar()->addPermanentWidget(m_countsLabel);
    statusBar()->addPermanentWidget(m_hoverLabel);
    m_countsLabel->setText(tr("No trace"));
}

void MainWindow::readSettings() {
    QSettings s;
    m_awaits->setThresholdMs(s.value(settings::kAwaitThresholdMs, AwaitPanel::kDefaultThresholdMs).toDouble());
    m_blocking->setThresholdMs(s.value(settings::kBlockingThresholdMs, BlockingPanel::kDefaultThresholdMs).toDouble());
    m_allFlowsAction->setChecked(s.value(settings::kShowAllFlows, false).toBool());
    const QString theme = s.value(settings::kTheme, kThemeSystem).toString();
    for (QAction* action : m_themeActions->actions()) action->setChecked(action->data().toString() == theme);
    if (theme != kThemeSystem) applyTheme(theme);
    restoreGeometry(s.value(settings::kGeometry).toByteArray());
    m_layoutRestored = restoreState(s.value(settings::kState).toByteArray(), settings::kStateVersion);
}

void MainWindow::writeSettings() const {
    QSettings s;
    s.setValue(settings::kGeometry, saveGeometry());
    s.setValue(settings::kState, saveState(settings::kStateVersion));
    s.setValue(settings::kAwaitThresholdMs, m_awaits->thresholdMs());
    s.setValue(settings::kBlockingThresholdMs, m_blocking->thresholdMs());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    m_loader->cancel();
    m_live->close();
    writeSettings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (!localFileOf(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QString path = localFileOf(event->mimeData());
    if (path.isEmpty()) return;
    event->acceptProposedAction();
    openFile(path);
}

quint64 MainWindow::openFile(const QString& path) {
    if (path.isEmpty()) return 0;
    m_messages->dismiss();
    // A file replaces the live capture: stop receiving (the capture is dropped with the session).
    if (m_live->hasSession()) {
        m_live->close();
        updateLiveActions();
        updateLiveStatus();
    }
    return m_loader->load(path);
}

void MainWindow::openDialog() {
    QSettings s;
    const QString dir = s.value(settings::kLastDirectory).toString();
    // Chrome / Perfetto trace-event JSON opens through the same loader, which tells the formats
    // apart by their content; the first filter offers both.
    const QString filters = tr("Traces (*.weft *.json *.json.gz *.gz)") % QStringLiteral(";;") %
                            tr("Weft traces (*.weft)") % QStringLiteral(";;") %
                            tr("Chrome trace JSON (*.json *.json.gz)") % QStringLiteral(";;") % tr("All files (*)");
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Trace"), dir, filters);
    if (path.isEmpty()) return;
    s.setValue(settings::kLastDirectory, QFileInfo(path).absolutePath());
    openFile(path);
}

void MainWindow::onLoaded(const LoadResult& result) {
    m_progress->end();
    RecentFiles::add(result.path);
    updateRecentMenu();
    setTrace(result.model, result.path);
    reportDamage(result);
    statusBar()->showMessage(tr("Loaded %1").arg(QFileInfo(result.path).fileName()), 5000);
    emit traceLoaded(result.path);
}

void MainWindow::reportDamage(const LoadResult& result) {
    const format::ReadReport& report = result.report;
    const Diagnostics& d = result.model->diagnostics;
    if (report.errors.empty() && d.damaged_records == 0 && d.skipped_bytes == 0) return;
    QStringList details;
    for (const format::FormatError& e : report.errors)
        details << tr("at byte %1: %2").arg(e.offset).arg(QString::fromStdString(e.reason));
    details << QString() << tr("Diagnostics:");
    for (const DiagnosticsDialog::Counter& c : DiagnosticsDialog::counters(d))
        if (c.count) details << QStringLiteral("  ") % c.name % QStringLiteral(": ") % QLocale().toString(qulonglong(c.count));
    const QString text =
        tr("<b>%1 is damaged.</b> %n problem(s) found; %2 skipped, %3 damaged record(s) dropped. "
           "Everything intact was loaded. <a href='diagnostics'>Show diagnostics</a>",
           nullptr, static_cast<int>(report.errors.size()))
            .arg(QFileInfo(result.path).fileName().toHtmlEscaped(), QLocale().formattedDataSize(qint64(report.skipped_bytes)))
            .arg(d.damaged_records);
    m_messages->showMessage(MessageBar::Level::Warning, text, details);
}

void MainWindow::onLoadFailed(const QString& path, const QString& reason) {
    m_progress->end();
    statusBar()->clearMessage();
    if (!QFileInfo::exists(path)) {
        RecentFiles::remove(path);
        updateRecentMenu();
    }
    m_messages->showMessage(MessageBar::Level::Error, tr("<b>Could not open %1.</b> %2")
                                                          .arg(QDir::toNativeSeparators(path).toHtmlEscaped(), reason.toHtmlEscaped()));
    emit traceFailed(path, reason);
}

void MainWindow::setTrace(std::shared_ptr<const Model> model, const QString& path) {
    m_model = std::move(model);
    m_path = path;
    m_liveHasData = false;
    setWindowTitle(tr("%1 — Weft").arg(QFileInfo(path).fileName()));
    m_timeline->setModel(m_model);
    m_taskTree->setModel(m_model);
    m_awaits->setModel(m_model);
    m_blocking->setModel(m_model);
    m_lag->setModel(m_model);
    m_details->setModel(m_model);
    m_summary->setModel(m_model);
    m_search->setModel(m_model);
    m_asyncSpans->setModel(m_model);
    m_summary->setBlocking(m_blocking->eventCount(), m_blocking->thresholdMs());
    m_center->setCurrentWidget(m_timeline);
    m_exportAction->setEnabled(!m_export->isRunning());
    m_lag->setVisibleRange(m_timeline->visibleBegin(), m_timeline->visibleEnd());
    updateCounts();
}

void MainWindow::updateCounts() {
    if (!m_model) return;
    const QLocale locale;
    auto count = [&](qulonglong n, const QString& one, const QString& many) {
        return countText(n, locale.toString(n), one, many);
    };
    // Live, the views show the last snapshot while the live status counts what was received: say so,
    // so that the two counts read as what they are.
    const bool live = m_live && m_live->hasSession() && !m_live->hasEnded();
    m_countsLabel->setText(tr("%1 · %2 · %3 · %4 in memory")
                               .arg(count(m_model->event_count, live ? tr("event shown") : tr("event"),
                                          live ? tr("events shown") : tr("events")),
                                    count(m_model->tasks.size(), tr("task"), tr("tasks")),
                                    count(m_model->threads.size(), tr("thread"), tr("threads")),
                                    locale.formattedDataSize(qint64(m_model->memory_bytes()))));
}

void MainWindow::select(Selection selection) {
    if (!m_model) return;
    m_timeline->revealAndSelect(selection);
    followSelection(selection);
}

void MainWindow::followSelection(Selection selection) {
    if (!m_model) return;
    m_details->showSelection(selection);
    // Every panel follows, and one that holds no part of the selection (Esc: none) selects nothing.
    m_taskTree->selectTask(owning_task(*m_model, selection));
    m_blocking->selectBlocking(selection.kind == Selection::Kind::Blocking ? selection.index : UINT32_MAX);
    m_asyncSpans->selectSpan(selection.kind == Selection::Kind::AsyncSpan ? selection.index : UINT32_MAX);
    if (selection.kind != Selection::Kind::AwaitPoint) m_awaits->clearSelection();
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    // The timeline's keys work whatever panel has the focus, but a text field, which types them.
    if (event->type() != QEvent::KeyPress || watched != QApplication::focusWidget() || watched == m_timeline)
        return QMainWindow::eventFilter(watched, event);
    auto* key = static_cast<QKeyEvent*>(event);
    auto* widget = static_cast<QWidget*>(watched);
    if (widget->window() != this || !TimelineView::isNavigationKey(key) || takesText(widget) ||
        m_center->currentWidget() != m_timeline)
        return QMainWindow::eventFilter(watched, event);
    QCoreApplication::sendEvent(m_timeline, key);
    return true;
}

bool MainWindow::takesText(const QWidget* widget) {
    if (qobject_cast<const QLineEdit*>(widget) || qobject_cast<const QAbstractSpinBox*>(widget)) return true;
    if (const auto* combo = qobject_cast<const QComboBox*>(widget)) return combo->isEditable();
    if (const auto* text = qobject_cast<const QTextEdit*>(widget)) return !text->isReadOnly();
    if (const auto* plain = qobject_cast<const QPlainTextEdit*>(widget)) return !plain->isReadOnly();
    return false;
}

void MainWindow::updateRecentMenu() {
    m_recentMenu->clear();
    const QStringList files = RecentFiles::list();
    for (int i = 0; i < files.size(); ++i) {
        const QString& file = files[i];
        QAction* action = m_recentMenu->addAction(QStringLiteral("&%1  %2").arg((i + 1) % 10).arg(QFileInfo(file).fileName()),
                                                  this, [this, file] { openFile(file); });
        action->setToolTip(file);
        action->setStatusTip(file);
    }
    m_recentMenu->addSeparator();
    QAction* clear = m_recentMenu->addAction(tr("Clear List"), this, [this] {
        RecentFiles::clear();
        updateRecentMenu();
    });
    clear->setEnabled(!files.isEmpty());
    m_recentMenu->setEnabled(!files.isEmpty());
    m_welcome->setRecentFiles(files);
}

void MainWindow::updateHoverTime(Time time) {
    if (!m_model || time == kNoTime) {
        m_hoverLabel->clear();
        return;
    }
    const Time span = std::max<Time>(m_timeline->visibleEnd() - m_timeline->visibleBegin(), 1);
    m_hoverLabel->setText(tr("t = %1").arg(timestampText(time, span)));
}

void MainWindow::exportDialog() {
    if (!m_model) return;
    const QFileInfo trace(m_path.isEmpty() ? QDir::home().filePath(QStringLiteral("capture.weft")) : m_path);
    const QString suggestion = trace.absolutePath() % QLatin1Char('/') % trace.completeBaseName() % QStringLiteral(".json");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export as JSON"), suggestion, tr("JSON (*.json)"));
    if (!path.isEmpty()) exportJson(path);
}

bool MainWindow::exportJson(const QString& path) {
    if (!m_export->start(m_model, path)) return false;
    m_exportAction->setEnabled(false);
    statusBar()->showMessage(tr("Exporting to %1…").arg(QDir::toNativeSeparators(path)));
    return true;
}

void MainWindow::showDiagnostics() {
    if (!m_model) return;
    DiagnosticsDialog dialog(m_model->diagnostics, this);
    dialog.exec();
}

void MainWindow::showShortcuts() {
    ShortcutsDialog dialog(this);
    dialog.exec();
}

void MainWindow::showAbout() {
    QMessageBox::about(this, tr("About Weft"),
                       tr("<h3>Weft %1</h3><p>A trace viewer and profiler for async programs: tasks, await points, "
                          "blocking and event-loop lag across every thread of a process.</p>")
                           .arg(QCoreApplication::applicationVersion().toHtmlEscaped()));
}

} // namespace weft::ui

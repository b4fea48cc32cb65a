// The whole window through the real loading path: a generated trace is written to disk, opened
// with MainWindow::openFile (worker thread, load_trace), and every view is checked for content.
// Damaged, missing and foreign files, stale loads, export, drag and drop and settings too.

#include "app/load_controller.h"
#include "app/load_progress.h"
#include "app/main_window.h"
#include "app/recent_files.h"
#include "app/settings_keys.h"
#include "app/shortcuts_dialog.h"
#include "models/await_model.h"
#include "models/task_tree_model.h"
#include "panels/await_panel.h"
#include "panels/blocking_panel.h"
#include "panels/details_panel.h"
#include "panels/lag_chart_panel.h"
#include "panels/message_bar.h"
#include "panels/search_bar.h"
#include "panels/summary_strip.h"
#include "panels/task_tree_panel.h"
#include "synth/synthetic_trace.h"
#include "timeline/timeline_view.h"
#include "private_settings.h"

#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

#include <zlib.h>

using namespace weft;
using namespace weft::ui;

namespace {
constexpr int kLoadTimeoutMs = 120'000;

// Shows the window and loads `path` into it; false if the load did not finish.
bool showAndOpen(MainWindow& w, const QString& path) {
    w.show();
    if (!QTest::qWaitForWindowExposed(&w)) return false;
    QSignalSpy loaded(&w, &MainWindow::traceLoaded);
    w.openFile(path);
    return loaded.wait(kLoadTimeoutMs);
}
} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void opensGeneratedTraceAndFillsEveryView();
    void selectionIsShared();
    void escClearsEveryPanelAndKeysReachTheTimelineFromAnyPanel();
    void damagedFileOpensWithErrorBar();
    void missingAndForeignFilesFailCleanly_data();
    void missingAndForeignFilesFailCleanly();
    void newerLoadWins();
    void cancelDropsTheLoad();
    void exportsJson();
    void dropOpensFile();
    void opensChromeJsonWithFlowsAndCounters();
    void settingsPersist();
    void resetLayoutBringsEveryDockBack();
    void darkThemeIsAppliedAndRemembered();
    void recentFilesAreBounded();
    void shortcutsAreListedAndBound();
    void findWalksMatchesOnTheTimeline();

private:
    QString generate(const QString& name, uint64_t events, uint64_t seed = 7);
    QTemporaryDir m_dir;
    QString m_trace;
};

void TestMainWindow::initTestCase() {
    QVERIFY(m_dir.isValid());
    weft::test::usePrivateSettings(m_dir);
    m_trace = generate(QStringLiteral("app.weft"), 60'000);
}

void TestMainWindow::init() { QSettings().clear(); }

QString TestMainWindow::generate(const QString& name, uint64_t events, uint64_t seed) {
    synth::SynthOptions options;
    options.events = events;
    options.threads = 4;
    options.seed = seed;
    options.block_events = 1024;
    synth::SynthResult result;
    std::string error;
    const QString path = m_dir.filePath(name);
    if (!synth::generate_trace(options, QFile::encodeName(path).toStdString(), result, error))
        qFatal("cannot generate a trace: %s", error.c_str());
    return path;
}

void TestMainWindow::opensGeneratedTraceAndFillsEveryView() {
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy loaded(&w, &MainWindow::traceLoaded);
    QVERIFY(w.openFile(m_trace) != 0);
    QVERIFY(w.loadController()->isLoading());
    QVERIFY(loaded.wait(kLoadTimeoutMs));
    QVERIFY(!w.loadController()->isLoading());

    const auto model = w.model();
    QVERIFY(model);
    QVERIFY(model->event_count > 0);
    QCOMPARE(w.currentPath(), m_trace);
    QVERIFY(w.windowTitle().contains(QStringLiteral("app.weft")));
    QVERIFY(w.messageBar()->isHidden());

    // Timeline: the same snapshot, lanes laid out, the whole trace visible.
    QCOMPARE(w.timeline()->model(), model);
    QVERIFY(w.timeline()->isVisible());
    QVERIFY(w.timeline()->laneLayout().size() > 0);
    QVERIFY(w.timeline()->visibleBegin() <= model->begin);
    QVERIFY(w.timeline()->visibleEnd() >= model->end);

    // Task tree: every task reachable, roots first.
    QVERIFY(w.taskTreePanel()->view()->model()->rowCount() > 0);
    QCOMPARE(w.taskTreePanel()->treeModel()->model(), model);

    // Await table with the default threshold, blocking with none.
    QCOMPARE(w.awaitPanel()->thresholdMs(), AwaitPanel::kDefaultThresholdMs);
    w.awaitPanel()->setThresholdMs(0);
    QTRY_VERIFY(!w.awaitPanel()->awaitModel()->computing());
    QVERIFY(w.awaitPanel()->view()->model()->rowCount() > 0);
    QVERIFY(w.awaitPanel()->view()->model()->rowCount(w.awaitPanel()->view()->model()->index(0, 0)) > 0);
    w.blockingPanel()->setThresholdMs(0);
    QCOMPARE(w.blockingPanel()->eventCount(), int(model->blocking.size()));
    QVERIFY(w.blockingPanel()->eventCount() > 0);

    // Lag chart: points plotted for the visible range, decimated to the plot width.
    QTRY_VERIFY(w.lagPanel()->pointCount() > 0);
    QVERIFY(w.lagPanel()->pointCount() <= qsizetype(model->lag.size()));

    QVERIFY(w.countsLabel()->text().contains(QLocale().toString(qulonglong(model->tasks.size()))));
    QVERIFY(!w.summaryStrip()->text().isEmpty());
    QCOMPARE(RecentFiles::list().value(0), QFileInfo(m_trace).absoluteFilePath());
    QVERIFY(w.recentMenu()->isEnabled());

    // Hovering the timeline shows the time in the status bar.
    emit w.timeline()->hoverTimeChanged(model->begin + (model->end - model->begin) / 2);
    QVERIFY(w.hoverLabel()->text().startsWith(QStringLiteral("t = ")));
    emit w.timeline()->hoverTimeChanged(kNoTime);
    QVERIFY(w.hoverLabel()->text().isEmpty());

    // The lag chart follows the timeline's visible range.
    const Time mid = model->begin + (model->end - model->begin) / 2;
    w.timeline()->setVisibleRange(model->begin, mid);
    QTRY_COMPARE(w.lagPanel()->windowEnd(), w.timeline()->visibleEnd());
}

void TestMainWindow::selectionIsShared() {
    MainWindow w;
    QVERIFY(showAndOpen(w, m_trace));
    const auto model = w.model();

    // Table -> timeline: picking a task in the tree selects it on the timeline and shows details.
    QTreeView* tree = w.taskTreePanel()->view();
    const QModelIndex row = tree->model()->index(0, 0);
    tree->setCurrentIndex(row);
    const Selection picked = w.timeline()->selection();
    QCOMPARE(picked.kind, Selection::Kind::Task);
    QCOMPARE(w.taskTreePanel()->currentTask().value, picked.index);
    QCOMPARE(w.detailsPanel()->shown(), picked);

    // Timeline -> tables: a pick on the timeline selects the owning task's row and the details.
    uint32_t deep = 0;
    for (uint32_t i = 0; i < model->tasks.size(); ++i)
        if (model->tasks[i].depth > 0 && model->tasks[i].awaits.count > 0) deep = i;
    QVERIFY(model->tasks[deep].depth > 0);
    const uint32_t await = model->tasks[deep].awaits.first;
    QSignalSpy timelineSpy(w.timeline(), &TimelineView::selectionChanged);
    w.timeline()->setSelection({Selection::Kind::AwaitPoint, await});
    if (timelineSpy.isEmpty()) emit w.timeline()->selectionChanged({Selection::Kind::AwaitPoint, await});
    QCOMPARE(w.taskTreePanel()->currentTask(), TaskIndex(deep));
    QCOMPARE(w.detailsPanel()->shown(), (Selection{Selection::Kind::AwaitPoint, await}));

    // Await table -> timeline.
    w.awaitPanel()->setThresholdMs(0);
    QTRY_VERIFY(!w.awaitPanel()->awaitModel()->computing());
    QTreeView* awaits = w.awaitPanel()->view();
    const QModelIndex group = awaits->model()->index(0, 0);
    awaits->expand(group);
    emit awaits->activated(awaits->model()->index(0, 0, group));
    QCOMPARE(w.timeline()->selection().kind, Selection::Kind::AwaitPoint);
    QCOMPARE(w.detailsPanel()->shown(), w.timeline()->selection());

    // Blocking table -> timeline, and the details link back to its task.
    w.blockingPanel()->setThresholdMs(0);
    QVERIFY(w.blockingPanel()->eventCount() > 0);
    w.blockingPanel()->view()->setCurrentIndex(w.blockingPanel()->view()->model()->index(0, 0));
    QCOMPARE(w.timeline()->selection().kind, Selection::Kind::Blocking);
    QCOMPARE(w.detailsPanel()->shown(), w.timeline()->selection());
}

void TestMainWindow::escClearsEveryPanelAndKeysReachTheTimelineFromAnyPanel() {
    MainWindow w;
    QVERIFY(showAndOpen(w, m_trace));

    // Select from the task tree, with the focus left there.
    QTreeView* tree = w.taskTreePanel()->view();
    tree->setFocus();
    tree->setCurrentIndex(tree->model()->index(0, 0));
    QCOMPARE(w.timeline()->selection().kind, Selection::Kind::Task);
    w.blockingPanel()->setThresholdMs(0);
    QVERIFY(w.blockingPanel()->eventCount() > 0);
    QTRY_VERIFY(tree->hasFocus());

    // W zooms the timeline although the tree has the focus; F fits the selection.
    const auto span = [&] { return w.timeline()->visibleEnd() - w.timeline()->visibleBegin(); };
    const auto before = span();
    QTest::keyClick(tree, Qt::Key_W);
    QVERIFY2(span() < before, "W did not zoom the timeline from the task tree");
    QVERIFY(tree->hasFocus());

    // Esc clears the selection everywhere: timeline, details, tree, blocking table.
    QTest::keyClick(tree, Qt::Key_Escape);
    QVERIFY(w.timeline()->selection().empty());
    QVERIFY(w.detailsPanel()->shown().empty());
    QVERIFY(!tree->selectionModel()->hasSelection());
    QVERIFY(!w.blockingPanel()->view()->selectionModel()->hasSelection());

    // A text field keeps its keys: typing "w" in the tree's filter filters, nothing zooms.
    auto* filter = w.taskTreePanel()->findChild<QLineEdit*>();
    QVERIFY(filter);
    filter->setFocus();
    QTRY_VERIFY(filter->hasFocus());
    const auto kept = span();
    QTest::keyClick(filter, Qt::Key_W);
    QCOMPARE(filter->text(), QStringLiteral("w"));
    QCOMPARE(span(), kept);
}

void TestMainWindow::damagedFileOpensWithErrorBar() {
    const QString source = generate(QStringLiteral("damaged-src.weft"), 40'000, 11);
    QFile in(source);
    QVERIFY(in.open(QIODevice::ReadOnly));
    QByteArray bytes = in.readAll();
    in.close();
    QVERIFY(bytes.size() > 4096);
    // Scribble over a stretch in the middle and cut the tail mid-record.
    for (qsizetype i = bytes.size() / 2; i < bytes.size() / 2 + 300; ++i) bytes[i] = char(0xA5 ^ (i & 0xff));
    bytes.chop(777);
    const QString path = m_dir.filePath(QStringLiteral("damaged.weft"));
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(bytes);
    out.close();

    MainWindow w;
    w.show();
    QSignalSpy loaded(&w, &MainWindow::traceLoaded);
    w.openFile(path);
    QVERIFY(loaded.wait(kLoadTimeoutMs));
    QVERIFY(w.model());
    QVERIFY(w.model()->tasks.size() > 0);
    QVERIFY(w.taskTreePanel()->view()->model()->rowCount() > 0);
    QVERIFY(!w.messageBar()->isHidden());
    QCOMPARE(w.messageBar()->level(), MessageBar::Level::Warning);
    QVERIFY(w.messageBar()->text().contains(QStringLiteral("damaged")));
    const QStringList details = w.messageBar()->details();
    QVERIFY2(!details.isEmpty() && details.first().startsWith(QStringLiteral("at byte ")), qPrintable(details.join(u'\n')));
    QVERIFY(details.join(u'\n').contains(QStringLiteral("Skipped bytes")) ||
            details.join(u'\n').contains(QStringLiteral("Damaged records")));
    QVERIFY(w.model()->diagnostics.total() > 0 || w.model()->diagnostics.skipped_bytes > 0);
}

void TestMainWindow::missingAndForeignFilesFailCleanly_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("missing") << QByteArray();
    QTest::newRow("bad_magic") << QByteArray("this is a text file, not a trace\n");
    QTest::newRow("empty") << QByteArray("");
}

void TestMainWindow::missingAndForeignFilesFailCleanly() {
    QFETCH(QByteArray, content);
    const QString path = m_dir.filePath(QStringLiteral("foreign-%1.weft").arg(QString::fromLatin1(QTest::currentDataTag())));
    if (QByteArray(QTest::currentDataTag()) != "missing") {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    }
    MainWindow w;
    w.show();
    QSignalSpy failed(&w, &MainWindow::traceFailed);
    QSignalSpy loaded(&w, &MainWindow::traceLoaded);
    w.openFile(path);
    QVERIFY(failed.wait(kLoadTimeoutMs));
    QCOMPARE(loaded.count(), 0);
    QVERIFY(!w.model());
    QVERIFY(!w.messageBar()->isHidden());
    QCOMPARE(w.messageBar()->level(), MessageBar::Level::Error);
    QVERIFY(w.messageBar()->text().contains(QStringLiteral("Could not open")));
    QVERIFY(!failed.first().at(1).toString().isEmpty());
    QVERIFY(w.loadProgress()->isHidden());
}

void TestMainWindow::newerLoadWins() {
    const QString other = generate(QStringLiteral("other.weft"), 5'000, 3);
    MainWindow w;
    QSignalSpy loaded(&w, &MainWindow::traceLoaded);
    w.openFile(m_trace);
    w.openFile(other); // supersedes the first before it can finish
    QVERIFY(loaded.wait(kLoadTimeoutMs));
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(loaded.first().at(0).toString(), other);
    QCOMPARE(w.currentPath(), other);
    // The superseded load, whenever it ends, is dropped.
    QTest::qWait(300);
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(w.currentPath(), other);
}

void TestMainWindow::cancelDropsTheLoad() {
    MainWindow w;
    QSignalSpy loaded(&w, &MainWindow::traceLoaded);
    QSignalSpy cancelled(w.loadController(), &LoadController::cancelled);
    w.openFile(m_trace);
    QVERIFY(!w.loadProgress()->isHidden());
    w.loadController()->cancel();
    QCOMPARE(cancelled.count(), 1);
    QVERIFY(w.loadProgress()->isHidden());
    QTest::qWait(300);
    QCOMPARE(loaded.count(), 0);
    QVERIFY(!w.model());
}

void TestMainWindow::exportsJson() {
    MainWindow w;
    QSignalSpy loaded(&w, &MainWindow::traceLoaded);
    QVERIFY(!w.exportJson(m_dir.filePath(QStringLiteral("none.json")))); // nothing loaded yet
    w.openFile(m_trace);
    QVERIFY(loaded.wait(kLoadTimeoutMs));
    const QString path = m_dir.filePath(QStringLiteral("export.json"));
    QSignalSpy exported(&w, &MainWindow::exportFinished);
    QVERIFY(w.exportJson(path));
    QVERIFY(exported.wait(kLoadTimeoutMs));
    QCOMPARE(exported.first().at(0).toBool(), true);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY(doc.isObject());
    QVERIFY(!doc.object().isEmpty());

    QSignalSpy failedExport(&w, &MainWindow::exportFinished);
    QVERIFY(w.exportJson(m_dir.filePath(QStringLiteral("no/such/dir/out.json"))));
    QVERIFY(failedExport.wait(kLoadTimeoutMs));
    QCOMPARE(failedExport.first().at(0).toBool(), false);
    QCOMPARE(w.messageBar()->level(), MessageBar::Level::Error);
}

void TestMainWindow::dropOpensFile() {
    MainWindow w;
    w.show();
    QSignalSpy loaded(&w, &MainWindow::traceLoaded);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(m_trace)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &drop);
    QVERIFY(loaded.wait(kLoadTimeoutMs));
    QCOMPARE(w.currentPath(), m_trace);

    QMimeData text;
    text.setText(QStringLiteral("not a file"));
    QDragEnterEvent refused(QPoint(10, 10), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    refused.setAccepted(false);
    QApplication::sendEvent(&w, &refused);
    QVERIFY(!refused.isAccepted());
}

// A Chrome trace-event JSON file, gzip-compressed and named like neither, opens through the same
// door as a .weft file: its flows are drawn as arrows, its counters as rows of their own.
void TestMainWindow::opensChromeJsonWithFlowsAndCounters() {
    const QByteArray json = R"({"traceEvents":[
        {"name":"thread_name","ph":"M","pid":1,"tid":1,"args":{"name":"Main"}},
        {"name":"thread_name","ph":"M","pid":1,"tid":2,"args":{"name":"IO"}},
        {"name":"Send","cat":"ipc","ph":"X","ts":0,"dur":100,"pid":1,"tid":1,"args":{"bytes":12}},
        {"name":"msg","cat":"ipc","ph":"s","id":1,"ts":50,"pid":1,"tid":1},
        {"name":"msg","cat":"ipc","ph":"f","bp":"e","id":1,"ts":210,"pid":1,"tid":2},
        {"name":"Receive","cat":"ipc","ph":"X","ts":200,"dur":50,"pid":1,"tid":2},
        {"name":"request","cat":"net","ph":"b","ts":10,"id2":{"local":"0x7"},"pid":1,"tid":1},
        {"name":"request","cat":"net","ph":"e","ts":300,"id2":{"local":"0x7"},"pid":1,"tid":2},
        {"name":"queue","ph":"C","ts":0,"pid":1,"args":{"depth":1}},
        {"name":"queue","ph":"C","ts":150,"pid":1,"args":{"depth":4}}]})";
    const QString path = m_dir.filePath(QStringLiteral("captured-trace"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        // gzip by hand (RFC 1952): Qt's qCompress writes zlib, not gzip.
        z_stream z{};
        QVERIFY(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
        QByteArray out(int(deflateBound(&z, uLong(json.size()))) + 64, '\0');
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(json.data()));
        z.avail_in = uInt(json.size());
        z.next_out = reinterpret_cast<Bytef*>(out.data());
        z.avail_out = uInt(out.size());
        QCOMPARE(deflate(&z, Z_FINISH), Z_STREAM_END);
        out.resize(out.size() - int(z.avail_out));
        deflateEnd(&z);
        f.write(out);
    }
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy loaded(&w, &MainWindow::traceLoaded);
    w.openFile(path);
    QVERIFY(loaded.wait(kLoadTimeoutMs));
    const auto model = w.model();
    QVERIFY(model);
    QCOMPARE(model->flows.size(), size_t(1));
    QCOMPARE(model->counters.size(), size_t(1));
    QCOMPARE(model->tasks.size(), size_t(1));
    QVERIFY(w.messageBar()->isHidden());

    TimelineView* v = w.timeline();
    QVERIFY(v->laneLayout().row_of_counter(0) >= 0);
    v->setShowAllFlows(true);
    QTRY_VERIFY(v->indexesReady());
    QImage image(v->size(), QImage::Format_ARGB32_Premultiplied);
    v->render(&image);
    QCOMPARE(v->drawList().arrows.size(), size_t(1));
    const auto counterRow = static_cast<size_t>(v->laneLayout().row_of_counter(0));
    QVERIFY(v->drawList().row_marks[counterRow].count > 0);
    QVERIFY(w.taskTreePanel()->view()->model()->rowCount() > 0);
}

void TestMainWindow::resetLayoutBringsEveryDockBack() {
    MainWindow w;
    w.resize(1600, 1000);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto dock = [&](const char* name) { return w.findChild<QDockWidget*>(QLatin1String(name)); };
    // The timeline (the central area) has most of the window by default.
    const QWidget* center = w.centralWidget();
    QTRY_VERIFY2(center->width() > w.width() / 2, qPrintable(QString::number(center->width())));
    QVERIFY2(center->height() > w.height() / 2, qPrintable(QString::number(center->height())));
    QVERIFY(dock("dock.details")->width() > w.width() / 6);

    dock("dock.lag")->hide();
    dock("dock.tasks")->setFloating(true);
    w.addDockWidget(Qt::LeftDockWidgetArea, dock("dock.details"));
    QAction* reset = nullptr;
    for (QAction* a : w.findChildren<QAction*>())
        if (a->text() == QStringLiteral("&Reset Layout")) reset = a;
    QVERIFY(reset);
    reset->trigger();
    for (const char* name : {"dock.tasks", "dock.details", "dock.awaits", "dock.lag"}) {
        QVERIFY2(dock(name)->isVisible(), name);
        QVERIFY2(!dock(name)->isFloating(), name);
    }
    QCOMPARE(w.dockWidgetArea(dock("dock.details")), Qt::RightDockWidgetArea);
    QCOMPARE(w.dockWidgetArea(dock("dock.tasks")), Qt::LeftDockWidgetArea);
    QCOMPARE(w.dockWidgetArea(dock("dock.lag")), Qt::BottomDockWidgetArea);
}

void TestMainWindow::darkThemeIsAppliedAndRemembered() {
    const QPalette before = QApplication::palette();
    auto themeAction = [](MainWindow& w, const QString& key) -> QAction* {
        for (QAction* a : w.findChildren<QAction*>())
            if (a->isCheckable() && a->data().toString() == key) return a;
        return nullptr;
    };
    {
        MainWindow w;
        QAction* dark = themeAction(w, QStringLiteral("dark"));
        QVERIFY(dark);
        QVERIFY(themeAction(w, QStringLiteral("system"))->isChecked()); // the default
        dark->trigger();
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
        QCOMPARE(QSettings().value(settings::kTheme).toString(), QStringLiteral("dark"));
    }
    QApplication::setPalette(before);
    {
        MainWindow again; // the next start applies it
        QVERIFY(themeAction(again, QStringLiteral("dark"))->isChecked());
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
        themeAction(again, QStringLiteral("system"))->trigger();
        QCOMPARE(QApplication::palette().color(QPalette::Window), before.color(QPalette::Window));
    }
    QApplication::setPalette(before);
}

void TestMainWindow::settingsPersist() {
    {
        MainWindow w;
        w.show();
        w.awaitPanel()->setThresholdMs(25);
        w.blockingPanel()->setThresholdMs(250);
        w.findChild<QDockWidget*>(QStringLiteral("dock.lag"))->hide();
        w.close();
    }
    QSettings s;
    QCOMPARE(s.value(settings::kAwaitThresholdMs).toDouble(), 25.0);
    QCOMPARE(s.value(settings::kBlockingThresholdMs).toDouble(), 250.0);
    QVERIFY(!s.value(settings::kState).toByteArray().isEmpty());
    MainWindow again;
    QCOMPARE(again.awaitPanel()->thresholdMs(), 25.0);
    QCOMPARE(again.blockingPanel()->thresholdMs(), 250.0);
    QVERIFY(again.findChild<QDockWidget*>(QStringLiteral("dock.lag"))->isHidden());
    // Every dock has an object name, so the saved state can restore it.
    for (QDockWidget* dock : again.findChildren<QDockWidget*>()) QVERIFY(!dock->objectName().isEmpty());
}

void TestMainWindow::recentFilesAreBounded() {
    for (int i = 0; i < 14; ++i) RecentFiles::add(m_dir.filePath(QStringLiteral("t%1.weft").arg(i)));
    RecentFiles::add(m_dir.filePath(QStringLiteral("t5.weft")));
    const QStringList files = RecentFiles::list();
    QCOMPARE(files.size(), RecentFiles::kMax);
    QCOMPARE(files.first(), m_dir.filePath(QStringLiteral("t5.weft")));
    QCOMPARE(files.count(files.first()), 1);
    QCOMPARE(files.at(1), m_dir.filePath(QStringLiteral("t13.weft")));
    MainWindow w;
    int entries = 0;
    for (QAction* a : w.recentMenu()->actions())
        if (!a->isSeparator() && a->toolTip().endsWith(QStringLiteral(".weft"))) ++entries;
    QCOMPARE(entries, RecentFiles::kMax);
}

void TestMainWindow::shortcutsAreListedAndBound() {
    QStringList listed;
    for (const auto& section : ShortcutsDialog::sections())
        for (const auto& entry : section.entries) listed << entry.keys;
    const QString all = listed.join(u'\n');
    for (const char* key : {"Ctrl+Wheel", "W / S", "A / D", "Drag", "Ctrl+Drag", "F", "0", "Esc", "Ctrl+O", "Ctrl+E", "Ctrl+Q", "F1"})
        QVERIFY2(listed.contains(QString::fromLatin1(key)) || all.contains(QString::fromLatin1(key)), key);

    MainWindow w;
    QStringList bound;
    for (QAction* a : w.findChildren<QAction*>())
        bound << a->shortcut().toString(QKeySequence::PortableText);
    for (const char* key : {"Ctrl+O", "Ctrl+E", "Ctrl+Q", "F1", "Ctrl+F", "Ctrl+T", "Ctrl+6"})
        QVERIFY2(bound.contains(QString::fromLatin1(key)), key);
}

void TestMainWindow::findWalksMatchesOnTheTimeline() {
    MainWindow w;
    QVERIFY(showAndOpen(w, m_trace));

    // Ctrl+F from the timeline puts the cursor in Find; typing searches the whole trace.
    w.timeline()->setFocus();
    QTRY_VERIFY(w.timeline()->hasFocus());
    QTest::keyClick(w.timeline(), Qt::Key_F, Qt::ControlModifier);
    QLineEdit* find = w.searchBar()->lineEdit();
    QTRY_VERIFY(find->hasFocus());
    QTest::keyClicks(find, QStringLiteral("fetch_user"));
    QTRY_VERIFY(w.timeline()->highlightCount() > 0);
    QCOMPARE(w.timeline()->highlightCount(), w.searchBar()->matches().size());

    // Enter shows the first match, Enter again the next one, later in time; the focus stays in Find.
    QTest::keyClick(find, Qt::Key_Return);
    const Selection first = w.timeline()->selection();
    QVERIFY(!first.empty());
    QVERIFY(
        QString::fromStdString(selection_name(*w.model(), first)).contains(QStringLiteral("fetch_user")) ||
        first.kind != Selection::Kind::Task);
    QCOMPARE(w.detailsPanel()->shown(), first);
    QTest::keyClick(find, Qt::Key_Return);
    const Selection second = w.timeline()->selection();
    QVERIFY(second != first);
    QVERIFY(selection_range(*w.model(), second).begin >= selection_range(*w.model(), first).begin);
    QTest::keyClick(find, Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(w.timeline()->selection(), first);
    QVERIFY(find->hasFocus());

    // Esc empties Find, drops the highlights and hands the keys back to the timeline.
    QTest::keyClick(find, Qt::Key_Escape);
    QVERIFY(find->text().isEmpty());
    QTRY_COMPARE(w.timeline()->highlightCount(), size_t{0});
    QTRY_VERIFY(w.timeline()->hasFocus());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"

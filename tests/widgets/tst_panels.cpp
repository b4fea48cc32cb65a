// The dock panels on their own: each is fed a model, driven like a user would, and checked for
// what it shows and which selection it asks for.

#include "analysis/blocking.h"
#include "event_dsl.h"
#include "models/await_model.h"
#include "models/blocking_model.h"
#include "models/task_filter_proxy.h"
#include "models/task_tree_model.h"
#include "panels/await_panel.h"
#include "panels/blocking_panel.h"
#include "panels/details_panel.h"
#include "panels/diagnostics_dialog.h"
#include "panels/lag_chart_panel.h"
#include "panels/message_bar.h"
#include "panels/summary_strip.h"
#include "panels/task_tree_panel.h"

#include <QChart>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineSeries>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTableWidget>
#include <QTextBrowser>
#include <QToolButton>
#include <QTreeView>
#include <QValueAxis>
#include <QtTest>

using namespace weft;
using namespace weft::ui;

namespace {

constexpr Time kMs = 1'000'000;

// Ticks are milliseconds. An event loop with lag samples every 10 ms, three tasks, two awaits,
// two blocking events (one with a stack).
std::shared_ptr<const Model> sampleModel() {
    QString script = QStringLiteral(R"(
process freq=1000
thread L loop name=loop
thread W name=worker
L 0   create 1 name=server at=server.py:10
L 0   run 1
L 1   create 2 parent=1 name=handler at=server.py:42
L 2   await 1 gather at=server.py:50
L 2   end 1
L 3   run 2
L 4   await 2 read at=net.py:12
L 4   end 2
W 5   create 3 name=janitor at=cron.py:3
W 5   run 3
W 6   block 120 task=3 frames=sleep@time.py:1,tick@cron.py:9
W 130 done 3 ok
W 130 end 3
W 140 block 30
L 50  resume 2
L 50  run 2
L 60  done 2 ok
L 60  end 2
L 300 resume 1
L 300 run 1
L 310 done 1 ok
L 310 end 1
)");
    for (int t = 320; t < 1320; t += 10) script += QStringLiteral("L %1 lag %2\n").arg(t).arg(t % 70 == 0 ? 25 : 1);
    return test::build_model(script.toStdString());
}

TaskIndex taskNamed(const Model& model, std::string_view name) {
    for (uint32_t i = 0; i < model.tasks.size(); ++i)
        if (model.string(model.tasks[i].name) == name) return TaskIndex(i);
    return {};
}

Selection selectionArg(const QSignalSpy& spy, int i = 0) { return spy.at(i).at(0).value<Selection>(); }

} // namespace

class TestPanels : public QObject {
    Q_OBJECT
private slots:
    void taskTreePanelSelectsAndFilters();
    void taskTreePanelFollowsWithoutEcho();
    void awaitPanelThresholdAndActivation();
    void blockingPanelShowsStackAndEmits();
    void lagChartFollowsVisibleRange();
    void lagChartWithoutSamples();
    void timesShowThePrecisionTheyNeed();
    void lagChartSharesTheTimelinesOrigin();
    void detailsPanelRendersAndLinks();
    void detailsNamesADefaultNamedTaskByItsCoroutine();
    void detailsOfAnAwaitLinkTheAwaitedTask();
    void detailsSummariseTheRulersRange();
    void detailsLinksRoundTrip_data();
    void detailsLinksRoundTrip();
    void summaryStripFigures();
    void messageBarShowsAndDismisses();
    void diagnosticsDialogListsEveryCounter();
};

void TestPanels::taskTreePanelSelectsAndFilters() {
    const auto model = sampleModel();
    TaskTreePanel panel;
    panel.resize(600, 400);
    panel.show();
    panel.setModel(model);
    QCOMPARE(panel.view()->model()->rowCount(), 2); // server, janitor

    QSignalSpy spy(&panel, &TaskTreePanel::selectionRequested);
    const QModelIndex first = panel.view()->model()->index(0, 0);
    panel.view()->setCurrentIndex(first);
    QCOMPARE(spy.count(), 1);
    const Selection picked = selectionArg(spy);
    QCOMPARE(picked.kind, Selection::Kind::Task);
    QCOMPARE(QString::fromStdString(std::string(model->string(model->tasks[picked.index].name))), first.data().toString());

    // Typing filters after a short pause; the handler stays visible under its parent.
    QTest::keyClicks(panel.filterEdit(), QStringLiteral("handl"));
    QTRY_COMPARE(panel.view()->model()->rowCount(), 1);
    const QModelIndex server = panel.view()->model()->index(0, 0);
    QCOMPARE(server.data().toString(), QStringLiteral("server"));
    QCOMPARE(panel.view()->model()->rowCount(server), 1);
    QVERIFY(panel.view()->isExpanded(server));
    panel.filterEdit()->clear();
    QTRY_COMPARE(panel.view()->model()->rowCount(), 2);
}

void TestPanels::taskTreePanelFollowsWithoutEcho() {
    const auto model = sampleModel();
    TaskTreePanel panel;
    panel.setModel(model);
    QSignalSpy spy(&panel, &TaskTreePanel::selectionRequested);
    const TaskIndex handler = taskNamed(*model, "handler");
    panel.selectTask(handler);
    QCOMPARE(panel.currentTask(), handler);
    QCOMPARE(spy.count(), 0);
    // Hidden by the filter: the selection is cleared rather than pointing at a wrong row.
    panel.proxy()->setFilterText(QStringLiteral("janitor"));
    panel.selectTask(handler);
    QVERIFY(!panel.view()->selectionModel()->hasSelection());
    QCOMPARE(spy.count(), 0);
}

void TestPanels::awaitPanelThresholdAndActivation() {
    const auto model = sampleModel();
    AwaitPanel panel;
    panel.resize(800, 400);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QCOMPARE(panel.thresholdMs(), AwaitPanel::kDefaultThresholdMs);
    panel.setModel(model);
    QTRY_VERIFY(!panel.awaitModel()->computing()); // grouped on a worker thread
    QCOMPARE(panel.view()->model()->rowCount(), 2); // gather 298 ms, read 46 ms

    QSignalSpy thresholdSpy(&panel, &AwaitPanel::thresholdChanged);
    panel.setThresholdMs(100);
    QCOMPARE(thresholdSpy.count(), 1);
    QTRY_VERIFY(!panel.awaitModel()->computing());
    QCOMPARE(panel.view()->model()->rowCount(), 1);
    QCOMPARE(panel.awaitModel()->minDuration(), 100 * kMs);
    panel.setThresholdMs(0);
    QTRY_VERIFY(!panel.awaitModel()->computing());
    QCOMPARE(panel.view()->model()->rowCount(), 2);

    // Double-click an instance: the await is requested for the timeline.
    QSignalSpy spy(&panel, &AwaitPanel::selectionRequested);
    QAbstractItemModel* shown = panel.view()->model();
    const QModelIndex group = shown->index(0, 0);
    panel.view()->expand(group);
    const QModelIndex instance = shown->index(0, 0, group);
    QVERIFY(instance.isValid());
    const QRect rect = panel.view()->visualRect(instance);
    QVERIFY(rect.isValid());
    // A real double-click starts with a press: the view only activates the row it saw pressed.
    QTest::mouseClick(panel.view()->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(panel.view()->viewport(), Qt::LeftButton, {}, rect.center());
    QTRY_COMPARE(spy.count(), 1);
    const Selection s = selectionArg(spy);
    QCOMPARE(s.kind, Selection::Kind::AwaitPoint);
    QCOMPARE(model->awaits[s.index].task, taskNamed(*model, "server"));
    // Location rows are not selections.
    panel.view()->setCurrentIndex(group);
    QTest::keyClick(panel.view(), Qt::Key_Return);
    QCOMPARE(spy.count(), 1);
}

void TestPanels::blockingPanelShowsStackAndEmits() {
    const auto model = sampleModel();
    BlockingPanel panel;
    panel.resize(700, 400);
    panel.show();
    QSignalSpy countSpy(&panel, &BlockingPanel::eventCountChanged);
    panel.setModel(model);
    QCOMPARE(panel.thresholdMs(), BlockingPanel::kDefaultThresholdMs);
    QCOMPARE(panel.eventCount(), 1);
    QCOMPARE(countSpy.count(), 1);
    panel.setThresholdMs(0);
    QCOMPARE(panel.eventCount(), 2);

    QSignalSpy spy(&panel, &BlockingPanel::selectionRequested);
    panel.view()->setCurrentIndex(panel.view()->model()->index(0, 0)); // longest first: 120 ms
    QCOMPARE(spy.count(), 1);
    const Selection s = selectionArg(spy);
    QCOMPARE(s.kind, Selection::Kind::Blocking);
    QCOMPARE(model->blocking[s.index].duration(), 120 * kMs);
    const QString stack = panel.stackView()->toPlainText();
    QVERIFY2(stack.contains(QStringLiteral("sleep")) && stack.contains(QStringLiteral("cron.py:9")), qPrintable(stack));

    // Following the shared selection selects the row and shows its stack without echoing.
    const uint32_t other = static_cast<uint32_t>(panel.blockingModel()->blockingAt(1));
    panel.selectBlocking(other);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(panel.stackView()->toPlainText().trimmed(), QStringLiteral("(no stack recorded)"));
}

void TestPanels::lagChartFollowsVisibleRange() {
    const auto model = sampleModel();
    LagChartPanel panel;
    panel.resize(800, 300);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.setModel(model);
    QCOMPARE(panel.chart()->series().size(), 1);
    QCOMPARE(panel.pointCount(), 100);
    QVERIFY(panel.statsLabel()->text().contains(QStringLiteral("avg")));
    // Samples are stems from the axis, never joined: lag between samples is not drawn.
    auto* line = qobject_cast<QLineSeries*>(panel.chart()->series().first());
    QVERIFY(line);
    QCOMPARE(line->count(), 300);
    for (qsizetype i = 0; i + 2 < line->count(); i += 3) {
        QCOMPARE(line->at(i).y(), 0.0);
        QCOMPARE(line->at(i + 2).y(), 0.0);
        QCOMPARE(line->at(i).x(), line->at(i + 1).x());
        QCOMPARE(line->at(i + 2).x(), line->at(i + 1).x());
    }
    QVERIFY(line->at(1).y() > 0);

    panel.setVisibleRange(500 * kMs, 700 * kMs);
    QTRY_COMPARE(panel.windowBegin(), 500 * kMs);
    panel.rebuildNow();
    // 21 samples in [500, 700] ms plus one neighbour on each side.
    QCOMPARE(panel.pointCount(), 23);
    auto* x = qobject_cast<QValueAxis*>(panel.chart()->axes(Qt::Horizontal).first());
    QVERIFY(x);
    QCOMPARE(x->min(), 500.0);
    QCOMPARE(x->max(), 700.0);
    QVERIFY(panel.statsLabel()->text().contains(QStringLiteral("21 samples")));
    auto* y = qobject_cast<QValueAxis*>(panel.chart()->axes(Qt::Vertical).first());
    QVERIFY(y->max() >= 25.0); // the 25 ms spikes at 560 and 630 ms are in view
}

void TestPanels::lagChartWithoutSamples() {
    LagChartPanel panel;
    panel.setModel(test::build_model("thread L loop\nL 0 create 1\nL 1 run 1\nL 2 end 1\n"));
    QCOMPARE(panel.chart()->series().size(), 0);
    QCOMPARE(panel.pointCount(), 0);
    QVERIFY(panel.statsLabel()->text().contains(QStringLiteral("no samples")));
    panel.setModel(nullptr);
    QVERIFY(panel.statsLabel()->text().isEmpty());
}

void TestPanels::lagChartSharesTheTimelinesOrigin() {
    // The first event comes 10 ms after the process start: a sample at 50 ms must read 50 ms on
    // the chart, as on the timeline's axis, not 40.
    const auto model = test::build_model(R"(
process freq=1000
thread L loop name=loop
L 10 create 1 name=main
L 10 run 1
L 50 lag 30
L 60 end 1
)");
    QVERIFY(model->begin > 0);
    LagChartPanel panel;
    panel.resize(600, 300);
    panel.setModel(model);
    panel.rebuildNow();
    auto* line = qobject_cast<QLineSeries*>(panel.chart()->series().first());
    QVERIFY(line && line->count() >= 3);
    QCOMPARE(line->at(1).x(), 50.0);
    QCOMPARE(line->at(1).y(), 30.0);
    auto* x = qobject_cast<QValueAxis*>(panel.chart()->axes(Qt::Horizontal).first());
    QCOMPARE(x->min(), static_cast<double>(model->begin) / 1e6);
    QVERIFY2(panel.statsLabel()->text().endsWith(QStringLiteral("1 sample")), qPrintable(panel.statsLabel()->text()));
}

void TestPanels::timesShowThePrecisionTheyNeed() {
    // A task created 3.215 ms in and a 190 us slice 104.7 s in: tables keep four significant
    // digits ("3.215 ms", not "0 s" in a trace of 105 s), Details every nanosecond.
    const auto model = test::build_model(R"(
process freq=1000000000
thread L loop name=loop
L 0 create 9 name=first
L 3215123 create 1 name=late
L 104705312456 run 1
L 104705502456 end 1
)");
    TaskTreeModel tree;
    tree.setModel(model);
    QString created;
    for (int r = 0; r < tree.rowCount(); ++r)
        if (tree.index(r, TaskTreeModel::Name).data().toString() == QStringLiteral("late"))
            created = tree.index(r, TaskTreeModel::Created).data().toString();
    QCOMPARE(created, QStringLiteral("3.215 ms"));

    DetailsPanel details;
    details.setModel(model);
    details.showSelection({Selection::Kind::Task, taskNamed(*model, "late").value});
    // (toRawText: toPlainText turns no-break spaces into plain ones)
    const QString text = details.browser()->document()->toRawText();
    const QString thin(QChar(0x202F)); // narrow no-break space
    QVERIFY2(text.contains(QStringLiteral("3.215") + thin + QStringLiteral("123 ms")), qPrintable(text));
    details.showSelection({Selection::Kind::RunSlice, 0});
    const QString run = details.browser()->document()->toRawText();
    QVERIFY2(run.contains(QStringLiteral("104.705") + thin + QStringLiteral("312") + thin + QStringLiteral("456 s")),
             qPrintable(run));
}

void TestPanels::detailsNamesADefaultNamedTaskByItsCoroutine() {
    auto model = std::make_shared<Model>(*sampleModel());
    const TaskIndex server = taskNamed(*model, "server");
    model->strings.push_back("Task-12");
    model->tasks[server.value].name = StringId{static_cast<uint32_t>(model->strings.size() - 1)};
    model->strings.push_back("serve_forever");
    model->tasks[server.value].coro_name = StringId{static_cast<uint32_t>(model->strings.size() - 1)};
    DetailsPanel panel;
    panel.setModel(model);
    panel.showSelection({Selection::Kind::Task, server.value});
    const QString html = panel.browser()->toHtml();
    const QString text = panel.browser()->toPlainText();
    QVERIFY2(text.startsWith(QStringLiteral("Task\nserve_forever Task-12")), qPrintable(text));
    QVERIFY2(html.contains(QStringLiteral("#999999")), qPrintable(html)); // the default name, dimmed
}

void TestPanels::detailsOfAnAwaitLinkTheAwaitedTask() {
    // server awaits "Task<handler>" from 2 to 300 ms; handler completes at 60 ms.
    auto model = std::make_shared<Model>(*sampleModel());
    const TaskIndex server = taskNamed(*model, "server");
    const TaskIndex handler = taskNamed(*model, "handler");
    const uint32_t await = model->tasks[server.value].awaits.first;
    model->strings.push_back("Task<handler>");
    model->awaits[await].awaitable = StringId{static_cast<uint32_t>(model->strings.size() - 1)};
    DetailsPanel panel;
    panel.setModel(model);
    panel.showSelection({Selection::Kind::AwaitPoint, await});
    const QString text = panel.browser()->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("Awaited task")) && text.contains(QStringLiteral("server.py:50")),
             qPrintable(text));
    QVERIFY(panel.browser()->toHtml().contains(DetailsPanel::linkFor({Selection::Kind::Task, handler.value})));
}

void TestPanels::detailsSummariseTheRulersRange() {
    const auto model = sampleModel();
    DetailsPanel panel;
    panel.setModel(model);
    panel.showSelection({Selection::Kind::Task, taskNamed(*model, "server").value});
    panel.showRange(0, 100 * kMs);
    QVERIFY(panel.shown().empty()); // the range replaced the selection
    const QString text = panel.browser()->toPlainText();
    for (const char* part : {"Range", "Tasks alive", "Running, per thread", "Awaiting, by location", "worker", "gather"})
        QVERIFY2(text.contains(QLatin1String(part)), qPrintable(QStringLiteral("%1 missing in:\n%2").arg(QLatin1String(part), text)));
}

void TestPanels::detailsPanelRendersAndLinks() {
    const auto model = sampleModel();
    DetailsPanel panel;
    panel.setModel(model);
    const TaskIndex server = taskNamed(*model, "server");
    panel.showSelection({Selection::Kind::Task, server.value});
    const QString text = panel.browser()->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("server")) && text.contains(QStringLiteral("handler")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("Children (1)")));
    QVERIFY(text.contains(QStringLiteral("Awaits (1)")));
    QVERIFY(text.contains(QStringLiteral("server.py:10")));

    QSignalSpy spy(&panel, &DetailsPanel::selectionRequested);
    const TaskIndex handler = taskNamed(*model, "handler");
    emit panel.browser()->anchorClicked(QUrl(DetailsPanel::linkFor({Selection::Kind::Task, handler.value})));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(selectionArg(spy), (Selection{Selection::Kind::Task, handler.value}));

    // Every kind renders something; an index out of range renders nothing and does not crash.
    panel.showSelection({Selection::Kind::Blocking, 0});
    QVERIFY(panel.browser()->toPlainText().contains(QStringLiteral("Blocking")));
    panel.showSelection({Selection::Kind::AwaitPoint, 0});
    QVERIFY(panel.browser()->toPlainText().contains(QStringLiteral("Await point")));
    panel.showSelection({Selection::Kind::RunSlice, 0});
    QVERIFY(panel.browser()->toPlainText().contains(QStringLiteral("Run slice")));
    panel.showSelection({Selection::Kind::LagSample, 0});
    QVERIFY(panel.browser()->toPlainText().contains(QStringLiteral("lag")));
    panel.showSelection({Selection::Kind::Task, 100000});
    QVERIFY(panel.browser()->toPlainText().isEmpty());
}

void TestPanels::detailsLinksRoundTrip_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<uint>("index");
    QTest::newRow("task") << int(Selection::Kind::Task) << 3u;
    QTest::newRow("run") << int(Selection::Kind::RunSlice) << 0u;
    QTest::newRow("span") << int(Selection::Kind::ThreadSpan) << 17u;
    QTest::newRow("await") << int(Selection::Kind::AwaitPoint) << 4294967294u;
    QTest::newRow("async") << int(Selection::Kind::AsyncSpan) << 9u;
    QTest::newRow("blocking") << int(Selection::Kind::Blocking) << 1u;
    QTest::newRow("lag") << int(Selection::Kind::LagSample) << 2u;
}

void TestPanels::detailsLinksRoundTrip() {
    QFETCH(int, kind);
    QFETCH(uint, index);
    const Selection s{static_cast<Selection::Kind>(kind), index};
    QCOMPARE(DetailsPanel::selectionFromLink(QUrl(DetailsPanel::linkFor(s))), s);
    QVERIFY(DetailsPanel::selectionFromLink(QUrl(QStringLiteral("https://example.org/task/1"))).empty());
    QVERIFY(DetailsPanel::selectionFromLink(QUrl(QStringLiteral("weft:task/x"))).empty());
}

void TestPanels::summaryStripFigures() {
    const auto model = sampleModel();
    SummaryStrip strip;
    strip.setModel(model);
    strip.setBlocking(1, 100);
    const QString text = strip.text();
    QVERIFY2(text.contains(QStringLiteral("|3|")) || text.contains(QStringLiteral("|3 ")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("avg")));
    QVERIFY(text.contains(QStringLiteral("≥ 100 ms")));
    QCOMPARE(strip.diagnosticsButton()->text(), QString::number(model->diagnostics.total()));
    QSignalSpy spy(&strip, &SummaryStrip::diagnosticsRequested);
    QTest::mouseClick(strip.diagnosticsButton(), Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
    strip.setModel(nullptr);
    QVERIFY(!strip.diagnosticsButton()->isEnabled());
}

void TestPanels::messageBarShowsAndDismisses() {
    MessageBar bar;
    QVERIFY(bar.isHidden());
    bar.showMessage(MessageBar::Level::Warning, QStringLiteral("damaged"), {QStringLiteral("at byte 12: bad checksum")});
    QVERIFY(!bar.isHidden());
    QCOMPARE(bar.level(), MessageBar::Level::Warning);
    QCOMPARE(bar.details().size(), 1);
    QSignalSpy spy(&bar, &MessageBar::dismissed);
    bar.dismiss();
    QVERIFY(bar.isHidden());
    QCOMPARE(spy.count(), 1);
    bar.dismiss();
    QCOMPARE(spy.count(), 1);
}

void TestPanels::diagnosticsDialogListsEveryCounter() {
    Diagnostics d;
    d.damaged_records = 2;
    d.skipped_bytes = 4096;
    d.orphan_run_ends = 1;
    d.messages.push_back("at byte 100: checksum mismatch");
    DiagnosticsDialog dialog(d);
    QCOMPARE(dialog.table()->rowCount(), 20);
    QVERIFY(!dialog.notesTable()); // no notes, no table
    // Problems first.
    QStringList firstThree;
    for (int r = 0; r < 3; ++r) firstThree << dialog.table()->item(r, 0)->text();
    QVERIFY(firstThree.contains(QStringLiteral("Damaged records")));
    QVERIFY(firstThree.contains(QStringLiteral("Orphan run ends")));
    QCOMPARE(dialog.table()->item(3, 1)->text(), QStringLiteral("0"));
}

QTEST_MAIN(TestPanels)
#include "tst_panels.moc"

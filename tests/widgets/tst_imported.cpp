// What traces imported from Chrome / Perfetto trace-event JSON carry, in the viewer: counter rows,
// instant and sample marks, flow arrows, their tooltips, and the Details panel's arguments, flows,
// stacks and counter values; the flows toggle and the diagnostics notes.

#include "../unit/query/imported_fixture.h"
#include "app/main_window.h"
#include "app/settings_keys.h"
#include "models/task_tree_model.h"
#include "panels/details_panel.h"
#include "panels/diagnostics_dialog.h"
#include "timeline/timeline_colors.h"
#include "timeline/timeline_view.h"
#include "private_settings.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QHelpEvent>
#include <QImage>
#include <QMouseEvent>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QToolTip>
#include <QtTest>

using namespace weft;
using namespace weft::ui;
using K = Selection::Kind;

namespace {

uint32_t spanNamed(const Model& m, std::string_view name) {
    for (uint32_t i = 0; i < m.thread_spans.size(); ++i)
        if (m.string(m.thread_spans[i].name) == name) return i;
    return UINT32_MAX;
}

uint32_t instantNamed(const Model& m, std::string_view name) {
    for (uint32_t i = 0; i < m.instants.size(); ++i)
        if (m.string(m.location(m.instants[i].location).name) == name) return i;
    return UINT32_MAX;
}

void click(QWidget* w, QPoint pos) {
    for (QEvent::Type type : {QEvent::MouseButtonPress, QEvent::MouseButtonRelease}) {
        QMouseEvent e(type, QPointF(pos), w->mapToGlobal(QPointF(pos)), Qt::LeftButton,
                      type == QEvent::MouseButtonPress ? Qt::LeftButton : Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(w, &e);
    }
}

QString tooltipAt(QWidget* w, QPoint pos) {
    QHelpEvent help(QEvent::ToolTip, pos, w->mapToGlobal(pos));
    QApplication::sendEvent(w, &help);
    return QToolTip::text();
}

} // namespace

class TestImported : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void timelineShowsCounterRowsAndMarks();
    void selectedAndVisibleFlowsAreDrawn();
    void clicksSelectCountersInstantsAndFlows();
    void tooltipsDescribeEveryNewKind();
    void detailsListArgumentsAndFlows();
    void detailsOfTaskSampleCounterAndFlow();
    void diagnosticsListNotesAndFlowCounters();
    void taskTreeOfImportedTasks();
    void largeTracesAreIndexedInTheBackground();
    void allFlowsToggleIsRemembered();

private:
    std::unique_ptr<TimelineView> makeView() {
        auto v = std::make_unique<TimelineView>();
        v->resize(1000, 400);
        v->setModel(m_model);
        v->setVisibleRange(0, 100);
        return v;
    }
    int xOf(const TimelineView& v, Time t) const {
        return v.lanesRect().left() + static_cast<int>(std::lround(v.mapping().x_of(t)));
    }

    QTemporaryDir m_dir;
    std::shared_ptr<const Model> m_model = test::imported_model();
};

void TestImported::initTestCase() {
    qRegisterMetaType<Selection>();
    QVERIFY(m_dir.isValid());
    weft::test::usePrivateSettings(m_dir);
}

void TestImported::timelineShowsCounterRowsAndMarks() {
    auto v = makeView();
    const LaneLayout& layout = v->laneLayout();
    const int counter = layout.row_of_counter(0);
    QVERIFY(counter >= 0);
    QCOMPARE(layout.row(static_cast<size_t>(counter)).kind, RowKind::Counter);
    QVERIFY(layout.row_of_global_marks() >= 0);

    QImage image(v->size(), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    v->render(&image);
    const DrawList& list = v->drawList();
    const Range counterMarks = list.row_marks[static_cast<size_t>(counter)];
    QCOMPARE(counterMarks.count, 2u);
    // The second step (value 10, the track's maximum) is filled up to near the row's top.
    const LaneRow& row = layout.row(static_cast<size_t>(counter));
    const QColor background = image.pixelColor(xOf(*v, 60), v->rowCenterY(counter) + row.height / 2 - 3);
    QVERIFY2(background != timeline_palette().background && background != timeline_palette().row_alternate,
             qPrintable(background.name()));
    QCOMPARE(image.pixelColor(xOf(*v, 10), v->rowCenterY(counter) - row.height / 2 + 4).rgb(),
             image.pixelColor(xOf(*v, 5), v->rowCenterY(counter) - row.height / 2 + 4).rgb()); // before any sample
    int instants = 0, samples = 0;
    for (const DrawMark& m : list.marks) {
        instants += m.kind == MarkKind::Instant;
        samples += m.kind == MarkKind::Sample;
    }
    QCOMPARE(instants, 3); // thread, process and global
    QCOMPARE(samples, 1);
    QCOMPARE(list.global_marks.size(), size_t(1));
}

void TestImported::selectedAndVisibleFlowsAreDrawn() {
    auto v = makeView();
    QImage image(v->size(), QImage::Format_ARGB32_Premultiplied);
    v->render(&image);
    QVERIFY(v->drawList().arrows.empty()); // nothing selected, flows toggle off

    v->setSelection({K::ThreadSpan, spanNamed(*m_model, "frame")});
    QCOMPARE(v->selectedFlows(), std::vector<uint32_t>{0});
    v->render(&image);
    QCOMPARE(v->drawList().arrows.size(), size_t(1));
    const DrawArrow& a = v->drawList().arrows.front();
    QCOMPARE(a.kind, ArrowKind::Flow);
    QVERIFY(a.strong);
    QCOMPARE(a.from_row, static_cast<uint32_t>(v->laneLayout().row_of(*m_model, {K::ThreadSpan, spanNamed(*m_model, "frame")})));

    v->setShowAllFlows(true);
    v->render(&image);
    int light = 0, strong = 0;
    for (const DrawArrow& arrow : v->drawList().arrows) (arrow.strong ? strong : light)++;
    QCOMPARE(light, 2);
    QCOMPARE(strong, 1);
    // The flow of the collapsed task "req" starts on the task's row; expanded, on its span's.
    const TaskIndex req = test::find_task(*m_model, 9);
    v->clearSelection();
    v->render(&image);
    const int taskRow = v->laneLayout().row_of_task(req);
    bool fromTask = false;
    for (const DrawArrow& arrow : v->drawList().arrows) fromTask |= arrow.from_row == static_cast<uint32_t>(taskRow);
    QVERIFY(fromTask);
    v->setTaskExpanded(req, true);
    v->render(&image);
    const int spanRow = v->laneLayout().row_of_async_span(test::find_span(*m_model, 7));
    QVERIFY(spanRow > taskRow);
    bool fromSpan = false;
    for (const DrawArrow& arrow : v->drawList().arrows) fromSpan |= arrow.from_row == static_cast<uint32_t>(spanRow);
    QVERIFY(fromSpan);
}

void TestImported::clicksSelectCountersInstantsAndFlows() {
    auto v = makeView();
    v->show();
    QSignalSpy spy(v.get(), &TimelineView::selectionChanged);
    const LaneLayout& layout = v->laneLayout();
    click(v.get(), QPoint(xOf(*v, 50), v->rowCenterY(layout.row_of_counter(0))));
    QCOMPARE(v->selection(), (Selection{K::CounterSample, 1}));
    const int marks = layout.row_of_thread(test::find_thread(*m_model, "main"), RowKind::ThreadMarks);
    click(v.get(), QPoint(xOf(*v, 10) + 2, v->rowCenterY(marks)));
    QCOMPARE(v->selection(), (Selection{K::Instant, instantNamed(*m_model, "mark")}));
    QCOMPARE(spy.count(), 2);

    // A click on a flow's arrow, away from any mark, selects the flow.
    v->setShowAllFlows(true);
    QImage image(v->size(), QImage::Format_ARGB32_Premultiplied);
    v->render(&image);
    const DrawArrow* arrow = nullptr;
    for (const DrawArrow& a : v->drawList().arrows)
        if (a.flow == 0) arrow = &a;
    QVERIFY(arrow);
    QPoint onArrow;
    for (int y = v->rowCenterY(static_cast<int>(arrow->from_row)); y <= v->rowCenterY(static_cast<int>(arrow->to_row)); ++y)
        for (int x = v->lanesRect().left(); x < v->lanesRect().right(); ++x)
            if (onArrow.isNull() && v->arrowAt(QPoint(x, y)) == arrow &&
                hit_test(*m_model, layout, v->mapping(), static_cast<size_t>(v->rowAt(QPoint(x, y))), x - v->lanesRect().left())
                    .empty())
                onArrow = QPoint(x, y);
    QVERIFY(!onArrow.isNull());
    click(v.get(), onArrow);
    QCOMPARE(v->selection(), (Selection{K::Flow, 0}));
    QCOMPARE(v->selectedFlows(), std::vector<uint32_t>{0});
}

void TestImported::tooltipsDescribeEveryNewKind() {
    auto v = makeView();
    v->show();
    QImage image(v->size(), QImage::Format_ARGB32_Premultiplied);
    v->render(&image);
    const LaneLayout& layout = v->laneLayout();
    const QString counter = tooltipAt(v.get(), QPoint(xOf(*v, 25), v->rowCenterY(layout.row_of_counter(0))));
    QVERIFY2(counter.contains(QStringLiteral("memory")) && counter.contains(QStringLiteral("value: 5")), qPrintable(counter));
    const int marks = layout.row_of_thread(test::find_thread(*m_model, "main"), RowKind::ThreadMarks);
    const QString instant = tooltipAt(v.get(), QPoint(xOf(*v, 10), v->rowCenterY(marks)));
    QVERIFY2(instant.contains(QStringLiteral("mark (toplevel)")) && instant.contains(QStringLiteral("\"k\"")),
             qPrintable(instant));
    const QString sample = tooltipAt(v.get(), QPoint(xOf(*v, 15), v->rowCenterY(marks)));
    QVERIFY2(sample.contains(QStringLiteral("leaf")) && sample.contains(QStringLiteral("root")), qPrintable(sample));
    const QString header = tooltipAt(v.get(), QPoint(10, v->rowCenterY(layout.row_of_counter(0))));
    QVERIFY2(header.contains(QStringLiteral("range: 5 \u2013 10")), qPrintable(header));
    const QString head = tooltipAt(v.get(), QPoint(10, v->rowCenterY(marks)));
    QVERIFY2(head.startsWith(QStringLiteral("main")) && head.contains(QStringLiteral("no run slices")), qPrintable(head));
}

void TestImported::detailsListArgumentsAndFlows() {
    DetailsPanel panel;
    panel.setModel(m_model);
    panel.showSelection({K::ThreadSpan, spanNamed(*m_model, "frame")});
    const QString text = panel.browser()->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("Arguments\nn\n1")), qPrintable(text)); // a key: value table
    QVERIFY2(text.contains(QStringLiteral("Flows (1)")) && text.contains(QStringLiteral("→ to handle")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("worker")));

    // The link on the other end selects it.
    const QString html = panel.browser()->toHtml();
    const QString target = DetailsPanel::linkFor({K::ThreadSpan, spanNamed(*m_model, "handle")});
    QVERIFY2(html.contains(target), qPrintable(html));
    QSignalSpy spy(&panel, &DetailsPanel::selectionRequested);
    emit panel.browser()->anchorClicked(QUrl(target));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).value<Selection>(), (Selection{K::ThreadSpan, spanNamed(*m_model, "handle")}));

    panel.showSelection({K::ThreadSpan, spanNamed(*m_model, "handle")});
    QVERIFY(panel.browser()->toPlainText().contains(QStringLiteral("← from frame")));

    panel.showSelection({K::Instant, instantNamed(*m_model, "mark")});
    const QString instant = panel.browser()->toPlainText();
    QVERIFY2(instant.contains(QStringLiteral("Category")) && instant.contains(QStringLiteral("toplevel")), qPrintable(instant));
    QVERIFY(instant.contains(QStringLiteral("Arguments")));
    panel.showSelection({K::Instant, instantNamed(*m_model, "everyone")});
    QVERIFY(panel.browser()->toPlainText().contains(QStringLiteral("the whole trace")));
}

void TestImported::detailsOfTaskSampleCounterAndFlow() {
    DetailsPanel panel;
    panel.setModel(m_model);
    const TaskIndex req = test::find_task(*m_model, 9);
    panel.showSelection({K::Task, req.value});
    const QString task = panel.browser()->toPlainText();
    QVERIFY2(task.contains(QStringLiteral("url")) && task.contains(QStringLiteral("/")), qPrintable(task));
    QVERIFY(task.contains(QStringLiteral("Root span")));
    QVERIFY(task.contains(QStringLiteral("known from its async spans")));
    QVERIFY(!task.contains(QStringLiteral("Polls")));
    QVERIFY2(task.contains(QStringLiteral("Flows (1)")) && task.contains(QStringLiteral("→ to worker")), qPrintable(task));

    panel.showSelection({K::Sample, 0});
    const QString sample = panel.browser()->toPlainText();
    QVERIFY2(sample.indexOf(QStringLiteral("leaf")) < sample.indexOf(QStringLiteral("root")), qPrintable(sample));
    QVERIFY(sample.contains(QStringLiteral("Stack")));

    panel.showSelection({K::CounterSample, 0});
    const QString counter = panel.browser()->toPlainText();
    QVERIFY2(counter.contains(QStringLiteral("memory · used")) && counter.contains(QStringLiteral("Value")), qPrintable(counter));
    QVERIFY(counter.contains(QStringLiteral("next")));

    panel.showSelection({K::Flow, 0});
    const QString flow = panel.browser()->toPlainText();
    QVERIFY2(flow.contains(QStringLiteral("post")) && flow.contains(QStringLiteral("ipc")) &&
                 flow.contains(QStringLiteral("frame")) && flow.contains(QStringLiteral("handle")),
             qPrintable(flow));
    for (K kind : {K::Instant, K::Sample, K::CounterSample, K::Flow}) {
        panel.showSelection({kind, 100000});
        QVERIFY(panel.browser()->toPlainText().isEmpty());
        QCOMPARE(DetailsPanel::selectionFromLink(QUrl(DetailsPanel::linkFor({kind, 3}))), (Selection{kind, 3}));
    }
}

void TestImported::diagnosticsListNotesAndFlowCounters() {
    const auto model = test::build_model(R"(
        thread A
        A 1 note skipped-events 3
        A 2 note metadata 1
        A 3 flow out 5
        A 4 flow in 6
    )");
    DiagnosticsDialog dialog(model->diagnostics);
    QStringList problems;
    for (int r = 0; r < dialog.table()->rowCount(); ++r)
        if (dialog.table()->item(r, 1)->text() != QStringLiteral("0")) problems << dialog.table()->item(r, 0)->text();
    QVERIFY2(problems.contains(QStringLiteral("Unfinished flows")) && problems.contains(QStringLiteral("Orphan flow ends")),
             qPrintable(problems.join(u',')));
    QTableWidget* notes = dialog.notesTable();
    QVERIFY(notes);
    QCOMPARE(notes->rowCount(), 2);
    QCOMPARE(notes->item(0, 0)->text(), QStringLiteral("metadata"));
    QCOMPARE(notes->item(1, 1)->text(), QStringLiteral("3"));
}

void TestImported::taskTreeOfImportedTasks() {
    TaskTreeModel tree;
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tree.setModel(m_model);
    QCOMPARE(tree.rowCount(), 1);
    const QModelIndex req = tree.index(0, TaskTreeModel::Name);
    QCOMPARE(req.data().toString(), QStringLiteral("req"));
    // It never ran on a thread: no busy time or polls to claim.
    QVERIFY(tree.index(0, TaskTreeModel::Polls).data().toString().isEmpty());
    QVERIFY(tree.index(0, TaskTreeModel::Scheduled).data().toString().isEmpty());
    tree.setModel(test::imported_model()); // a new snapshot of the same trace
    QCOMPARE(tree.rowCount(), 1);
    tree.setModel(nullptr);
    QCOMPARE(tree.rowCount(), 0);
}

void TestImported::largeTracesAreIndexedInTheBackground() {
    // One counter track of 300k samples: too many to index on the GUI thread.
    auto m = std::make_shared<Model>(*m_model);
    CounterTrack& track = m->counters.front();
    track.samples = {static_cast<uint32_t>(m->counter_samples.size()), 300'000};
    for (uint32_t i = 0; i < 300'000; ++i) {
        m->counter_samples.time.push_back(100 + i);
        m->counter_samples.value.push_back(i % 1000);
    }
    track.min = 0;
    track.max = 999;
    m->end = 300'100;
    TimelineView v;
    v.resize(800, 300);
    v.setModel(m);
    v.setShowAllFlows(true);
    QVERIFY(!v.indexesReady());
    // Meanwhile it draws: counters by scanning, no flows but the selection's.
    QImage image(v.size(), QImage::Format_ARGB32_Premultiplied);
    v.render(&image);
    QVERIFY(v.drawList().row_marks[static_cast<size_t>(v.laneLayout().row_of_counter(0))].count > 0);
    QVERIFY(v.drawList().arrows.empty());
    QTRY_VERIFY(v.indexesReady());
    v.render(&image);
    QCOMPARE(v.drawList().arrows.size(), size_t(2));
    // A small model replacing one still being indexed is ready at once and stays so.
    v.setModel(m);
    v.setModel(m_model);
    QVERIFY(v.indexesReady());
    QTest::qWait(100);
    QVERIFY(v.indexesReady());
}

void TestImported::allFlowsToggleIsRemembered() {
    QSettings().clear();
    {
        MainWindow w;
        QAction* toggle = w.allFlowsAction();
        QVERIFY(toggle && toggle->isCheckable());
        QVERIFY(!toggle->isChecked());
        QCOMPARE(toggle->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_L));
        toggle->trigger();
        QVERIFY(w.timeline()->showAllFlows());
        QVERIFY(QSettings().value(settings::kShowAllFlows).toBool());
    }
    MainWindow again;
    QVERIFY(again.allFlowsAction()->isChecked());
    QVERIFY(again.timeline()->showAllFlows());
    again.allFlowsAction()->trigger();
    QVERIFY(!again.timeline()->showAllFlows());
    QVERIFY(!QSettings().value(settings::kShowAllFlows).toBool());
}

QTEST_MAIN(TestImported)
#include "tst_imported.moc"

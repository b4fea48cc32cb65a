// TimelineView rows that scale: packed task rows, selection scrolled into view, collapsed, hidden
// and pinned threads, Find's highlights, and the state a live snapshot keeps. Offscreen.
#include "../unit/query/query_fixture.h"
#include "app/settings_keys.h"
#include "private_settings.h"
#include "query/draw_list.h"
#include "timeline/lane_header.h"
#include "timeline/timeline_colors.h"
#include "timeline/timeline_view.h"

#include <QImage>
#include <QScrollBar>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using weft::Selection;
using weft::Time;
using weft::ui::TimelineView;
using K = weft::Selection::Kind;

namespace {

// The small query model plus `n` more root tasks named "request", each 50 ns long, 20 ns apart:
// at most three alive at once.
std::shared_ptr<weft::Model> many_requests(uint32_t n) {
    auto m = weft::test::small_model();
    const weft::StringId name = weft::test::intern(*m, "request");
    for (uint32_t i = 0; i < n; ++i) {
        weft::Task& t = m->tasks.emplace_back();
        t.task_id = 1000 + i;
        t.name = name;
        t.created = static_cast<Time>(i) * 20;
        t.completed = t.created + 50;
        t.state = i % 97 == 5 ? weft::TaskState::Error : weft::TaskState::Ok;
        m->processes[0].root_tasks.push_back(weft::TaskIndex{static_cast<uint32_t>(m->tasks.size() - 1)});
    }
    m->end = std::max<Time>(m->end, static_cast<Time>(n) * 20 + 100);
    return m;
}

bool visible(const TimelineView& v, int row) {
    const int y = v.rowCenterY(row);
    return y >= v.lanesRect().top() && y <= v.lanesRect().bottom();
}

} // namespace

class TimelineRowsTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        weft::test::usePrivateSettings(m_dir);
        QSettings().clear();
    }

    void thousandsOfRootTasksTakeAFewRows() {
        TimelineView v;
        v.resize(1000, 400);
        v.setModel(many_requests(20'000));
        const weft::LaneLayout& layout = v.laneLayout();
        size_t task_rows = 0;
        for (const weft::LaneRow& r : layout.rows())
            task_rows += r.kind == weft::RowKind::TaskPack;
        QCOMPARE(task_rows, size_t{3});
        // The first packed row names the group and its size.
        const int first = layout.row_of_task(weft::TaskIndex{3});
        QVERIFY(first >= 0);
        QCOMPARE(weft::ui::lane_header_text(*v.model(), layout, layout.row(static_cast<size_t>(first))),
                 QStringLiteral("request  \u00d720000"));
    }

    void selectingATaskScrollsItsRowIntoView() {
        // Distinct names: one row per task, so the last one is far below the fold.
        auto m = many_requests(0);
        for (uint32_t i = 0; i < 300; ++i) {
            weft::Task& t = m->tasks.emplace_back();
            t.task_id = 5000 + i;
            t.name = weft::test::intern(*m, "job " + std::to_string(i));
            t.created = i;
            t.completed = i + 10;
            m->processes[0].root_tasks.push_back(weft::TaskIndex{static_cast<uint32_t>(m->tasks.size() - 1)});
        }
        TimelineView v;
        v.resize(1000, 400);
        v.setModel(m);
        const weft::TaskIndex last{static_cast<uint32_t>(m->tasks.size() - 1)};
        const int row = v.laneLayout().row_of_task(last);
        QVERIFY(row > 0);
        QVERIFY(!visible(v, row));
        v.setSelection(Selection{K::Task, last.value});
        QVERIFY(visible(v, row));
    }

    void enterExpandsTheSelectedTaskOutOfItsPack() {
        auto m = many_requests(10);
        // Task 0 ("A") is alone in its group; make request 0 a parent of task 2 ("C").
        TimelineView v;
        v.resize(1000, 400);
        v.setModel(m);
        const weft::TaskIndex a{0};
        v.setSelection(Selection{K::Task, a.value});
        QVERIFY(!v.laneLayout().task_expanded(a));
        QTest::keyClick(&v, Qt::Key_Return);
        QVERIFY(v.laneLayout().task_expanded(a));
        QVERIFY(v.laneLayout().row_of_task(weft::TaskIndex{1}) >= 0); // its child B has a row now
        QTest::keyClick(&v, Qt::Key_Return);
        QVERIFY(!v.laneLayout().task_expanded(a));
    }

    void pinnedThreadStaysAtTheTopWhileScrolling() {
        TimelineView v;
        v.resize(1000, 150);
        v.setModel(many_requests(0));
        // Enough rows to scroll: expand the task tree.
        v.setTaskExpanded(weft::TaskIndex{0}, true);
        v.setThreadPinned(weft::ThreadIndex{1}, true);
        const weft::LaneLayout& layout = v.laneLayout();
        QCOMPARE(layout.pinned_rows(), size_t{1});
        const int top = v.lanesRect().top() + 2;
        auto* bar = v.findChild<QScrollBar*>();
        QVERIFY(bar);
        bar->setValue(bar->maximum());
        QVERIFY(bar->maximum() > 0);
        QCOMPARE(v.rowAt(QPoint(v.lanesRect().left() + 5, top)), 0);
        QCOMPARE(v.rowCenterY(0), v.lanesRect().top() + layout.row(0).height / 2);
        // A live snapshot keeps it pinned; a new trace does not.
        v.setModel(many_requests(0), TimelineView::ModelChange::Snapshot);
        QCOMPARE(v.laneLayout().pinned_rows(), size_t{1});
        v.setModel(many_requests(0));
        QCOMPARE(v.laneLayout().pinned_rows(), size_t{0});
    }

    void hiddenThreadIsCountedAndComesBackWhenSelected() {
        TimelineView v;
        v.resize(1000, 400);
        auto m = many_requests(0);
        v.setModel(m);
        v.setThreadHidden(weft::ThreadIndex{0}, true);
        QCOMPARE(v.laneLayout().row_of_thread_head(weft::ThreadIndex{0}), -1);
        const weft::LaneLayout& layout = v.laneLayout();
        QVERIFY(weft::ui::lane_header_text(*m, layout, layout.row(0)).endsWith(QStringLiteral("(1 hidden)")));
        // Selecting its blocking event (from the blocking panel, say) shows the thread again.
        v.setSelection(Selection{K::Blocking, 0});
        QVERIFY(v.laneLayout().row_of_thread(weft::ThreadIndex{0}, weft::RowKind::ThreadBlocking) >= 0);
    }

    void groupingBySpawnLocationIsRemembered() {
        TimelineView v;
        v.resize(1000, 400);
        v.setModel(many_requests(100));
        v.setTaskGrouping(weft::TaskGrouping::SpawnLocation);
        QCOMPARE(QSettings().value(weft::ui::settings::kTaskGrouping).toString(), QStringLiteral("spawn"));
        TimelineView again;
        QCOMPARE(again.taskGrouping(), weft::TaskGrouping::SpawnLocation);
        again.setTaskGrouping(weft::TaskGrouping::Name);
    }

    void findMatchesAreOutlinedAndTickedOnTheAxis() {
        TimelineView v;
        v.resize(1000, 400);
        auto m = many_requests(0);
        v.setModel(m);
        v.setHighlights({Selection{K::Blocking, 0}}, {m->blocking[0].begin});
        QCOMPARE(v.highlightCount(), size_t{1});
        QImage image(v.size(), QImage::Format_ARGB32);
        v.render(&image);
        const QColor match = weft::ui::timeline_palette().match;
        // The blocking mark's outline on its row, and a tick on the axis above it.
        const int row = v.laneLayout().row_of_thread(weft::ThreadIndex{0}, weft::RowKind::ThreadBlocking);
        const int x0 = v.lanesRect().left() + static_cast<int>(v.mapping().x_of(m->blocking[0].begin));
        const int x1 = v.lanesRect().left() + static_cast<int>(v.mapping().x_of(m->blocking[0].end));
        bool outlined = false, ticked = false;
        for (int x = x0 - 3; x <= x1 + 3; ++x) {
            for (int y = v.rowCenterY(row) - 8; y <= v.rowCenterY(row) + 8; ++y)
                outlined |= image.pixelColor(x, y) == match;
            ticked |= image.pixelColor(x, v.axisRect().bottom() - 2) == match;
        }
        QVERIFY(outlined);
        QVERIFY(ticked);
        v.setHighlights({}, {});
        image.fill(Qt::black);
        v.render(&image);
        bool any = false;
        for (int x = x0 - 3; x <= x1 + 3; ++x)
            any |= image.pixelColor(x, v.axisRect().bottom() - 2) == match;
        QVERIFY(!any);
    }
};

QTEST_MAIN(TimelineRowsTest)
#include "tst_timeline_rows.moc"

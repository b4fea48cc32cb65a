#include "query/draw_list.h"
#include "query/lane_layout.h"
#include "query_fixture.h"

#include <gtest/gtest.h>

namespace weft {
namespace {

using K = Selection::Kind;

TEST(LaneLayout, CollapsedTreeShowsThreadsThenRootTasks) {
    auto m = test::small_model();
    LaneLayout layout;
    layout.build(*m);
    const std::vector<RowKind> expected{RowKind::Process,     RowKind::ThreadRuns, RowKind::ThreadBlocking,
                                        RowKind::ThreadLag,   RowKind::ThreadSpans, RowKind::ThreadSpans,
                                        RowKind::ThreadRuns,  RowKind::TaskGroup,  RowKind::Task};
    ASSERT_EQ(layout.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(layout.row(i).kind, expected[i]) << "row " << i;
    EXPECT_EQ(layout.row(5).depth, 1);
    EXPECT_EQ(layout.row(6).index, 1u);
    EXPECT_TRUE(layout.row(8).expandable);
    EXPECT_FALSE(layout.row(8).expanded);
    // Rows tile vertically.
    for (size_t i = 1; i < layout.size(); ++i) EXPECT_EQ(layout.row(i).y, layout.row(i - 1).y + layout.row(i - 1).height);
    EXPECT_EQ(layout.row_at_y(0), 0);
    EXPECT_EQ(layout.row_at_y(layout.row(4).y + 1), 4);
    EXPECT_EQ(layout.row_at_y(layout.total_height()), -1);
    EXPECT_EQ(layout.row_at_y(-1), -1);
}

TEST(LaneLayout, ExpandShowsPackedAsyncSpansAndChildren) {
    auto m = test::small_model();
    LaneLayout layout;
    layout.build(*m);
    ASSERT_TRUE(layout.toggle(*m, 8));
    ASSERT_EQ(layout.size(), 13u);
    EXPECT_TRUE(layout.row(8).expanded);
    EXPECT_EQ(layout.row(9).kind, RowKind::TaskSpans);
    EXPECT_EQ(layout.row(10).kind, RowKind::TaskSpans);
    // "request" [20,250] and "db" [30,80] overlap: two packed rows.
    ASSERT_EQ(layout.items(layout.row(9)).size(), 1u);
    EXPECT_EQ(layout.items(layout.row(9))[0].value, 0u);
    EXPECT_EQ(layout.items(layout.row(10))[0].value, 1u);
    EXPECT_EQ(layout.row(11).kind, RowKind::Task);
    EXPECT_EQ(layout.row(11).index, 1u);
    EXPECT_EQ(layout.row(11).indent, 2);
    EXPECT_EQ(layout.row(12).index, 2u);
    EXPECT_FALSE(layout.row(12).expandable); // C has no children or spans
    EXPECT_FALSE(layout.toggle(*m, 12));
    // Collapse again.
    ASSERT_TRUE(layout.toggle(*m, 8));
    EXPECT_EQ(layout.size(), 9u);
}

TEST(LaneLayout, CollapsedProcessHidesEverything) {
    auto m = test::small_model();
    LaneLayout layout;
    layout.build(*m);
    ASSERT_TRUE(layout.toggle(*m, 0));
    EXPECT_EQ(layout.size(), 1u);
    EXPECT_FALSE(layout.row(0).expanded);
    EXPECT_EQ(layout.row_of(*m, {K::Task, 0}), -1);
    layout.expand_to(*m, TaskIndex{2});
    layout.build(*m);
    EXPECT_EQ(layout.row_of(*m, {K::Task, 2}), 12);
}

TEST(LaneLayout, RowOfSelection) {
    auto m = test::small_model();
    LaneLayout layout;
    layout.build(*m);
    EXPECT_EQ(layout.row_of(*m, {K::RunSlice, 3}), 6);
    EXPECT_EQ(layout.row_of(*m, {K::RunSlice, 2}), 1);
    EXPECT_EQ(layout.row_of(*m, {K::Blocking, 0}), 2);
    EXPECT_EQ(layout.row_of(*m, {K::LagSample, 0}), 3);
    EXPECT_EQ(layout.row_of(*m, {K::ThreadSpan, 1}), 5);
    EXPECT_EQ(layout.row_of(*m, {K::AwaitPoint, 0}), 8);
    EXPECT_EQ(layout.row_of(*m, {K::AsyncSpan, 1}), 8); // collapsed: on its task
    EXPECT_EQ(layout.row_of(*m, {K::Task, 1}), -1);     // hidden under A
    EXPECT_EQ(layout.row_of(*m, {K::RunSlice, 99}), 6); // past the end: the last owner, not a crash
    EXPECT_EQ(layout.row_of(*m, {}), -1);
    layout.set_task_expanded(TaskIndex{0}, true);
    layout.build(*m);
    EXPECT_EQ(layout.row_of(*m, {K::AsyncSpan, 1}), 10);
    EXPECT_EQ(layout.row_of(*m, {K::AwaitPoint, 1}), 11);
    EXPECT_EQ(layout.thread_of_run(3).value, 1u);
    EXPECT_EQ(layout.thread_of_run(0).value, 0u);
}

struct HitCase {
    size_t row;
    double x;
    Selection expect;
};

TEST(HitTest, ByIndexOnEveryRowKind) {
    auto m = test::small_model();
    LaneLayout layout;
    layout.set_task_expanded(TaskIndex{0}, true);
    layout.build(*m);
    const ViewMapping view{0, 600, 600}; // 1 ns per px
    const std::vector<HitCase> cases{
        {0, 50, {}},                       // process header
        {1, 250, {K::RunSlice, 1}},        // B on main
        {1, 150, {}},                      // gap on main
        {1, 101, {K::RunSlice, 0}},        // within the slack after A's slice
        {6, 400, {K::RunSlice, 3}},        // B on worker
        {2, 450, {K::Blocking, 0}},
        {3, 480, {K::LagSample, 0}},       // [470, 500]
        {4, 50, {K::ThreadSpan, 0}},
        {5, 15, {K::ThreadSpan, 1}},
        {5, 50, {}},
        {8, 50, {K::RunSlice, 0}},         // task A running
        {8, 200, {K::AwaitPoint, 0}},      // task A awaiting
        {8, 550, {K::Task, 0}},            // task A alive, idle
        {9, 100, {K::AsyncSpan, 0}},
        {10, 50, {K::AsyncSpan, 1}},
        {10, 150, {}},
        {11, 100, {K::Task, 1}},           // B scheduled, not yet run
        {11, 320, {K::AwaitPoint, 1}},
        {11, 420, {K::RunSlice, 3}},
        {11, 40, {}},                      // before B exists
        {12, 300, {K::Task, 2}},           // C: unfinished, alive to trace end
        {99, 10, {}},                      // no such row
    };
    for (const HitCase& c : cases) {
        const Selection got = hit_test(*m, layout, view, c.row, c.x);
        EXPECT_EQ(got, c.expect) << "row " << c.row << " x " << c.x << " got kind " << int(got.kind) << " index "
                                 << got.index;
    }
}

TEST(DrawList, MarksColoursLabelsAndMigration) {
    auto m = test::small_model();
    LaneLayout layout;
    layout.set_task_expanded(TaskIndex{0}, true);
    layout.build(*m);
    const ViewMapping view{0, 600, 600};
    DrawList list;
    build_draw_list(*m, layout, view, 0, layout.size(), list);
    ASSERT_EQ(list.row_marks.size(), layout.size());

    const Range main_runs = list.row_marks[1];
    ASSERT_EQ(main_runs.count, 3u);
    const DrawMark& a0 = list.marks[main_runs.first];
    const DrawMark& b = list.marks[main_runs.first + 1];
    const DrawMark& a1 = list.marks[main_runs.first + 2];
    EXPECT_EQ(a0.label, "A");
    EXPECT_EQ(b.label, "B");
    EXPECT_EQ(a0.color_key, a1.color_key);
    EXPECT_NE(a0.color_key, b.color_key);
    EXPECT_FLOAT_EQ(b.x0, 200);
    EXPECT_FLOAT_EQ(b.x1, 300);
    EXPECT_EQ(b.selection, (Selection{K::RunSlice, 1}));

    // Task B: lifetime, scheduled [50,200], awaiting [300,350], two runs on two threads + a migration.
    size_t lifetime = 0, scheduled = 0, awaiting = 0, running = 0, migration = 0;
    const Range rb = list.row_marks[11];
    for (uint32_t i = rb.first; i < rb.end(); ++i) {
        const DrawMark& mk = list.marks[i];
        EXPECT_EQ(mk.row, 11u);
        switch (mk.kind) {
        case MarkKind::TaskLifetime: ++lifetime; EXPECT_FLOAT_EQ(mk.x0, 50); EXPECT_FLOAT_EQ(mk.x1, 450); break;
        case MarkKind::TaskScheduled: ++scheduled; EXPECT_FLOAT_EQ(mk.x1, 200); break;
        case MarkKind::TaskAwaiting: ++awaiting; EXPECT_EQ(mk.label, "queue.get"); break;
        case MarkKind::TaskRunning: ++running; EXPECT_EQ(mk.aux, mk.x0 < 300 ? 1u : 2u); break;
        case MarkKind::Migration: ++migration; EXPECT_FLOAT_EQ(mk.x0, 350); break;
        default: ADD_FAILURE() << "unexpected kind on a task row";
        }
    }
    EXPECT_EQ(lifetime, 1u);
    EXPECT_EQ(scheduled, 1u);
    EXPECT_EQ(awaiting, 1u);
    EXPECT_EQ(running, 2u);
    EXPECT_EQ(migration, 1u);

    const DrawMark* under = list.mark_at(1, 250);
    ASSERT_NE(under, nullptr);
    EXPECT_EQ(under->selection, (Selection{K::RunSlice, 1}));
    EXPECT_EQ(list.mark_at(1, 150), nullptr);
}

TEST(DrawList, OnlyRequestedRowsAreBuilt) {
    auto m = test::small_model();
    LaneLayout layout;
    layout.build(*m);
    DrawList list;
    build_draw_list(*m, layout, ViewMapping{0, 600, 600}, 4, 6, list);
    for (const DrawMark& mk : list.marks) EXPECT_TRUE(mk.row == 4 || mk.row == 5);
    EXPECT_EQ(list.row_marks[1].count, 0u);
    EXPECT_EQ(list.row_marks[4].count, 1u);
    build_draw_list(*m, layout, ViewMapping{0, 600, 600}, 5, 500, list); // past the end: clamped
    EXPECT_EQ(list.last_row, layout.size());
}

TEST(DrawList, ZoomedOutFoldsAndCounts) {
    auto m = test::small_model();
    LaneLayout layout;
    layout.build(*m);
    DrawList list;
    build_draw_list(*m, layout, ViewMapping{0, 600'000, 600}, 0, layout.size(), list); // 1 µs per px
    const Range runs = list.row_marks[1];
    ASSERT_EQ(runs.count, 1u);
    EXPECT_EQ(list.marks[runs.first].count, 3u);
    EXPECT_TRUE(list.marks[runs.first].folded());
    EXPECT_EQ(list.marks[runs.first].color_key, 0u); // a fold of mixed tasks has no task colour
    EXPECT_EQ(list.marks[runs.first].selection, (Selection{K::RunSlice, 0}));
}

TEST(DrawList, MillionSlicesOnOneThread) {
    Model m;
    m.strings = {""};
    m.begin = 0;
    m.end = 2'000'000;
    Process& p = m.processes.emplace_back();
    p.threads = {ThreadIndex{0}};
    Thread& t = m.threads.emplace_back();
    const uint32_t n = 1'000'000;
    for (uint32_t i = 0; i < n; ++i) test::add_run(m, 2 * Time{i}, 2 * Time{i} + 1, TaskIndex::kInvalid);
    t.run_slices = {0, n};
    LaneLayout layout;
    layout.build(m);
    DrawList list;
    build_draw_list(m, layout, ViewMapping{0, m.end, 1000}, 0, layout.size(), list);
    const Range r = list.row_marks[1];
    EXPECT_LE(r.count, 1000u);
    uint64_t total = 0;
    for (uint32_t i = r.first; i < r.end(); ++i) total += list.marks[i].count;
    EXPECT_EQ(total, n);
}

TEST(DrawList, ArrowsFromParentAndToChildren) {
    auto m = test::small_model();
    LaneLayout layout;
    layout.set_task_expanded(TaskIndex{0}, true);
    layout.build(*m);
    const ViewMapping view{0, 600, 600};
    DrawList list;
    add_task_arrows(*m, layout, view, TaskIndex{0}, list);
    ASSERT_EQ(list.arrows.size(), 2u);
    EXPECT_EQ(list.arrows[0].from_row, 8u);
    EXPECT_EQ(list.arrows[0].to_row, 11u);
    EXPECT_FLOAT_EQ(list.arrows[0].to_x, 50);
    EXPECT_EQ(list.arrows[1].to_row, 12u);
    list.arrows.clear();
    add_task_arrows(*m, layout, view, TaskIndex{1}, list);
    ASSERT_EQ(list.arrows.size(), 1u);
    EXPECT_EQ(list.arrows[0].from_row, 8u);
    EXPECT_EQ(list.arrows[0].to_row, 11u);
}

TEST(Selection, RangesAndNames) {
    auto m = test::small_model();
    EXPECT_EQ(selection_range(*m, {K::Task, 2}).begin, 60);
    EXPECT_EQ(selection_range(*m, {K::Task, 2}).end, 600); // unfinished: to trace end
    EXPECT_EQ(selection_range(*m, {K::LagSample, 0}).begin, 470);
    EXPECT_FALSE(selection_range(*m, {K::AwaitPoint, 7}).valid());
    EXPECT_FALSE(selection_range(*m, {}).valid());
    EXPECT_EQ(selection_name(*m, {K::Task, 1}), "B");
    EXPECT_EQ(selection_name(*m, {K::RunSlice, 1}), "run of B");
    EXPECT_EQ(selection_name(*m, {K::AwaitPoint, 0}), "await queue.get");
}

} // namespace
} // namespace weft

namespace weft {
namespace {

TEST(LaneLayoutThreads, CollapsedThreadKeepsOnlyItsHeading) {
    auto m = test::small_model();
    LaneLayout layout;
    layout.build(*m);
    EXPECT_TRUE(layout.row(1).expandable);  // main has blocking, lag and span rows under its heading
    EXPECT_FALSE(layout.row(6).expandable); // worker has run slices only
    ASSERT_TRUE(layout.toggle(*m, 1));
    EXPECT_TRUE(layout.thread_collapsed(*m, ThreadIndex{0}));
    const std::vector<RowKind> expected{RowKind::Process, RowKind::ThreadRuns, RowKind::ThreadRuns,
                                        RowKind::TaskGroup, RowKind::Task};
    ASSERT_EQ(layout.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i)
        EXPECT_EQ(layout.row(i).kind, expected[i]) << "row " << i;
    EXPECT_FALSE(layout.row(1).expanded);
    EXPECT_EQ(layout.row_of_thread(ThreadIndex{0}, RowKind::ThreadBlocking), -1);
    ASSERT_TRUE(layout.toggle(*m, 1));
    EXPECT_EQ(layout.size(), 9u);
}

TEST(LaneLayoutThreads, HiddenThreadHasNoRowsUntilShownAgain) {
    auto m = test::small_model();
    LaneLayout layout;
    layout.set_thread_hidden(*m, ThreadIndex{1}, true);
    layout.build(*m);
    EXPECT_EQ(layout.row_of_thread_head(ThreadIndex{1}), -1);
    EXPECT_EQ(layout.hidden_threads(*m, ProcessIndex{0}), 1u);
    EXPECT_EQ(layout.size(), 8u);
    layout.show_hidden_threads(*m, ProcessIndex{0});
    layout.build(*m);
    EXPECT_EQ(layout.hidden_threads(*m, ProcessIndex{0}), 0u);
    EXPECT_GE(layout.row_of_thread_head(ThreadIndex{1}), 0);
}

TEST(LaneLayoutThreads, PinnedThreadComesFirstAndStaysInView) {
    auto m = test::small_model();
    LaneLayout layout;
    layout.set_thread_pinned(*m, ThreadIndex{1}, true);
    layout.build(*m);
    ASSERT_EQ(layout.pinned_rows(), 1u);
    EXPECT_TRUE(layout.row(0).pinned);
    EXPECT_TRUE(layout.row(0).thread_head);
    EXPECT_EQ(layout.row(0).index, 1u);
    EXPECT_EQ(layout.row_of_thread_head(ThreadIndex{1}), 0);
    EXPECT_EQ(layout.pinned_height(), layout.row(0).height);
    // Not repeated under its process.
    size_t heads = 0;
    for (const LaneRow& r : layout.rows())
        heads += r.thread_head && r.index == 1;
    EXPECT_EQ(heads, 1u);
    // Scrolled far down, the top of the view still shows the pinned row, and below it the
    // scrolled rows.
    const int scroll = 40;
    EXPECT_EQ(layout.row_at_view_y(2, scroll), 0);
    EXPECT_EQ(layout.view_y(layout.row(0), scroll), 0);
    const int below = layout.pinned_height() + 1;
    EXPECT_EQ(layout.row_at_view_y(below, scroll), layout.row_at_y(below + scroll));
    // Built rows of a draw list include the pinned ones whatever the scrolled range.
    ViewMapping view;
    view.end = 600;
    view.width = 600;
    DrawList list;
    build_draw_list(*m, layout, view, 5, 7, list);
    std::vector<size_t> built;
    list.for_each_row([&](size_t r) { built.push_back(r); });
    EXPECT_EQ(built, (std::vector<size_t>{0, 5, 6}));
    EXPECT_GT(list.row_marks[0].count, 0u);
}

TEST(LaneLayoutThreads, StateFollowsTheThreadNotItsIndex) {
    auto m = test::small_model();
    LaneLayout layout;
    layout.set_thread_pinned(*m, ThreadIndex{1}, true); // OS thread 102
    // A later snapshot lists the threads the other way round.
    auto later = test::small_model();
    std::swap(later->threads[0].os_thread_id, later->threads[1].os_thread_id);
    layout.build(*later);
    // Thread 0 of the later model is OS thread 102: its five rows are pinned.
    ASSERT_EQ(layout.pinned_rows(), 5u);
    EXPECT_EQ(layout.row(0).index, 0u);
    layout.reset_task_state();
    layout.build(*later);
    EXPECT_EQ(layout.pinned_rows(), 5u);
}

} // namespace
} // namespace weft

namespace weft {
namespace {

TEST(LaneLayoutFailures, AFailureBelowACollapsedTaskShowsOnItsRow) {
    auto m = test::small_model();
    m->tasks[2].state = TaskState::Error; // C, spawned by A
    LaneLayout layout;
    layout.build(*m);
    EXPECT_TRUE(layout.inner_failed(TaskIndex{0}));
    EXPECT_FALSE(layout.inner_failed(TaskIndex{1}));
    EXPECT_FALSE(layout.inner_failed(TaskIndex{2}));
    ViewMapping view;
    view.end = 600;
    view.width = 600;
    auto lifetime_aux = [&] {
        DrawList list;
        build_draw_list(*m, layout, view, 0, layout.size(), list);
        const int row = layout.row_of_task(TaskIndex{0});
        const Range r = list.row_marks[static_cast<size_t>(row)];
        for (uint32_t i = r.first; i < r.end(); ++i)
            if (list.marks[i].kind == MarkKind::TaskLifetime) return list.marks[i].aux;
        return ~0u;
    };
    EXPECT_EQ(lifetime_aux(), kInnerFailed);
    // Expanded, C has a row of its own with its own mark: A's row no longer carries it.
    layout.set_task_expanded(TaskIndex{0}, true);
    layout.build(*m);
    EXPECT_EQ(lifetime_aux(), 0u);
}

} // namespace
} // namespace weft

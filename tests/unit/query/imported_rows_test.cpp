// Rows, marks, hit tests and selections for what imported traces carry: counters, instants of
// every scope, samples, threads without run slices, tasks known only from their async spans.
#include "imported_fixture.h"
#include "query/draw_list.h"
#include "query/lane_layout.h"

#include <gtest/gtest.h>

#include <cmath>

namespace weft {
namespace {

using K = Selection::Kind;

struct Fixture {
    std::shared_ptr<const Model> model = test::imported_model();
    LaneLayout layout;
    ThreadIndex main = test::find_thread(*model, "main");
    ThreadIndex worker = test::find_thread(*model, "worker");
    Fixture() { layout.build(*model); }
    uint32_t instant_named(std::string_view name) const {
        for (uint32_t i = 0; i < model->instants.size(); ++i)
            if (model->string(model->location(model->instants[i].location).name) == name) return i;
        return UINT32_MAX;
    }
};

TEST(ImportedRows, GlobalCountersMarksAndThreadHeads) {
    Fixture f;
    const std::vector<RowKind> expected{RowKind::GlobalMarks, RowKind::Process,     RowKind::Counter,
                                        RowKind::ThreadMarks, RowKind::ThreadSpans, RowKind::ThreadSpans,
                                        RowKind::TaskGroup,   RowKind::Task};
    ASSERT_EQ(f.layout.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(f.layout.row(i).kind, expected[i]) << "row " << i;
    // Neither thread has run slices: no empty run rows; each thread's first row carries its name
    // and is as tall as a run row.
    const RowMetrics metrics;
    EXPECT_TRUE(f.layout.row(3).thread_head);
    EXPECT_EQ(f.layout.row(3).index, f.main.value);
    EXPECT_EQ(f.layout.row(3).height, metrics.thread_runs);
    EXPECT_FALSE(f.layout.row(4).thread_head);
    EXPECT_EQ(f.layout.row(4).height, metrics.thread_spans);
    EXPECT_TRUE(f.layout.row(5).thread_head);
    EXPECT_EQ(f.layout.row(5).index, f.worker.value);
    EXPECT_EQ(f.layout.row(2).height, metrics.counter);
    EXPECT_EQ(f.layout.row_of_thread_head(f.main), 3);
    EXPECT_EQ(f.layout.row_of_thread(f.main, RowKind::ThreadRuns), -1);
    EXPECT_EQ(f.layout.row_of_thread(f.main, RowKind::ThreadMarks), 3);
    EXPECT_EQ(f.layout.row_of_thread(f.worker, RowKind::ThreadSpans, 0), 5);
    EXPECT_EQ(f.layout.row_of_counter(0), 2);
    EXPECT_EQ(f.layout.row_of_global_marks(), 0);
    for (size_t i = 1; i < f.layout.size(); ++i)
        EXPECT_EQ(f.layout.row(i).y, f.layout.row(i - 1).y + f.layout.row(i - 1).height);
}

TEST(ImportedRows, CollapsedProcessKeepsGlobalRowAndHidesCounters) {
    Fixture f;
    ASSERT_TRUE(f.layout.toggle(*f.model, 1));
    ASSERT_EQ(f.layout.size(), 2u);
    EXPECT_EQ(f.layout.row_of_counter(0), -1);
    EXPECT_EQ(f.layout.row_of_thread_head(f.main), -1);
    EXPECT_EQ(f.layout.row_of(*f.model, {K::Instant, f.instant_named("pmark")}), 1); // on the header
}

TEST(ImportedRows, RowOfNewSelections) {
    Fixture f;
    EXPECT_EQ(f.layout.row_of(*f.model, {K::Instant, f.instant_named("mark")}), 3);
    EXPECT_EQ(f.layout.row_of(*f.model, {K::Instant, f.instant_named("pmark")}), 1);
    EXPECT_EQ(f.layout.row_of(*f.model, {K::Instant, f.instant_named("everyone")}), 0);
    EXPECT_EQ(f.layout.row_of(*f.model, {K::Sample, 0}), 3);
    EXPECT_EQ(f.layout.row_of(*f.model, {K::CounterSample, 1}), 2);
    EXPECT_EQ(f.layout.row_of(*f.model, {K::Flow, 0}), 4); // from "frame"
    EXPECT_EQ(f.layout.row_of(*f.model, {K::ThreadSpan, 0}), 4);
    EXPECT_EQ(f.layout.row_of(*f.model, {K::Instant, 999}), -1);
    EXPECT_EQ(f.layout.row_of(*f.model, {K::CounterSample, 999}), -1);
}

TEST(ImportedRows, MarksOnEveryNewRow) {
    Fixture f;
    DrawList list;
    build_draw_list(*f.model, f.layout, ViewMapping{0, 100, 100}, 0, f.layout.size(), list); // 1 ns per px
    auto marks_of = [&](size_t row) {
        std::vector<DrawMark> out;
        for (uint32_t i = list.row_marks[row].first; i < list.row_marks[row].end(); ++i) out.push_back(list.marks[i]);
        return out;
    };
    const auto global = marks_of(0);
    ASSERT_EQ(global.size(), 1u);
    EXPECT_EQ(global[0].kind, MarkKind::Instant);
    EXPECT_FLOAT_EQ(global[0].x0, 70);
    EXPECT_EQ(global[0].label, "everyone");
    ASSERT_EQ(list.global_marks.size(), 1u); // and a line across every row
    EXPECT_FLOAT_EQ(list.global_marks[0].x0, 70);

    const auto process = marks_of(1);
    ASSERT_EQ(process.size(), 1u);
    EXPECT_EQ(process[0].selection, (Selection{K::Instant, f.instant_named("pmark")}));

    const auto counter = marks_of(2);
    ASSERT_EQ(counter.size(), 2u);
    EXPECT_EQ(counter[0].kind, MarkKind::Counter);
    EXPECT_FLOAT_EQ(counter[0].x0, 20);
    EXPECT_FLOAT_EQ(counter[0].x1, 30);
    EXPECT_FLOAT_EQ(counter[0].value, 0.0f); // 5 is the track's minimum
    EXPECT_FLOAT_EQ(counter[1].x0, 30);
    EXPECT_FLOAT_EQ(counter[1].x1, 100); // the last value holds to the trace end
    EXPECT_FLOAT_EQ(counter[1].value, 1.0f);
    EXPECT_EQ(counter[1].selection, (Selection{K::CounterSample, 1}));

    const auto marks = marks_of(3);
    ASSERT_EQ(marks.size(), 2u);
    EXPECT_EQ(marks[0].kind, MarkKind::Instant);
    EXPECT_FLOAT_EQ(marks[0].x0, 10);
    EXPECT_EQ(marks[1].kind, MarkKind::Sample);
    EXPECT_FLOAT_EQ(marks[1].x0, 15);

    // Task "req" never ran on a thread: its row shows its span, not a "scheduled" bar.
    const auto task = marks_of(7);
    bool span = false;
    for (const DrawMark& m : task) {
        EXPECT_NE(m.kind, MarkKind::TaskScheduled);
        if (m.kind == MarkKind::AsyncSpan) {
            span = true;
            EXPECT_EQ(m.label, "request");
            EXPECT_EQ(m.selection, (Selection{K::Task, f.layout.row(7).index}));
            EXPECT_FLOAT_EQ(m.x0, 80);
        }
    }
    EXPECT_TRUE(span);
}

TEST(ImportedRows, PointsFoldWhenZoomedOut) {
    std::string script = "thread T\n";
    for (int i = 0; i < 10000; ++i) script += "T " + std::to_string(i) + " instant at=tick@x:0\n";
    for (int i = 0; i < 10000; ++i) script += "T " + std::to_string(i) + " sample frames=f@x:0\n";
    const auto m = test::build_model(script, 4096);
    LaneLayout layout;
    layout.build(*m);
    ASSERT_EQ(layout.row(1).kind, RowKind::ThreadMarks);
    DrawList list;
    build_draw_list(*m, layout, ViewMapping{0, 10000, 200}, 0, layout.size(), list); // 50 ns per px
    const Range r = list.row_marks[1];
    EXPECT_LE(r.count, 2u * 200u);
    uint64_t instants = 0, samples = 0;
    for (uint32_t i = r.first; i < r.end(); ++i)
        (list.marks[i].kind == MarkKind::Instant ? instants : samples) += list.marks[i].count;
    EXPECT_EQ(instants, 10000u);
    EXPECT_EQ(samples, 10000u);
}

struct HitCase {
    size_t row;
    double x;
    Selection expect;
};

TEST(ImportedRows, HitTestByIndex) {
    Fixture f;
    const ViewMapping view{0, 100, 100};
    const std::vector<HitCase> cases{
        {0, 71, {K::Instant, f.instant_named("everyone")}},
        {0, 60, {}},
        {1, 14, {K::Instant, f.instant_named("pmark")}}, // within the 4 px a point is drawn over
        {1, 20, {}},
        {2, 10, {}},                            // before the first counter sample
        {2, 25, {K::CounterSample, 0}},
        {2, 99, {K::CounterSample, 1}},
        {3, 11, {K::Instant, f.instant_named("mark")}},
        {3, 14, {K::Sample, 0}},
        {3, 50, {}},
        {4, 30, {K::ThreadSpan, 0}},
    };
    for (const HitCase& c : cases) {
        const Selection got = hit_test(*f.model, f.layout, view, c.row, c.x);
        EXPECT_EQ(got, c.expect) << "row " << c.row << " x " << c.x << " got kind " << int(got.kind) << " index "
                                 << got.index;
    }
}

TEST(ImportedRows, RangesAndNamesOfNewSelections) {
    Fixture f;
    EXPECT_EQ(selection_name(*f.model, {K::Instant, f.instant_named("mark")}), "mark");
    EXPECT_EQ(selection_name(*f.model, {K::Sample, 0}), "leaf");
    EXPECT_EQ(selection_name(*f.model, {K::CounterSample, 0}), "memory \u00b7 used");
    EXPECT_EQ(selection_name(*f.model, {K::Flow, 0}), "post");
    EXPECT_EQ(selection_range(*f.model, {K::Instant, f.instant_named("mark")}).begin, 10);
    EXPECT_EQ(selection_range(*f.model, {K::Instant, f.instant_named("mark")}).end, 10);
    EXPECT_EQ(selection_range(*f.model, {K::CounterSample, 0}).end, 30);
    EXPECT_EQ(selection_range(*f.model, {K::CounterSample, 1}).end, f.model->end);
    EXPECT_EQ(selection_range(*f.model, {K::Flow, 0}).begin, 5);
    EXPECT_EQ(selection_range(*f.model, {K::Flow, 0}).end, 50);
    EXPECT_FALSE(selection_range(*f.model, {K::Sample, 9}).valid());
    EXPECT_EQ(counter_track_of(*f.model, 1), 0u);
    EXPECT_EQ(counter_track_of(*f.model, 2), UINT32_MAX);
}

} // namespace
} // namespace weft

// Flows: which items they touch, on which rows their ends are drawn, and how many arrows a dense
// window turns into.
#include "imported_fixture.h"
#include "query/flow_arrows.h"
#include "query/flows.h"

#include <gtest/gtest.h>

namespace weft {
namespace {

using K = Selection::Kind;

uint32_t thread_span_named(const Model& m, std::string_view name) {
    for (uint32_t i = 0; i < m.thread_spans.size(); ++i)
        if (m.string(m.thread_spans[i].name) == name) return i;
    return UINT32_MAX;
}

TEST(Flows, EndsBindToTheirSpans) {
    const auto m = test::imported_model();
    ASSERT_EQ(m->flows.size(), 2u);
    const Flow& ipc = m->flows[0];
    EXPECT_EQ(flow_end_target(*m, ipc.from), (Selection{K::ThreadSpan, thread_span_named(*m, "frame")}));
    EXPECT_EQ(flow_end_target(*m, ipc.to), (Selection{K::ThreadSpan, thread_span_named(*m, "handle")}));
    const Flow& spawn = m->flows[1];
    EXPECT_EQ(flow_end_target(*m, spawn.from), (Selection{K::AsyncSpan, test::find_span(*m, 7).value}));
    EXPECT_TRUE(flow_end_target(*m, spawn.to).empty());
}

TEST(Flows, OfEachKindOfSelection) {
    const auto m = test::imported_model();
    const TaskIndex req = test::find_task(*m, 9);
    EXPECT_EQ(flows_of(*m, {K::ThreadSpan, thread_span_named(*m, "frame")}), std::vector<uint32_t>{0});
    EXPECT_EQ(flows_of(*m, {K::ThreadSpan, thread_span_named(*m, "handle")}), std::vector<uint32_t>{0});
    EXPECT_EQ(flows_of(*m, {K::AsyncSpan, test::find_span(*m, 7).value}), std::vector<uint32_t>{1});
    EXPECT_EQ(flows_of(*m, {K::Task, req.value}), std::vector<uint32_t>{1});
    EXPECT_EQ(flows_of(*m, {K::Flow, 1}), std::vector<uint32_t>{1});
    EXPECT_TRUE(flows_of(*m, {K::Sample, 0}).empty());
    EXPECT_TRUE(flows_of(*m, {K::ThreadSpan, 999}).empty());
}

TEST(FlowArrows, EndsDrawOnSpanTaskOrThreadRows) {
    const auto m = test::imported_model();
    LaneLayout layout;
    layout.build(*m);
    const int frame_row = layout.row_of_thread(test::find_thread(*m, "main"), RowKind::ThreadSpans, 0);
    const int worker_row = layout.row_of_thread_head(test::find_thread(*m, "worker"));
    const int task_row = layout.row_of_task(test::find_task(*m, 9));
    EXPECT_EQ(flow_end_row(*m, layout, m->flows[0].from), frame_row);
    EXPECT_EQ(flow_end_row(*m, layout, m->flows[0].to), worker_row);
    EXPECT_EQ(flow_end_row(*m, layout, m->flows[1].from), task_row); // its task is collapsed
    EXPECT_EQ(flow_end_row(*m, layout, m->flows[1].to), worker_row); // unbound: the thread's first row

    layout.set_task_expanded(test::find_task(*m, 9), true);
    layout.build(*m);
    const int span_row = layout.row_of_async_span(test::find_span(*m, 7));
    ASSERT_GT(span_row, layout.row_of_task(test::find_task(*m, 9)));
    EXPECT_EQ(flow_end_row(*m, layout, m->flows[1].from), span_row);

    layout.set_process_collapsed(ProcessIndex{0}, true);
    layout.build(*m);
    EXPECT_EQ(flow_end_row(*m, layout, m->flows[0].to), layout.row_of_process(ProcessIndex{0}));

    DrawList list;
    const std::vector<uint32_t> flows{0, 1, 77};
    layout.set_process_collapsed(ProcessIndex{0}, false);
    layout.build(*m);
    add_flow_arrows(*m, layout, ViewMapping{0, 100, 100}, flows, true, list);
    ASSERT_EQ(list.arrows.size(), 2u); // 77 is no flow
    EXPECT_EQ(list.arrows[0].kind, ArrowKind::Flow);
    EXPECT_TRUE(list.arrows[0].strong);
    EXPECT_FLOAT_EQ(list.arrows[0].from_x, 5);
    EXPECT_FLOAT_EQ(list.arrows[0].to_x, 50);
    EXPECT_EQ(list.arrows[0].from_row, static_cast<uint32_t>(frame_row));
}

TEST(FlowArrows, VisibleFlowsNeedAnEndInTheWindowAndRows) {
    const auto m = test::imported_model();
    LaneLayout layout;
    layout.build(*m);
    FlowIndex index;
    index.build(*m);
    DrawList list;
    add_visible_flow_arrows(*m, layout, ViewMapping{0, 100, 100}, index, 0, layout.size(), list);
    EXPECT_EQ(list.arrows.size(), 2u);
    list.clear();
    add_visible_flow_arrows(*m, layout, ViewMapping{40, 60, 100}, index, 0, layout.size(), list);
    ASSERT_EQ(list.arrows.size(), 1u); // flow 1 arrives at 50
    EXPECT_EQ(list.arrows[0].flow, 0u);
    EXPECT_FALSE(list.arrows[0].strong);
    list.clear();
    add_visible_flow_arrows(*m, layout, ViewMapping{0, 100, 100}, index, 0, 1, list); // only the global row
    EXPECT_TRUE(list.arrows.empty());
}

TEST(FlowArrows, DenseFlowsFoldPerPixelAndAreCapped) {
    std::string script = "thread A\nthread B\nA 0 span send\nB 0 span recv\n";
    for (int i = 0; i < 5000; ++i) {
        script += "A " + std::to_string(1 + i) + " flow out " + std::to_string(i + 1) + " depth=0\n";
        script += "B " + std::to_string(1 + i) + " flow in " + std::to_string(i + 1) + " depth=0\n";
    }
    script += "A 10000 close\nB 10000 close\n";
    const auto m = test::build_model(script, 4096);
    ASSERT_EQ(m->flows.size(), 5000u);
    LaneLayout layout;
    layout.build(*m);
    FlowIndex index;
    index.build(*m);
    DrawList list;
    VisibleFlowOptions every;
    every.max_visits = 0;
    add_visible_flow_arrows(*m, layout, ViewMapping{0, 10000, 100}, index, 0, layout.size(), list, every); // 100 ns per px
    EXPECT_LE(list.arrows.size(), 51u);
    uint64_t total = 0;
    for (const DrawArrow& a : list.arrows) total += a.count;
    EXPECT_EQ(total, 5000u);

    list.clear();
    VisibleFlowOptions few;
    few.max_arrows = 10;
    few.max_visits = 1000; // every 5th flow, spread over the whole window
    add_visible_flow_arrows(*m, layout, ViewMapping{0, 10000, 10000}, index, 0, layout.size(), list, few);
    EXPECT_EQ(list.arrows.size(), 10u);
    EXPECT_GT(list.flows_omitted, 0u);
}

} // namespace
} // namespace weft

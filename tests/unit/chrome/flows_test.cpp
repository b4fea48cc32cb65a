// Flows, both versions, what they bind to, and the task tree they make.

#include "chrome_json.h"
#include "model_dump.h"

#include <gtest/gtest.h>

namespace weft::test {
namespace {

std::string flows(const Model& m) {
    std::string out;
    for (const Flow& f : m.flows) {
        auto end = [&](const FlowEnd& e) {
            std::string s = m.threads[e.thread.value].name + "@" + std::to_string(e.time);
            if (e.on_thread_span()) s += "/d" + std::to_string(e.depth);
            if (e.async_span.valid()) s += "/" + std::string(m.string(m.async_spans[e.async_span.value].name));
            return s;
        };
        out += end(f.from) + "->" + end(f.to) + " ";
    }
    return out;
}

constexpr std::string_view kThreads[] = {
    R"({"name":"thread_name","ph":"M","pid":1,"tid":1,"args":{"name":"A"}})",
    R"({"name":"thread_name","ph":"M","pid":1,"tid":2,"args":{"name":"B"}})",
};

TEST(ChromeFlows, VersionOneBindsToTheEnclosingOrTheNextSlice) {
    const Imported in = load_json(json_array({
        kThreads[0], kThreads[1],
        R"({"name":"send","ph":"X","ts":0,"dur":10,"pid":1,"tid":1})",
        R"({"name":"inner","ph":"X","ts":2,"dur":2,"pid":1,"tid":1})",
        R"({"name":"ipc","cat":"f","ph":"s","id":1,"ts":3,"pid":1,"tid":1})",
        R"({"name":"ipc","cat":"f","ph":"f","bp":"e","id":1,"ts":21,"pid":1,"tid":2})",
        R"({"name":"recv","ph":"X","ts":20,"dur":5,"pid":1,"tid":2})",
        R"({"name":"post","cat":"f","ph":"s","id":"2","ts":6,"pid":1,"tid":1})",
        R"({"name":"post","cat":"f","ph":"f","id":"2","ts":26,"pid":1,"tid":2})",
        R"({"name":"run","ph":"X","ts":30,"dur":5,"pid":1,"tid":2})",
    }));
    ASSERT_TRUE(in.report.errors.empty()) << in.errors();
    // ipc: from inside "inner" (depth 1) into "recv" around it; post: from "send" to the next
    // slice that begins on B after it, "run".
    EXPECT_EQ(flows(*in.model), "A@3000/d1->B@21000/d0 A@6000/d0->B@30000/d0 ");
}

TEST(ChromeFlows, StepsContinueAFlowAndIdsMayBeReused) {
    const Imported in = load_json(json_array({
        kThreads[0], kThreads[1],
        R"({"name":"a","ph":"X","ts":0,"dur":100,"pid":1,"tid":1})",
        R"({"name":"b","ph":"X","ts":0,"dur":100,"pid":1,"tid":2})",
        R"({"name":"m","cat":"f","ph":"s","id":1,"ts":1,"pid":1,"tid":1})",
        R"({"name":"m","cat":"f","ph":"t","id":1,"ts":2,"pid":1,"tid":2})",
        R"({"name":"m","cat":"f","ph":"f","bp":"e","id":1,"ts":3,"pid":1,"tid":1})",
        R"({"name":"m","cat":"f","ph":"s","id":1,"ts":4,"pid":1,"tid":1})",
        R"({"name":"m","cat":"f","ph":"f","bp":"e","id":1,"ts":5,"pid":1,"tid":2})",
        R"({"name":"m","cat":"other","ph":"f","bp":"e","id":1,"ts":6,"pid":1,"tid":2})",
    }));
    EXPECT_EQ(flows(*in.model), "A@1000/d0->B@2000/d0 B@2000/d0->A@3000/d0 A@4000/d0->B@5000/d0 ");
    EXPECT_EQ(in.model->diagnostics.orphan_flow_ends, 1u); // another category: another flow
}

TEST(ChromeFlows, PointsOutsideAnySliceAreKept) {
    const Imported in = load_json(json_array({
        kThreads[0], kThreads[1],
        R"({"name":"m","cat":"f","ph":"s","id":1,"ts":1,"pid":1,"tid":1})",
        R"({"name":"m","cat":"f","ph":"f","bp":"e","id":1,"ts":2,"pid":1,"tid":2})",
        R"({"name":"m","cat":"f","ph":"s","id":2,"ts":3,"pid":1,"tid":1})",
    }));
    EXPECT_EQ(flows(*in.model), "A@0->B@1000 "); // time 0 is the first event
    EXPECT_EQ(in.model->diagnostics.unfinished_flows, 1u);
    EXPECT_EQ(note(*in.model, "outside any slice"), 3u);
}

TEST(ChromeFlows, VersionTwoLeavesProducersAtTheirEndAndFansOut) {
    const Imported in = load_json(json_array({
        kThreads[0], kThreads[1],
        R"({"name":"produce","ph":"X","ts":0,"dur":10,"pid":1,"tid":1,"bind_id":"0xa","flow_out":true})",
        R"({"name":"use1","ph":"X","ts":20,"dur":5,"pid":1,"tid":2,"bind_id":"0xa","flow_in":true})",
        R"({"name":"use2","ph":"B","ts":30,"pid":1,"tid":1,"bind_id":"0xa","flow_in":true,"flow_out":true})",
        R"({"name":"use2","ph":"E","ts":40,"pid":1,"tid":1})",
        R"({"name":"use3","ph":"X","ts":50,"dur":1,"pid":1,"tid":2,"bind_id":"0xa","flow_in":true})",
        R"({"name":"nodir","ph":"X","ts":60,"dur":1,"pid":1,"tid":2,"bind_id":"0xb"})",
    }));
    EXPECT_EQ(flows(*in.model), "A@10000/d0->B@20000/d0 A@10000/d0->A@30000/d0 A@40000/d0->B@50000/d0 ");
    EXPECT_EQ(note(*in.model, "without flow_in or flow_out"), 1u);
}

TEST(ChromeFlows, AFlowIntoATaskStartMakesItAChild) {
    const Imported in = load_json(json_array({
        kThreads[0], kThreads[1],
        R"({"name":"parent","cat":"t","ph":"b","ts":0,"id":1,"pid":1,"tid":1})",
        R"({"name":"step","cat":"t","ph":"n","ts":2,"id":1,"pid":1,"tid":1,"bind_id":5,"flow_out":true})",
        R"({"name":"child","cat":"t","ph":"b","ts":4,"id":2,"pid":1,"tid":2,"bind_id":5,"flow_in":true})",
        R"({"name":"child","cat":"t","ph":"e","ts":6,"id":2,"pid":1,"tid":2})",
        R"({"name":"parent","cat":"t","ph":"e","ts":9,"id":1,"pid":1,"tid":1})",
        R"({"name":"work","ph":"X","ts":10,"dur":10,"pid":1,"tid":1})",
        R"({"name":"later","cat":"t","ph":"b","ts":11,"id":3,"pid":1,"tid":1})",
        R"({"name":"spawn","cat":"f","ph":"s","id":9,"ts":12,"pid":1,"tid":1})",
        R"({"name":"spawn","cat":"f","ph":"f","bp":"e","id":9,"ts":15,"pid":1,"tid":2})",
        R"({"name":"grandchild","cat":"t","ph":"b","ts":15,"id":4,"pid":1,"tid":2})",
        R"({"name":"grandchild","cat":"t","ph":"e","ts":16,"id":4,"pid":1,"tid":2})",
        R"({"name":"later","cat":"t","ph":"e","ts":18,"id":3,"pid":1,"tid":1})",
    }));
    ASSERT_TRUE(in.report.errors.empty()) << in.errors();
    const Model& m = *in.model;
    auto parent_of = [&](std::string_view name) { return task_parent(m, name); };
    EXPECT_EQ(parent_of("parent"), "-");
    EXPECT_EQ(parent_of("child"), "parent");     // v2, from a slice of the parent to the child's b
    EXPECT_EQ(parent_of("grandchild"), "later"); // v1, from inside "later" (on its thread) to the start
}

} // namespace
} // namespace weft::test

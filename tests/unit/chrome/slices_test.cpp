// Duration slices (B/E, X) on threads: pairing, nesting, order, overlap lanes, unfinished ones.

#include "chrome_json.h"
#include "model_dump.h"

#include <gtest/gtest.h>

namespace weft::test {
namespace {

TEST(ChromeSlices, BeginEndAndCompleteEventsNest) {
    const Imported in = load_json(json_array({
        R"({"name":"outer","cat":"c","ph":"B","ts":0,"pid":1,"tid":1,"args":{"x":1}})",
        R"({"name":"child","ph":"X","ts":2,"dur":3,"pid":1,"tid":1})",
        R"({"name":"inner","ph":"B","ts":6,"pid":1,"tid":1})",
        R"({"name":"inner","ph":"E","ts":8,"pid":1,"tid":1})",
        R"({"name":"outer","ph":"E","ts":10,"pid":1,"tid":1,"args":{"y":2}})",
    }));
    ASSERT_TRUE(in.report.errors.empty()) << in.errors();
    const Model& m = *in.model;
    EXPECT_EQ(spans_at(m, "", 0), "outer[0,10000]");
    EXPECT_EQ(spans_at(m, "", 1), "child[2000,5000] inner[6000,8000]");
    const ThreadSpan& outer = m.thread_spans[m.threads[0].span_depths[0].first];
    EXPECT_EQ(m.string(outer.args), R"({"x":1,"y":2})"); // the E's args join the B's
    EXPECT_EQ(m.string(m.location(outer.location).target), "c");
    EXPECT_EQ(m.diagnostics.total(), 0u);
}

TEST(ChromeSlices, AnEndClosesTheInnermostOpenBeginOfItsName) {
    // Interleaved by a buggy tracer: A's end comes while B is open. By name, A ends at 2 and B at
    // 3: B overlaps A without nesting, so B goes to an overlap lane; nothing is lost.
    const Imported in = load_json(json_array({
        R"({"name":"A","ph":"B","ts":0,"pid":1,"tid":1})",
        R"({"name":"B","ph":"B","ts":1,"pid":1,"tid":1})",
        R"({"name":"A","ph":"E","ts":2,"pid":1,"tid":1})",
        R"({"name":"B","ph":"E","ts":3,"pid":1,"tid":1})",
    }));
    const Model& m = *in.model;
    EXPECT_EQ(spans_at(m, "", 0), "A[0,2000]");
    EXPECT_EQ(spans_at(m, "tid 1 (overlapping slices)", 0), "B[1000,3000]");
    EXPECT_EQ(note(m, "overlap lane"), 1u);
}

TEST(ChromeSlices, AnEndWithoutANameClosesTheInnermost) {
    const Imported in = load_json(json_array({
        R"({"name":"A","ph":"B","ts":0,"pid":1,"tid":1})",
        R"({"name":"B","ph":"B","ts":1,"pid":1,"tid":1})",
        R"({"ph":"E","ts":2,"pid":1,"tid":1})",
        R"({"ph":"E","ts":3,"pid":1,"tid":1})",
    }));
    EXPECT_EQ(spans_at(*in.model, "", 0), "A[0,3000]");
    EXPECT_EQ(spans_at(*in.model, "", 1), "B[1000,2000]");
}

TEST(ChromeSlices, UnmatchedEndsAreCountedUnclosedBeginsStayOpen) {
    const Imported in = load_json(json_array({
        R"({"name":"X","ph":"E","ts":0,"pid":1,"tid":1})",
        R"({"name":"open","ph":"B","ts":1,"pid":1,"tid":1})",
        R"({"name":"done","ph":"X","ts":2,"dur":1,"pid":1,"tid":1})",
        R"({"name":"later","ph":"X","ts":9,"dur":1,"pid":1,"tid":1})",
    }));
    const Model& m = *in.model;
    EXPECT_EQ(spans_at(m, "", 0), "open[1000,10000]!");
    EXPECT_EQ(spans_at(m, "", 1), "done[2000,3000] later[9000,10000]");
    EXPECT_EQ(m.diagnostics.unfinished_thread_spans, 1u);
    EXPECT_EQ(note(m, "close no open B"), 1u);
}

TEST(ChromeSlices, OutOfOrderInputIsSortedAndSameTimestampParentsNest) {
    // The child is written first (tracers that emit X at its end do that), at the same ts.
    const Imported in = load_json(json_array({
        R"({"name":"late","ph":"X","ts":20,"dur":1,"pid":1,"tid":1})",
        R"({"name":"child","ph":"X","ts":5,"dur":2,"pid":1,"tid":1})",
        R"({"name":"parent","ph":"X","ts":5,"dur":10,"pid":1,"tid":1})",
        R"({"name":"zero","ph":"X","ts":5,"dur":0,"pid":1,"tid":1})",
    }));
    ASSERT_TRUE(in.report.errors.empty()) << in.errors();
    EXPECT_EQ(spans_at(*in.model, "", 0), "parent[0,10000] late[15000,16000]");
    EXPECT_EQ(spans_at(*in.model, "", 1), "child[0,2000]");
    EXPECT_EQ(spans_at(*in.model, "", 2), "zero[0,0]");
}

TEST(ChromeSlices, CompleteEventsWithoutOrWithNegativeDuration) {
    const Imported in = load_json(json_array({
        R"({"name":"a","ph":"X","ts":1,"pid":1,"tid":1})",
        R"({"name":"b","ph":"X","ts":2,"dur":-5,"pid":1,"tid":1})",
    }));
    EXPECT_EQ(spans_at(*in.model, "", 0), "a[0,0] b[1000,1000]");
    EXPECT_EQ(note(*in.model, "without dur"), 1u);
    EXPECT_EQ(note(*in.model, "negative dur"), 1u);
}

TEST(ChromeSlices, OverlapLanesFollowTheirThread) {
    const Imported in = load_json(json_array({
        R"({"name":"thread_name","ph":"M","pid":1,"tid":1,"args":{"name":"main"}})",
        R"({"name":"thread_name","ph":"M","pid":1,"tid":2,"args":{"name":"io"}})",
        R"({"name":"a","ph":"X","ts":0,"dur":10,"pid":1,"tid":1})",
        R"({"name":"b","ph":"X","ts":5,"dur":10,"pid":1,"tid":1})",
        R"({"name":"c","ph":"X","ts":8,"dur":10,"pid":1,"tid":1})",
        R"({"name":"d","ph":"X","ts":1,"dur":1,"pid":1,"tid":2})",
    }));
    const Model& m = *in.model;
    ASSERT_EQ(m.threads.size(), 4u);
    EXPECT_EQ(m.threads[0].name, "main");
    EXPECT_EQ(m.threads[1].name, "main (overlapping slices)");
    EXPECT_EQ(m.threads[2].name, "main (overlapping slices 2)");
    EXPECT_EQ(m.threads[3].name, "io");
    EXPECT_EQ(spans_at(m, "main (overlapping slices)", 0), "b[5000,15000]");
    EXPECT_EQ(spans_at(m, "main (overlapping slices 2)", 0), "c[8000,18000]");
}

TEST(ChromeSlices, DeepNestingIsKept) {
    std::string text = "[";
    for (int d = 0; d < 2000; ++d)
        text += R"({"name":"d","ph":"B","ts":)" + std::to_string(d) + R"(,"pid":1,"tid":1},)";
    for (int d = 2000; d-- > 0;) text += R"({"ph":"E","ts":)" + std::to_string(4000 - d) + R"(,"pid":1,"tid":1},)";
    text += "{}]";
    const Imported in = load_json(text);
    EXPECT_TRUE(in.report.errors.empty()) << in.errors();
    // The model keeps the first 1024 depths and counts the rest (model/builder_state.h).
    EXPECT_EQ(in.model->threads[0].span_depths.size(), 1024u);
}

} // namespace
} // namespace weft::test

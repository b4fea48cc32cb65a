// Fields of trace events: units and precision, numbers written as strings, process and thread
// identities, and events whose fields cannot be used.

#include "chrome_json.h"
#include "model_dump.h"

#include <gtest/gtest.h>

namespace weft::test {
namespace {

TEST(ChromeFields, MicrosecondsKeptToTheNanosecond) {
    const Imported in = load_json(json_array({
        R"({"name":"a","ph":"X","ts":1700000000123456.789,"dur":0.0015,"pid":1,"tid":1})",
        R"({"name":"b","ph":"X","ts":1700000000123457,"dur":1.0004,"pid":1,"tid":1})",
    }));
    ASSERT_TRUE(in.report.errors.empty()) << in.errors();
    // Time 0 is the first event; its own clock stays in the process's start.
    EXPECT_EQ(in.model->origin_ns, 1700000000123456789ull);
    EXPECT_EQ(spans_at(*in.model, "", 0), "a[0,2] b[211,1211]");
}

TEST(ChromeFields, NumbersWrittenAsStrings) {
    const Imported in = load_json(json_array({
        R"({"name":"a","ph":"X","ts":"10.5","dur":" 2 ","pid":1,"tid":1})",
        R"({"name":"b","ph":"X","ts":"1.3e1","dur":"1","pid":1,"tid":1})",
        R"({"name":"c","ph":"X","ts":"100a","dur":1,"pid":1,"tid":1})",
        R"({"name":"d","ph":"X","ts":"NaN","dur":1,"pid":1,"tid":1})",
    }));
    EXPECT_EQ(in.report.errors.size(), 2u) << in.errors();
    EXPECT_TRUE(in.has_error("ts: not a number")) << in.errors();
    EXPECT_EQ(spans_at(*in.model, "", 0), "a[0,2000] b[2500,3500]");
}

TEST(ChromeFields, DisplayTimeUnitNeverRescales) {
    const Imported ns = load_json(R"({"displayTimeUnit":"ns","traceEvents":[{"name":"a","ph":"X","ts":1,"dur":3,"pid":1,"tid":1}]})");
    const Imported ms = load_json(R"({"displayTimeUnit":"ms","traceEvents":[{"name":"a","ph":"X","ts":1,"dur":3,"pid":1,"tid":1}]})");
    EXPECT_EQ(spans_at(*ns.model, "", 0), "a[0,3000]");
    EXPECT_EQ(spans_at(*ms.model, "", 0), "a[0,3000]");
}

TEST(ChromeFields, TimesPastWhatNanosecondsHoldAreRefused) {
    const Imported in = load_json(json_array({
        R"({"name":"a","ph":"X","ts":9300000000000000,"dur":1,"pid":1,"tid":1})",
        R"({"name":"b","ph":"X","ts":1e300,"dur":1,"pid":1,"tid":1})",
        R"({"name":"c","ph":"X","ts":5,"dur":1,"pid":1,"tid":1})",
    }));
    EXPECT_EQ(in.report.errors.size(), 2u) << in.errors();
    EXPECT_EQ(spans_at(*in.model, "", 0), "c[0,1000]");
}

TEST(ChromeFields, PidAndTidGivenAsStringsNameTheirProcessAndThread) {
    const Imported in = load_json(json_array({
        R"({"name":"a","ph":"X","ts":1,"dur":1,"pid":"Renderer","tid":"Compositor"})",
        R"({"name":"b","ph":"X","ts":2,"dur":1,"pid":"Renderer","tid":"Main"})",
        R"({"name":"c","ph":"X","ts":3,"dur":1,"pid":7,"tid":7.5})",
    }));
    ASSERT_TRUE(in.report.errors.empty()) << in.errors();
    const Model& m = *in.model;
    ASSERT_EQ(m.processes.size(), 2u);
    EXPECT_EQ(m.processes[0].pid, 7u); // numbered processes first
    EXPECT_EQ(m.processes[1].exe, "Renderer");
    EXPECT_EQ(spans_at(m, "Compositor", 0), "a[0,1000]");
    EXPECT_EQ(spans_at(m, "Main", 0), "b[1000,2000]");
    EXPECT_EQ(spans_at(m, "7.5", 0), "c[2000,3000]");
}

TEST(ChromeFields, AMissingOrZeroTidIsTheProcessThread) {
    const Imported in = load_json(json_array({
        R"({"name":"thread_name","ph":"M","pid":5,"tid":5,"args":{"name":"main"}})",
        R"({"name":"a","ph":"X","ts":1,"dur":1,"pid":5})",
        R"({"name":"b","ph":"X","ts":3,"dur":1,"pid":5,"tid":0})",
        R"({"name":"c","ph":"X","ts":5,"dur":1,"pid":5,"tid":5})",
    }));
    ASSERT_TRUE(in.report.errors.empty()) << in.errors();
    EXPECT_EQ(in.model->threads.size(), 1u);
    EXPECT_EQ(spans_at(*in.model, "main", 0), "a[0,1000] b[2000,3000] c[4000,5000]");
}

TEST(ChromeFields, OnlyTheFirstCharacterOfPhCounts) {
    const Imported in = load_json(json_array({R"({"name":"a","ph":"XYZ","ts":1,"dur":2,"pid":1,"tid":1})"}));
    EXPECT_EQ(spans_at(*in.model, "", 0), "a[0,2000]");
}

TEST(ChromeFields, EventsThatCannotBeUsedAreReportedAndSkipped) {
    const std::string a = R"({"name":"a","ph":"X","ts":1,"dur":2,"pid":1,"tid":1})";
    const std::string no_ph = R"({"name":"x","ts":1,"pid":1,"tid":1})";
    const std::string no_ts = R"({"name":"x","ph":"X","dur":1,"pid":1,"tid":1})";
    const std::string bad_ts = R"({"name":"x","ph":"X","ts":{"us":1},"dur":1,"pid":1,"tid":1})";
    const std::string bad_ph = R"({"name":"x","ph":5,"ts":1,"pid":1,"tid":1})";
    const std::string head = "[" + a + ",\n";
    const Imported in = load_json(head + no_ph + ",\n" + no_ts + ",\n" + bad_ts + ",\n" + bad_ph + "]");
    ASSERT_EQ(in.report.errors.size(), 4u) << in.errors();
    EXPECT_EQ(in.report.errors[0].offset, head.size());
    EXPECT_TRUE(in.has_error("without \"ph\"")) << in.errors();
    EXPECT_TRUE(in.has_error("without \"ts\"")) << in.errors();
    EXPECT_TRUE(in.has_error("ts: not a number")) << in.errors();
    EXPECT_TRUE(in.has_error("ph: expected a string")) << in.errors();
    EXPECT_EQ(spans_at(*in.model, "", 0), "a[0,2000]");
}

TEST(ChromeFields, IdsPastSixtyFourBitsStayDistinct) {
    const Imported in = load_json(json_array({
        R"({"name":"r","cat":"c","ph":"b","ts":1,"id":18446744073709551617,"pid":1,"tid":1})",
        R"({"name":"r","cat":"c","ph":"b","ts":2,"id":18446744073709551618,"pid":1,"tid":1})",
        R"({"name":"r","cat":"c","ph":"e","ts":3,"id":18446744073709551617,"pid":1,"tid":1})",
        R"({"name":"r","cat":"c","ph":"e","ts":4,"id":18446744073709551618,"pid":1,"tid":1})",
    }));
    ASSERT_TRUE(in.report.errors.empty()) << in.errors();
    ASSERT_EQ(in.model->async_spans.size(), 2u);
    EXPECT_EQ(in.model->async_spans[0].end, 2000); // 1 -> 3
    EXPECT_EQ(in.model->async_spans[1].end, 3000); // 2 -> 4
    EXPECT_FALSE(in.model->async_spans[1].parent.valid()); // another id: not nested
}

TEST(ChromeFields, ManyBadEventsAreCountedPastTheFirstHundred) {
    std::string text = "[";
    for (int i = 0; i < 250; ++i) text += R"({"name":"x","ts":1,"pid":1},)";
    text += R"({"name":"a","ph":"X","ts":1,"dur":2,"pid":1,"tid":1}])";
    const Imported in = load_json(text);
    ASSERT_EQ(in.report.errors.size(), 101u);
    EXPECT_TRUE(in.has_error("150 more events skipped")) << in.errors();
    EXPECT_EQ(in.model->thread_spans.size(), 1u);
}

} // namespace
} // namespace weft::test

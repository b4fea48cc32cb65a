// The container of a trace-event JSON file and what real files get wrong: both forms, a cut
// array, stray commas, empty events, raw control characters, gzip, and input that is no trace.

#include "chrome_json.h"
#include "model/model_builder.h"
#include "model_dump.h"

#include <gtest/gtest.h>

namespace weft::test {
namespace {

constexpr std::string_view kA = R"({"name":"A","ph":"X","ts":10,"dur":5,"pid":1,"tid":2})";
constexpr std::string_view kB = R"({"name":"B","ph":"X","ts":20,"dur":5,"pid":1,"tid":2})";

TEST(ChromeContainer, ArrayAndObjectFormsGiveTheSameModel) {
    const Imported array = load_json(json_array({kA, kB}));
    const Imported object = load_json(json_object({kA, kB}));
    ASSERT_TRUE(array.report.errors.empty()) << array.errors();
    ASSERT_TRUE(object.report.errors.empty()) << object.errors();
    EXPECT_EQ(spans_at(*array.model, "", 0), "A[0,5000] B[10000,15000]");
    EXPECT_EQ(dump_model(*array.model), dump_model(*object.model));
}

TEST(ChromeContainer, OtherTopLevelKeysInAnyOrder) {
    const std::string text = std::string(R"({"metadata":{"clock-domain":"LINUX_CLOCK_MONOTONIC","nested":[{"a":1},{"b":2}]},)") +
                             R"("displayTimeUnit":"ns","systemTraceEvents":"# tracer: nop\n",)" +
                             R"("traceEvents":[)" + std::string(kA) + "," + std::string(kB) + R"(],)" +
                             R"("stackFrames":{},"samples":[],"otherData":{"version":"x"}})";
    const Imported in = load_json(text);
    ASSERT_TRUE(in.report.errors.empty()) << in.errors();
    EXPECT_EQ(spans_at(*in.model, "", 0), "A[0,5000] B[10000,15000]");
    EXPECT_EQ(note(*in.model, "systemTraceEvents"), 1u);
}

TEST(ChromeContainer, SystemTraceEventsOfAnyType) {
    const Imported in = load_json(std::string(R"({"systemTraceEvents":{"events":[1,2]},"traceEvents":[)") +
                                  std::string(kA) + "]}");
    EXPECT_TRUE(in.report.errors.empty()) << in.errors();
    EXPECT_EQ(in.model->thread_spans.size(), 1u);
}

TEST(ChromeContainer, AnArrayWithoutItsClosingBracketIsComplete) {
    // What Chrome writes when a trace is cut: no ']' and a comma after the last event.
    const Imported in = load_json("[" + std::string(kA) + ",\n" + std::string(kB) + ",\n");
    EXPECT_TRUE(in.report.errors.empty()) << in.errors();
    EXPECT_FALSE(in.report.fatal);
    EXPECT_EQ(spans_at(*in.model, "", 0), "A[0,5000] B[10000,15000]");
}

TEST(ChromeContainer, AnObjectCutShortKeepsItsEventsAndSaysSo) {
    const std::string text = R"({"traceEvents":[)" + std::string(kA) + "," + std::string(kB);
    const Imported in = load_json(text);
    EXPECT_FALSE(in.report.fatal);
    EXPECT_TRUE(in.has_error("cut short")) << in.errors();
    EXPECT_EQ(spans_at(*in.model, "", 0), "A[0,5000] B[10000,15000]");
}

TEST(ChromeContainer, AnEventCutShortIsReportedAtItsOffset) {
    const std::string head = "[" + std::string(kA) + ",\n";
    const std::string text = head + R"({"name":"B","ph":"X","ts":20,"du)";
    const Imported in = load_json(text);
    ASSERT_EQ(in.report.errors.size(), 1u) << in.errors();
    EXPECT_EQ(in.report.errors[0].offset, head.size());
    EXPECT_TRUE(in.has_error("ends inside the event")) << in.errors();
    EXPECT_EQ(spans_at(*in.model, "", 0), "A[0,5000]");
}

TEST(ChromeContainer, TrailingAndDoubledCommasAndEmptyEvents) {
    const std::string text = "[{}, " + std::string(kA) + ",, {},\n{ }," + std::string(kB) + ",]";
    const Imported in = load_json(text);
    EXPECT_TRUE(in.report.errors.empty()) << in.errors();
    EXPECT_EQ(spans_at(*in.model, "", 0), "A[0,5000] B[10000,15000]");
    const Imported object = load_json(R"({"traceEvents":[)" + std::string(kA) + ",\n],}");
    EXPECT_TRUE(object.report.errors.empty()) << object.errors();
}

TEST(ChromeContainer, RawControlCharactersInsideStrings) {
    const Imported in = load_json("[{\"name\":\"two\nlines\ttab\",\"ph\":\"X\",\"ts\":1,\"dur\":1,\"pid\":1,\"tid\":2}," +
                                  std::string(kB) + "]");
    EXPECT_TRUE(in.report.errors.empty()) << in.errors();
    EXPECT_EQ(spans_at(*in.model, "", 0), "two\nlines\ttab[0,1000] B[19000,24000]");
}

TEST(ChromeContainer, ByteOrderMarkAndInvalidUtf8) {
    const Imported in = load_json("\xEF\xBB\xBF[{\"name\":\"bad\xFF\xC3\",\"ph\":\"X\",\"ts\":1,\"dur\":1,\"pid\":1,\"tid\":1}]");
    EXPECT_TRUE(in.report.errors.empty()) << in.errors();
    EXPECT_EQ(spans_at(*in.model, "", 0), "bad??[0,1000]");
    EXPECT_EQ(note(*in.model, "UTF-8"), 1u);
}

TEST(ChromeContainer, GzipAnyNameAndConcatenatedMembers) {
    const std::string text = json_object({kA, kB});
    const Imported plain = load_json(text);
    const Imported gz = load_json(text, true);
    ASSERT_TRUE(gz.report.errors.empty()) << gz.errors();
    EXPECT_EQ(dump_model(*gz.model), dump_model(*plain.model));
    TempTrace members(text, true, 3);
    Imported joined;
    joined.model = load_trace(members.path(), joined.report);
    ASSERT_TRUE(joined.report.errors.empty()) << joined.errors();
    EXPECT_EQ(dump_model(*joined.model), dump_model(*plain.model));
}

TEST(ChromeContainer, TruncatedGzipKeepsWhatInflated) {
    std::string big = "[";
    for (int i = 0; i < 20000; ++i)
        big += R"({"name":"E","ph":"X","ts":)" + std::to_string(i * 10) + R"(,"dur":5,"pid":1,"tid":1},)" + "\n";
    TempTrace whole(big, true);
    std::FILE* f = std::fopen(whole.path().c_str(), "rb");
    std::string bytes(1 << 22, '\0');
    bytes.resize(std::fread(bytes.data(), 1, bytes.size(), f));
    std::fclose(f);
    bytes.resize(bytes.size() / 2);
    TempTrace cut(bytes);
    Imported in;
    in.model = load_trace(cut.path(), in.report);
    EXPECT_FALSE(in.report.fatal);
    EXPECT_TRUE(in.has_error("gzip")) << in.errors();
    EXPECT_GT(in.model->thread_spans.size(), 1000u);
    EXPECT_LT(in.model->thread_spans.size(), 20000u);
}

TEST(ChromeContainer, InputThatIsNoTrace) {
    for (const char* text : {"", "   \n", "hello", "\x89PNG\r\n", "\"just a string\"", "42"}) {
        const Imported in = load_json(text);
        EXPECT_TRUE(in.report.fatal) << "'" << text << "'";
        EXPECT_FALSE(in.report.errors.empty()) << "'" << text << "'";
    }
}

TEST(ChromeContainer, AnObjectWithoutTraceEventsHoldsNothing) {
    const Imported in = load_json(R"({"foo": 1, "bar": [1, 2]})");
    EXPECT_TRUE(in.report.fatal);
    EXPECT_TRUE(in.has_error("traceEvents")) << in.errors();
}

TEST(ChromeContainer, ElementsThatAreNotObjectsAreSkipped) {
    const Imported in = load_json("[1, \"x\", [2], " + std::string(kA) + ", null]");
    EXPECT_EQ(in.report.errors.size(), 4u) << in.errors();
    EXPECT_TRUE(in.has_error("not an object")) << in.errors();
    EXPECT_EQ(spans_at(*in.model, "", 0), "A[0,5000]");
}

TEST(ChromeContainer, BrokenJsonInOneEventCostsOnlyThatEvent) {
    const std::string head = "[" + std::string(kA) + ",\n";
    const std::string bad = R"({"name":"X","ph":"X","ts":NaN,"dur":1,"pid":1,"tid":2})";
    const Imported in = load_json(head + bad + ",\n" + std::string(kB) + "]");
    ASSERT_EQ(in.report.errors.size(), 1u) << in.errors();
    EXPECT_EQ(in.report.errors[0].offset, head.size());
    EXPECT_EQ(spans_at(*in.model, "", 0), "A[0,5000] B[10000,15000]");
}

TEST(ChromeContainer, DeepNestingIsSkippedNotFollowed) {
    std::string deep = R"({"name":"deep","ph":"X","ts":1,"dur":1,"pid":1,"tid":2,"args":)";
    deep += std::string(5000, '[') + std::string(5000, ']') + "}";
    const Imported in = load_json(json_array({kA, deep, kB}));
    ASSERT_EQ(in.report.errors.size(), 1u) << in.errors();
    EXPECT_TRUE(in.has_error("nested deeper than 1000")) << in.errors();
    EXPECT_EQ(spans_at(*in.model, "", 0), "A[0,5000] B[10000,15000]");
}

TEST(ChromeContainer, AnOversizedEventIsSkippedAndReadingGoesOn) {
    std::string huge = R"({"name":")" + std::string((64u << 20) + 16, 'x') + R"(","ph":"X","ts":1,"dur":1,"pid":1,"tid":2})";
    const std::string head = "[" + std::string(kA) + ",\n";
    const Imported in = load_json(head + huge + ",\n" + std::string(kB) + "]");
    ASSERT_EQ(in.report.errors.size(), 1u) << in.errors();
    EXPECT_EQ(in.report.errors[0].offset, head.size());
    EXPECT_TRUE(in.has_error("larger than 64 MiB")) << in.errors();
    EXPECT_EQ(spans_at(*in.model, "", 0), "A[0,5000] B[10000,15000]");
}

TEST(ChromeContainer, AGzipBombIsRefusedQuickly) {
    // 256 MiB of zeros inflate from a quarter MiB: not JSON from the first byte on.
    const Imported in = load_json(std::string(256u << 20, '\0'), true);
    EXPECT_TRUE(in.report.fatal);
    EXPECT_TRUE(in.has_error("expected '[' or '{'")) << in.errors();
}

TEST(ChromeContainer, TextAfterTheTraceIsIgnoredAndReported) {
    const Imported in = load_json(json_object({kA}) + "\n{\"second\": \"document\"}");
    EXPECT_TRUE(in.has_error("after the end of the trace")) << in.errors();
    EXPECT_EQ(in.model->thread_spans.size(), 1u);
}

} // namespace
} // namespace weft::test

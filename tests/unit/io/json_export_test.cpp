#include "io/json_export.h"
#include "io/json_out.h"
#include "chrome_json.h"
#include "small_model.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <string>

namespace weft {
namespace {

std::string read_all(std::FILE* f) {
    std::rewind(f);
    std::string text;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    return text;
}

rapidjson::Document export_small(io::ExportOptions options = {}) {
    const auto model = test::make_small_model();
    std::FILE* f = std::tmpfile();
    EXPECT_NE(f, nullptr);
    EXPECT_TRUE(io::export_json(*model, f, options));
    const std::string text = read_all(f);
    std::fclose(f);
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    EXPECT_FALSE(doc.HasParseError()) << "offset " << doc.GetErrorOffset();
    return doc;
}

const rapidjson::Value& task_with_id(const rapidjson::Document& doc, uint64_t id) {
    for (const auto& t : doc["tasks"].GetArray())
        if (t["task_id"].GetUint64() == id) return t;
    ADD_FAILURE() << "no task " << id;
    return doc["tasks"][0];
}

TEST(JsonExport, HeaderAndProcesses) {
    const auto doc = export_small();
    ASSERT_TRUE(doc.IsObject());
    EXPECT_STREQ(doc["trace"]["format_version"].GetString(), "1.1");
    EXPECT_EQ(doc["trace"]["origin_unix_ns"].GetUint64(), 1'700'000'000'000'000'000ull);
    EXPECT_DOUBLE_EQ(doc["trace"]["duration_ms"].GetDouble(), 2000.0);
    EXPECT_EQ(doc["trace"]["events"].GetUint64(), 42u);
    ASSERT_EQ(doc["processes"].Size(), 1u);
    const auto& p = doc["processes"][0];
    EXPECT_STREQ(p["process_id"].GetString(), "01020304-0506-0708-090a-0b0c0d0e0f10");
    EXPECT_EQ(p["pid"].GetUint64(), 4242u);
    EXPECT_STREQ(p["properties"]["language"].GetString(), "python");
    ASSERT_EQ(p["threads"].Size(), 2u);
    EXPECT_STREQ(p["threads"][1].GetString(), "worker-1");
    ASSERT_EQ(doc["threads"].Size(), 2u);
    EXPECT_TRUE(doc["threads"][0]["event_loop"].GetBool());
    EXPECT_DOUBLE_EQ(doc["threads"][0]["busy_ms"].GetDouble(), 200.0);
    EXPECT_EQ(doc["threads"][1]["dropped_events"].GetUint64(), 5u);
}

TEST(JsonExport, TaskFields) {
    const auto doc = export_small();
    ASSERT_EQ(doc["tasks"].Size(), 3u);
    const auto& root = task_with_id(doc, 1);
    EXPECT_STREQ(root["name"].GetString(), "handle_request");
    EXPECT_STREQ(root["coro_name"].GetString(), "app.handle_request");
    EXPECT_DOUBLE_EQ(root["created_at"].GetDouble(), 0.05);
    EXPECT_DOUBLE_EQ(root["started_at"].GetDouble(), 0.1);
    EXPECT_DOUBLE_EQ(root["completed_at"].GetDouble(), 1.0);
    EXPECT_TRUE(root["parent_task_id"].IsNull());
    EXPECT_STREQ(root["state"].GetString(), "ok");
    EXPECT_FALSE(root["cancelled"].GetBool());
    EXPECT_TRUE(root["exception"].IsNull());
    EXPECT_STREQ(root["spawn_location"].GetString(), "app/server.py:12");
    EXPECT_EQ(root["children"].GetUint(), 2u);

    const auto& failing = task_with_id(doc, 2);
    EXPECT_EQ(failing["parent_task_id"].GetUint64(), 1u);
    EXPECT_STREQ(failing["state"].GetString(), "error");
    EXPECT_STREQ(failing["exception"].GetString(), "ValueError: boom");
    EXPECT_DOUBLE_EQ(failing["busy_ms"].GetDouble(), 200.0);
    EXPECT_EQ(failing["polls"].GetUint(), 2u);
    // Threads in the order the task first ran on them.
    ASSERT_EQ(failing["threads"].Size(), 2u);
    EXPECT_STREQ(failing["threads"][0].GetString(), "worker-1");
    EXPECT_STREQ(failing["threads"][1].GetString(), "event-loop");
    EXPECT_TRUE(failing["migrated"].GetBool());
    // The invalid byte is replaced, the rest kept: the document still parses.
    EXPECT_STREQ(failing["name"].GetString(), "fetch\xef\xbf\xbd" "bad");

    const auto& pending = task_with_id(doc, 3);
    EXPECT_TRUE(pending["completed_at"].IsNull());
    EXPECT_STREQ(pending["state"].GetString(), "unfinished");
    EXPECT_TRUE(pending["spawn_location"].IsNull());
}

TEST(JsonExport, AwaitsBlockingAndLag) {
    const auto doc = export_small();
    ASSERT_EQ(doc["await_points"].Size(), 2u);
    const auto& done = doc["await_points"][0];
    EXPECT_EQ(done["task_id"].GetUint64(), 2u);
    EXPECT_STREQ(done["awaitable_name"].GetString(), "asyncio.sleep");
    EXPECT_STREQ(done["file"].GetString(), "app/poll.py");
    EXPECT_EQ(done["line"].GetUint(), 30u);
    EXPECT_DOUBLE_EQ(done["started_at"].GetDouble(), 0.4);
    EXPECT_DOUBLE_EQ(done["resumed_at"].GetDouble(), 0.5);
    EXPECT_DOUBLE_EQ(done["duration_ms"].GetDouble(), 100.0);
    const auto& open = doc["await_points"][1];
    EXPECT_TRUE(open["resumed_at"].IsNull());
    EXPECT_TRUE(open["unfinished"].GetBool());
    EXPECT_DOUBLE_EQ(open["duration_ms"].GetDouble(), 1200.0);

    ASSERT_EQ(doc["blocking_events"].Size(), 1u);
    const auto& b = doc["blocking_events"][0];
    EXPECT_DOUBLE_EQ(b["detected_at"].GetDouble(), 1.25);
    EXPECT_DOUBLE_EQ(b["duration_ms"].GetDouble(), 150.0);
    EXPECT_STREQ(b["thread"].GetString(), "event-loop");
    EXPECT_EQ(b["task_id"].GetUint64(), 1u);
    ASSERT_EQ(b["stack_trace"].Size(), 2u);
    EXPECT_STREQ(b["stack_trace"][0].GetString(), "recv (socket.py)");
    EXPECT_STREQ(b["stack_trace"][1].GetString(), "serve (app/server.py:12)");

    const auto& lag = doc["event_loop_metrics"];
    EXPECT_EQ(lag["samples"].GetUint64(), 3u);
    EXPECT_DOUBLE_EQ(lag["avg_lag_ms"].GetDouble(), 2.0);
    EXPECT_DOUBLE_EQ(lag["max_lag_ms"].GetDouble(), 3.0);
    ASSERT_EQ(lag["series"].Size(), 3u);
    EXPECT_DOUBLE_EQ(lag["series"][1]["time"].GetDouble(), 0.02);
    EXPECT_DOUBLE_EQ(lag["series"][1]["lag_ms"].GetDouble(), 3.0);
}

TEST(JsonExport, SpansAndDiagnostics) {
    const auto doc = export_small();
    ASSERT_EQ(doc["async_spans"].Size(), 2u);
    const auto& rpc = doc["async_spans"][1];
    EXPECT_EQ(rpc["parent_span_id"].GetUint64(), 7u);
    EXPECT_TRUE(doc["async_spans"][0]["parent_span_id"].IsNull());
    EXPECT_STREQ(rpc["begin_thread"].GetString(), "worker-1");
    EXPECT_TRUE(rpc["end_thread"].IsNull());
    EXPECT_TRUE(rpc["end_at"].IsNull());
    EXPECT_TRUE(rpc["unfinished"].GetBool());

    ASSERT_EQ(doc["thread_spans"].Size(), 2u);
    EXPECT_STREQ(doc["thread_spans"][1]["name"].GetString(), "parse");
    EXPECT_EQ(doc["thread_spans"][1]["depth"].GetUint(), 1u);
    EXPECT_STREQ(doc["thread_spans"][0]["thread"].GetString(), "event-loop");

    const auto& d = doc["diagnostics"];
    EXPECT_EQ(d["unfinished_tasks"].GetUint64(), 1u);
    EXPECT_EQ(d["damaged_records"].GetUint64(), 1u);
    EXPECT_EQ(d["total"].GetUint64(), 3u);
    ASSERT_EQ(d["messages"].Size(), 1u);
    EXPECT_STREQ(d["messages"][0].GetString(), "offset 4096: checksum mismatch");
}

TEST(JsonExport, OptionalSectionsCanBeLeftOut) {
    io::ExportOptions options;
    options.thread_spans = false;
    options.lag_series = false;
    const auto doc = export_small(options);
    EXPECT_FALSE(doc.HasMember("thread_spans"));
    EXPECT_FALSE(doc["event_loop_metrics"].HasMember("series"));
    EXPECT_EQ(doc["event_loop_metrics"]["samples"].GetUint64(), 3u);
}

TEST(JsonExport, WriteFailureIsReported) {
    const auto model = test::make_small_model();
    std::string error;
    EXPECT_FALSE(io::export_json_file(*model, "/nonexistent-dir/out.json", error));
    EXPECT_NE(error.find("/nonexistent-dir/out.json"), std::string::npos);
}

struct Utf8Case {
    const char* name;
    std::string input;
    std::string expected;
};

class ValidUtf8 : public testing::TestWithParam<Utf8Case> {};

TEST_P(ValidUtf8, ReplacesOnlyInvalidBytes) {
    std::string scratch;
    EXPECT_EQ(std::string(io::valid_utf8(GetParam().input, scratch)), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ValidUtf8,
    testing::Values(Utf8Case{"ascii", "plain", "plain"}, Utf8Case{"two_byte", "caf\xc3\xa9", "caf\xc3\xa9"},
                    Utf8Case{"four_byte", "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},
                    Utf8Case{"lone_continuation", "a\x80z", "a\xef\xbf\xbdz"},
                    Utf8Case{"truncated_sequence", "ab\xe2\x82", "ab\xef\xbf\xbd\xef\xbf\xbd"},
                    Utf8Case{"overlong_slash", "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd"},
                    Utf8Case{"surrogate", "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}),
    [](const testing::TestParamInfo<Utf8Case>& info) { return std::string(info.param.name); });

} // namespace
} // namespace weft

namespace weft {
namespace {

// What an imported trace adds: flows, instants, counters, samples, and args kept as JSON.
TEST(JsonExport, ImportedTraceCarriesFlowsCountersInstantsSamplesAndArgs) {
    const test::Imported in = test::load_json(R"({"traceEvents":[
        {"name":"send","cat":"ipc","ph":"X","ts":0,"dur":10,"pid":1,"tid":1,"args":{"n":[1,2]}},
        {"name":"bad","ph":"X","ts":1,"dur":1,"pid":1,"tid":1,"args":{"x":nul}},
        {"name":"m","cat":"f","ph":"s","id":1,"ts":5,"pid":1,"tid":1},
        {"name":"m","cat":"f","ph":"f","bp":"e","id":1,"ts":21,"pid":1,"tid":2},
        {"name":"recv","ph":"X","ts":20,"dur":5,"pid":1,"tid":2},
        {"name":"c","ph":"C","ts":3,"pid":1,"tid":1,"args":{"v":2.5}},
        {"name":"g","ph":"i","ts":4,"pid":1,"tid":1,"s":"g"},
        {"name":"cpu","ph":"P","ts":6,"pid":1,"tid":1,"sf":1}],
        "stackFrames":{"1":{"name":"main"}}})");
    ASSERT_TRUE(in.report.errors.empty()) << in.errors();
    std::FILE* f = std::tmpfile();
    ASSERT_TRUE(io::export_json(*in.model, f));
    const std::string text = read_all(f);
    std::fclose(f);
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    ASSERT_FALSE(doc.HasParseError()) << "offset " << doc.GetErrorOffset();
    ASSERT_EQ(doc["flows"].Size(), 1u);
    EXPECT_STREQ(doc["flows"][0]["category"].GetString(), "f");
    EXPECT_EQ(doc["flows"][0]["to"]["depth"].GetUint(), 0u);
    ASSERT_EQ(doc["counters"].Size(), 1u);
    EXPECT_DOUBLE_EQ(doc["counters"][0]["samples"][0][1].GetDouble(), 2.5);
    EXPECT_STREQ(doc["instants"][0]["scope"].GetString(), "global");
    EXPECT_STREQ(doc["samples"][0]["stack"][0].GetString(), "main");
    const auto& spans = doc["thread_spans"];
    EXPECT_EQ(spans[0]["args"]["n"][1].GetInt(), 2);                  // valid JSON: as a value
    EXPECT_STREQ(spans[1]["args"].GetString(), R"({"x":nul})");        // not JSON: as a string
    EXPECT_STREQ(spans[0]["category"].GetString(), "ipc");
}

} // namespace
} // namespace weft

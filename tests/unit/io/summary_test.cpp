#include "io/summary.h"
#include "small_model.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <string>

namespace weft {
namespace {

TEST(Summary, CountsAndTopLocations) {
    const auto model = test::make_small_model();
    const io::TraceSummary s = io::summarize(*model);
    EXPECT_EQ(s.events, 42u);
    EXPECT_EQ(s.tasks.total, 3u);
    EXPECT_EQ(s.tasks.ok, 1u);
    EXPECT_EQ(s.tasks.error, 1u);
    EXPECT_EQ(s.tasks.unfinished, 1u);
    EXPECT_EQ(s.tasks.max_depth, 1u);
    EXPECT_EQ(s.await_total, 2u);
    EXPECT_EQ(s.await_unfinished, 1u);
    EXPECT_DOUBLE_EQ(s.await_total_ms, 1300.0);
    ASSERT_EQ(s.top_locations.size(), 1u);
    EXPECT_EQ(s.top_locations[0].location, "app/poll.py:30");
    EXPECT_EQ(s.top_locations[0].function, "poll");
    EXPECT_EQ(s.top_locations[0].awaitable, "asyncio.sleep");
    EXPECT_EQ(s.top_locations[0].count, 2u);
    EXPECT_DOUBLE_EQ(s.top_locations[0].max_ms, 1200.0);
    ASSERT_EQ(s.processes.size(), 1u);
    ASSERT_EQ(s.processes[0].threads.size(), 2u);
    EXPECT_EQ(s.processes[0].threads[0].run_slices, 2u);
}

TEST(Summary, BlockingThresholdSelectsEvents) {
    const auto model = test::make_small_model();
    io::SummaryOptions options;
    options.blocking_threshold = 100'000'000;
    io::TraceSummary s = io::summarize(*model, options);
    EXPECT_EQ(s.blocking_total, 1u);
    ASSERT_EQ(s.blocking.size(), 1u);
    EXPECT_DOUBLE_EQ(s.blocking[0].duration_ms, 150.0);
    EXPECT_EQ(s.blocking[0].thread, "event-loop");
    ASSERT_TRUE(s.blocking[0].task_id.has_value());
    EXPECT_EQ(*s.blocking[0].task_id, 1u);
    EXPECT_EQ(s.blocking[0].stack_trace.front(), "recv (socket.py)");

    options.blocking_threshold = 200'000'000;
    s = io::summarize(*model, options);
    EXPECT_EQ(s.blocking_above, 0u);
    EXPECT_TRUE(s.blocking.empty());
}

TEST(Summary, JsonHasTheDocumentedFields) {
    const auto model = test::make_small_model();
    std::FILE* f = std::tmpfile();
    ASSERT_NE(f, nullptr);
    ASSERT_TRUE(io::write_summary_json(io::summarize(*model), f));
    std::rewind(f);
    std::string text;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    std::fclose(f);
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    ASSERT_FALSE(doc.HasParseError());
    EXPECT_EQ(doc["events"]["total"].GetUint64(), 42u);
    EXPECT_EQ(doc["tasks"]["total"].GetUint64(), 3u);
    EXPECT_EQ(doc["tasks"]["by_outcome"]["ok"].GetUint64(), 1u);
    EXPECT_EQ(doc["tasks"]["by_outcome"]["cancelled"].GetUint64(), 0u);
    EXPECT_EQ(doc["tasks"]["by_outcome"]["error"].GetUint64(), 1u);
    EXPECT_EQ(doc["tasks"]["by_outcome"]["unfinished"].GetUint64(), 1u);
    EXPECT_EQ(doc["tasks"]["max_depth"].GetUint(), 1u);
    EXPECT_EQ(doc["await_points"]["total"].GetUint64(), 2u);
    const auto& top = doc["await_points"]["top_locations"][0];
    for (const char* key : {"location", "count", "total_ms", "mean_ms", "p95_ms", "max_ms"})
        EXPECT_TRUE(top.HasMember(key)) << key;
    const auto& b = doc["blocking_events"][0];
    for (const char* key : {"duration_ms", "thread", "task_id", "stack_trace", "detected_at"})
        EXPECT_TRUE(b.HasMember(key)) << key;
    EXPECT_EQ(doc["event_loop_metrics"]["samples"].GetUint64(), 3u);
    EXPECT_DOUBLE_EQ(doc["event_loop_metrics"]["max_lag_ms"].GetDouble(), 3.0);
    EXPECT_STREQ(doc["processes"][0]["threads"][1]["name"].GetString(), "worker-1");
    EXPECT_EQ(doc["diagnostics"]["unfinished_awaits"].GetUint64(), 1u);
    EXPECT_EQ(doc["diagnostics"]["messages"].Size(), 1u);
}

} // namespace
} // namespace weft

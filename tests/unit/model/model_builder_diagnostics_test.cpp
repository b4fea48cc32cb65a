// Damaged and incomplete input: unmatched begins, orphan ends, duplicates, unknown tasks, clocks
// going backwards, lost events. None of it stops loading; all of it is counted.

#include "event_dsl.h"
#include "model_dump.h"

#include "model/model_builder.h"

#include <gtest/gtest.h>

namespace weft::test {
namespace {

TEST(ModelBuilderDiagnostics, UnmatchedBeginsStayOpenToTheTraceEnd) {
    auto m = build_model(R"(
        thread T1
        thread T2
        T1 0  create 1
        T1 1  run 1
        T1 2  await 1 lock
        T1 3  span forever
        T1 4  abegin 9
        T2 30 lag 1
    )");
    EXPECT_EQ(m->end, 30);
    const Task& t = m->task(find_task(*m, 1));
    EXPECT_EQ(t.state, TaskState::Unfinished);
    EXPECT_EQ(t.completed, kNoTime);
    EXPECT_EQ(t.end_or(m->end), 30);
    EXPECT_EQ(t.busy, 29); // the open run slice ends at the trace end
    ASSERT_EQ(t.awaits.count, 1u);
    EXPECT_TRUE(m->awaits_of(t)[0].unfinished);
    EXPECT_EQ(m->awaits_of(t)[0].end, 30);
    EXPECT_EQ(t.awaiting, 28);
    const Thread& th = m->thread(find_thread(*m, "T1"));
    ASSERT_EQ(th.span_depths.size(), 1u);
    EXPECT_TRUE(m->thread_spans[th.span_depths[0].first].unfinished);
    EXPECT_EQ(m->thread_spans[th.span_depths[0].first].end, 30);
    ASSERT_EQ(m->async_spans.size(), 1u);
    EXPECT_TRUE(m->async_spans[0].unfinished);
    EXPECT_EQ(m->async_spans[0].end, 30);
    EXPECT_FALSE(m->async_spans[0].end_thread.valid());
    const Diagnostics& d = m->diagnostics;
    EXPECT_EQ(d.unfinished_tasks, 1u);
    EXPECT_EQ(d.unfinished_runs, 1u);
    EXPECT_EQ(d.unfinished_awaits, 1u);
    EXPECT_EQ(d.unfinished_thread_spans, 1u);
    EXPECT_EQ(d.unfinished_async_spans, 1u);
}

TEST(ModelBuilderDiagnostics, OrphanEndsAreCounted) {
    auto m = build_model(R"(
        thread T1
        T1 0 create 1
        T1 1 end 1
        T1 2 resume 1
        T1 3 close
        T1 4 aend 77
        T1 5 run 1
        T1 6 end 2
        T1 7 end 1
        T1 8 done 1 ok
    )");
    const Diagnostics& d = m->diagnostics;
    EXPECT_EQ(d.orphan_run_ends, 2u); // nothing open, then the wrong task
    EXPECT_EQ(d.orphan_await_ends, 1u);
    EXPECT_EQ(d.orphan_thread_span_ends, 1u);
    EXPECT_EQ(d.orphan_async_span_ends, 1u);
    EXPECT_EQ(m->task(find_task(*m, 1)).polls, 1u);
    EXPECT_EQ(m->task(find_task(*m, 1)).busy, 2);
}

TEST(ModelBuilderDiagnostics, DuplicateTaskIdKeepsTheEarliestCreationInAnyOrder) {
    const auto script = parse_events(R"(
        thread A
        thread B
        A 50 create 1 name=late
        B 10 create 1 name=early
        B 20 create 2 parent=1
    )", 1);
    for (auto order : {Interleaving::InOrder, Interleaving::ReversedStreams}) {
        auto m = build_model(script, order);
        ASSERT_EQ(m->tasks.size(), 2u);
        const Task& t = m->task(find_task(*m, 1));
        EXPECT_EQ(m->string(t.name), "early");
        EXPECT_EQ(t.created, 10);
        EXPECT_EQ(m->diagnostics.duplicate_task_ids, 1u);
        EXPECT_EQ(m->task(find_task(*m, 2)).parent, find_task(*m, 1));
    }
}

TEST(ModelBuilderDiagnostics, EventsForUnknownTasksMakePlaceholders) {
    auto m = build_model(R"(
        thread T1
        T1 5 run 9
        T1 8 end 9
        T1 9 done 9 cancelled
        T1 10 create 3 parent=12345
    )");
    const Task& t = m->task(find_task(*m, 9));
    EXPECT_FALSE(t.created_seen);
    EXPECT_EQ(t.created, 5); // first mention
    EXPECT_EQ(t.state, TaskState::Cancelled);
    EXPECT_EQ(t.busy, 3);
    EXPECT_EQ(t.scheduled, 1); // no creation seen: only ready from its run end (8) to completion (9)
    EXPECT_EQ(m->diagnostics.events_for_unknown_tasks, 3u);
    // A parent id that names no task leaves a root.
    EXPECT_FALSE(m->task(find_task(*m, 3)).parent.valid());
    EXPECT_EQ(m->processes[0].root_tasks.size(), 2u);
}

TEST(ModelBuilderDiagnostics, TimeGoingBackwardsKeepsLanesFlat) {
    auto m = build_model(R"(
        thread T1
        T1 100 create 1
        T1 110 run 1
        T1 120 end 1
        T1 90  run 1
        T1 115 end 1
        T1 130 span a
        T1 125 close
        T1 140 span b
        T1 150 close
    )", 2);
    EXPECT_EQ(m->diagnostics.time_backwards, 2u);
    const Thread& th = m->thread(find_thread(*m, "T1"));
    ASSERT_EQ(th.run_slices.count, 2u);
    for (uint32_t i = th.run_slices.first; i < th.run_slices.end(); ++i) {
        EXPECT_LE(m->runs.begin[i], m->runs.end[i]);
        if (i > th.run_slices.first) EXPECT_LE(m->runs.end[i - 1], m->runs.begin[i]);
    }
    const Range lane = th.span_depths.at(0);
    ASSERT_EQ(lane.count, 2u);
    EXPECT_EQ(m->thread_spans[lane.first].end, 130); // clipped, never negative
    EXPECT_EQ(m->begin, 90);
}

TEST(ModelBuilderDiagnostics, DroppedEventsFromMarkersAndOffsetGaps) {
    auto m = build_model(R"(
        thread T1
        thread T2
        T1 0 lag 1
        T1 1 dropped 5
        T1 gap 3
        T1 2 lag 1
        T2 0 lag 1
        T2 1 unknown
    )");
    EXPECT_EQ(m->diagnostics.dropped_events, 8u);
    EXPECT_EQ(m->thread(find_thread(*m, "T1")).dropped_events, 8u);
    EXPECT_EQ(m->thread(find_thread(*m, "T2")).dropped_events, 0u);
    EXPECT_EQ(m->diagnostics.unknown_events, 1u);
}

TEST(ModelBuilderDiagnostics, BlocksWithoutStreamInfoAreCountedAndIgnored) {
    auto script = parse_events(R"(
        thread T1
        T1 0 create 1
    )");
    ModelBuilder builder;
    for (const auto& p : script.processes) builder.on_process(p);
    builder.on_block(script.blocks[0]); // before its stream info
    for (const auto& s : script.streams) builder.on_stream(s);
    format::StreamInfo stray = script.streams[0];
    stray.stream_id[1] = 0xEE;
    stray.process_id[1] = 0xEE; // its process never came
    builder.on_stream(stray);
    format::DecodedBlock b;
    b.header.stream_id = stray.stream_id;
    builder.on_block(b);
    builder.on_block(script.blocks[0]);
    format::ReadReport report;
    report.errors.push_back({42, "checksum mismatch"});
    report.skipped_bytes = 17;
    builder.add_read_report(report);
    auto m = builder.finish();
    EXPECT_EQ(m->diagnostics.blocks_without_stream, 2u);
    EXPECT_EQ(m->diagnostics.damaged_records, 1u);
    EXPECT_EQ(m->diagnostics.skipped_bytes, 17u);
    ASSERT_EQ(m->diagnostics.messages.size(), 1u);
    EXPECT_NE(m->diagnostics.messages[0].find("42"), std::string::npos);
    EXPECT_EQ(m->tasks.size(), 1u);
    EXPECT_EQ(m->threads.size(), 1u);
    // The builder is spent: a second finish gives an empty model rather than crashing.
    EXPECT_TRUE(builder.finish()->tasks.empty());
}

TEST(ModelBuilderDiagnostics, EmptyTraceGivesAnEmptyModel) {
    ModelBuilder builder;
    auto m = builder.finish();
    EXPECT_EQ(m->strings.size(), 1u);
    EXPECT_EQ(m->locations.size(), 1u);
    EXPECT_EQ(m->begin, 0);
    EXPECT_EQ(m->end, 0);
    EXPECT_EQ(m->diagnostics.total(), 0u);
}

} // namespace
} // namespace weft::test

// What format 1.1 adds (flows, instants, counters, samples, diagnostic counts, span arguments, an
// async span's owning task, lane sort indexes): ingested and finished like the rest, order-free.

#include "event_dsl.h"
#include "model_dump.h"

#include <gtest/gtest.h>

#include <cmath>

namespace weft::test {
namespace {

constexpr Interleaving kOrders[] = {Interleaving::InOrder, Interleaving::ReversedStreams, Interleaving::RoundRobin};

TEST(ModelBuilderImported, FlowsPairByIdAcrossThreadsAndBindToSpans) {
    const char* script = R"(
        thread A
        thread B
        A 0   span send at=post@ipc:0
        A 5   flow out 1 depth=0 at=ipc@flow:0
        A 10  close
        B 20  span recv
        B 20  span inner
        B 20  flow in 1 depth=1
        B 30  close
        B 40  close
        A 50  create 9
        A 50  abegin 7 name=request task=9
        A 55  flow out 2 span=7
        B 60  flow in 2
        B 70  flow in 3
        A 80  flow out 4
        A 90  aend 7
    )";
    const std::string reference = dump_model(*build_model(script, 1));
    for (auto order : kOrders) EXPECT_EQ(dump_model(*build_model(script, 1, order)), reference);

    auto m = build_model(script, 2);
    ASSERT_EQ(m->flows.size(), 2u);
    const Flow& ipc = m->flows[0];
    EXPECT_EQ(ipc.flow_id, 1u);
    EXPECT_EQ(m->string(m->location(ipc.location).name), "ipc");
    EXPECT_EQ(ipc.from.thread, find_thread(*m, "A"));
    EXPECT_EQ(ipc.from.time, 5);
    EXPECT_EQ(ipc.from.depth, 0);
    EXPECT_FALSE(ipc.from.async_span.valid());
    EXPECT_EQ(ipc.to.thread, find_thread(*m, "B"));
    EXPECT_EQ(ipc.to.depth, 1);

    const Flow& spawned = m->flows[1];
    EXPECT_EQ(spawned.from.async_span, find_span(*m, 7));
    EXPECT_FALSE(spawned.from.on_thread_span());
    EXPECT_FALSE(spawned.to.on_thread_span());
    EXPECT_EQ(m->diagnostics.orphan_flow_ends, 1u);  // flow 3
    EXPECT_EQ(m->diagnostics.unfinished_flows, 1u);  // flow 4
}

TEST(ModelBuilderImported, AnInstantaneousFlowAndAReusedIdPairInOrder) {
    auto m = build_model(R"(
        thread A
        A 10 flow out 5
        A 10 flow in 5
        A 20 flow out 5
        A 20 flow out 5
        A 30 flow in 5
    )");
    ASSERT_EQ(m->flows.size(), 2u);
    EXPECT_EQ(m->flows[0].from.time, 10);
    EXPECT_EQ(m->flows[0].to.time, 10);
    EXPECT_EQ(m->flows[1].from.time, 20);
    EXPECT_EQ(m->flows[1].to.time, 30);
    EXPECT_EQ(m->diagnostics.unfinished_flows, 1u); // the first start at 20 was replaced
}

TEST(ModelBuilderImported, InstantsGoToTheirThreadProcessOrTheWholeTrace) {
    const char* script = R"(
        process exe=one
        thread A
        process exe=two
        thread B
        A 30 instant at=late@x:1
        A 10 instant at=early@x:1 args={"k":1}
        A 20 instant at=proc@x:2 scope=process
        B 15 instant at=everywhere@x:3 scope=global
        B 5  instant at=proc2@x:2 scope=process
        A 1  instant at=first@x:3 scope=global
    )";
    auto m = build_model(script);
    const Thread& a = m->thread(find_thread(*m, "A"));
    ASSERT_EQ(a.instants.count, 2u);
    EXPECT_EQ(m->instants[a.instants.first].time, 10); // sorted by time
    EXPECT_EQ(m->string(m->instants[a.instants.first].args), "{\"k\":1}");
    EXPECT_EQ(m->thread(find_thread(*m, "B")).instants.count, 0u);
    for (const Process& p : m->processes) {
        ASSERT_EQ(p.instants.count, 1u) << p.exe;
        EXPECT_EQ(m->instants[p.instants.first].scope, InstantScope::Process);
    }
    ASSERT_EQ(m->global_instants.count, 2u);
    EXPECT_EQ(m->instants[m->global_instants.first].time, 1);
    EXPECT_EQ(m->instants[m->global_instants.first + 1].time, 15);
    const std::string reference = dump_model(*m);
    for (auto order : kOrders) EXPECT_EQ(dump_model(*build_model(script, 1, order)), reference);
}

TEST(ModelBuilderImported, CountersMakeOneTrackPerProcessNameAndSeries) {
    auto m = build_model(R"(
        process exe=one
        thread A
        thread A2
        process exe=two
        thread B
        A 10  counter memory used 5
        A2 5  counter memory used 2.5
        A 10  counter memory free 100
        A 20  counter memory used -3
        B 1   counter memory used 7
        A 30  counter cpu value 0.25
    )");
    const Process& one = m->processes[0];
    ASSERT_EQ(one.counters.count, 3u);
    const CounterTrack& cpu = m->counters[one.counters.first];
    EXPECT_EQ(m->string(cpu.name), "cpu"); // by name, then series, as text
    const CounterTrack& free_ = m->counters[one.counters.first + 1];
    EXPECT_EQ(m->string(free_.series), "free");
    const CounterTrack& used = m->counters[one.counters.first + 2];
    EXPECT_EQ(m->string(used.series), "used");
    ASSERT_EQ(used.samples.count, 3u);
    EXPECT_EQ(m->counter_samples.time[used.samples.first], 5);
    EXPECT_DOUBLE_EQ(m->counter_samples.value[used.samples.first], 2.5);
    EXPECT_DOUBLE_EQ(m->counter_samples.value[used.samples.first + 2], -3.0);
    EXPECT_DOUBLE_EQ(used.min, -3.0);
    EXPECT_DOUBLE_EQ(used.max, 5.0);
    ASSERT_EQ(m->processes[1].counters.count, 1u);
    EXPECT_EQ(m->counters[m->processes[1].counters.first].process, ProcessIndex{1});
}

TEST(ModelBuilderImported, ANotANumberSampleStaysOutOfTheRange) {
    auto m = build_model(R"(
        thread A
        A 1 counter c v nan
        A 2 counter c v 4
    )");
    ASSERT_EQ(m->counters.size(), 1u);
    EXPECT_TRUE(std::isnan(m->counter_samples.value[0]));
    EXPECT_DOUBLE_EQ(m->counters[0].min, 4.0);
    EXPECT_DOUBLE_EQ(m->counters[0].max, 4.0);
}

TEST(ModelBuilderImported, SamplesKeepTheirStacksBesideBlockingFrames) {
    auto m = build_model(R"(
        thread A
        A 10 block 5 frames=wait@a.py:1
        A 20 sample name=cpu weight=3 frames=leaf@a.py:9,main@a.py:1
        A 15 sample frames=other@b.py:2
    )");
    const Thread& a = m->thread(find_thread(*m, "A"));
    ASSERT_EQ(a.samples.count, 2u);
    const Sample& first = m->samples[a.samples.first];
    EXPECT_EQ(first.time, 15);
    EXPECT_EQ(first.weight, 1u);
    const Sample& second = m->samples[a.samples.first + 1];
    EXPECT_EQ(m->string(second.name), "cpu");
    EXPECT_EQ(second.weight, 3u);
    ASSERT_EQ(second.frames.count, 2u);
    EXPECT_EQ(m->string(m->location(m->frames[second.frames.first]).name), "leaf");
    const BlockingEvent& b = m->blocking[a.blocking.first];
    ASSERT_EQ(b.frames.count, 1u);
    EXPECT_EQ(m->string(m->location(m->frames[b.frames.first]).name), "wait");
}

TEST(ModelBuilderImported, DiagnosticCountsAddUpPerLabel) {
    auto m = build_model(R"(
        thread A
        thread B
        A 1 note objects 3
        B 1 note objects 4
        A 2 note memory-dumps 1
    )");
    ASSERT_EQ(m->diagnostics.notes.size(), 2u);
    EXPECT_EQ(m->diagnostics.notes[0], (std::pair<std::string, uint64_t>{"memory-dumps", 1}));
    EXPECT_EQ(m->diagnostics.notes[1], (std::pair<std::string, uint64_t>{"objects", 7}));
    EXPECT_EQ(m->diagnostics.total(), 8u);
}

TEST(ModelBuilderImported, SpansCarryArgumentsAndAsyncSpansTheirTask) {
    auto m = build_model(R"(
        thread A
        thread B
        A 0  create 1 name=request
        A 0  abegin 10 name=request task=1 args={"url":"/"}
        B 5  abegin 11 parent=10 name=db task=1
        B 6  span parse args={"n":2}
        B 7  close
        B 9  aend 11
        A 20 aend 10
        A 20 done 1 ok
    )");
    const Task& t = m->task(find_task(*m, 1));
    ASSERT_EQ(t.spans.count, 2u);
    EXPECT_EQ(m->async_spans[find_span(*m, 11).value].task, find_task(*m, 1));
    EXPECT_EQ(m->string(m->async_spans[find_span(*m, 10).value].args), "{\"url\":\"/\"}");
    const Thread& b = m->thread(find_thread(*m, "B"));
    EXPECT_EQ(m->string(m->thread_spans[b.span_depths[0].first].args), "{\"n\":2}");
}

TEST(ModelBuilderImported, SortIndexesOrderProcessesAndThreads) {
    auto m = build_model(R"(
        process exe=first
        thread A
        thread B sort=-1
        process exe=second sort=-5
        thread C
        A 1 lag 1
        B 2 lag 1
        C 3 lag 1
    )");
    ASSERT_EQ(m->processes.size(), 2u);
    EXPECT_EQ(m->processes[0].exe, "second");
    EXPECT_EQ(m->threads[m->processes[1].threads[0].value].name, "B");
    EXPECT_EQ(m->threads[m->processes[1].threads[1].value].name, "A");
}

} // namespace
} // namespace weft::test

// Thread spans (depth lanes), async spans across threads, blocking and lag.

#include "event_dsl.h"
#include "model_dump.h"

#include <gtest/gtest.h>

namespace weft::test {
namespace {

TEST(ModelBuilderSpans, NestedThreadSpansFormDepthLanes) {
    auto m = build_model(R"(
        thread T1
        T1 0  span outer at=a.py:1
        T1 1  span inner1
        T1 3  close
        T1 4  span inner2
        T1 5  span at=deepest@a.py:5
        T1 6  close
        T1 7  close
        T1 10 close
        T1 12 span second
        T1 13 close
    )", 3);
    const Thread& th = m->thread(find_thread(*m, "T1"));
    ASSERT_EQ(th.span_depths.size(), 3u);
    auto lane = [&](size_t d) { return std::span(m->thread_spans).subspan(th.span_depths[d].first, th.span_depths[d].count); };
    ASSERT_EQ(lane(0).size(), 2u);
    EXPECT_EQ(lane(0)[0].begin, 0);
    EXPECT_EQ(lane(0)[0].end, 10);
    EXPECT_EQ(m->string(lane(0)[0].name), "outer");
    EXPECT_EQ(m->location_label(lane(0)[0].location), "a.py:1");
    EXPECT_EQ(lane(0)[1].begin, 12);
    ASSERT_EQ(lane(1).size(), 2u);
    EXPECT_EQ(m->string(lane(1)[0].name), "inner1");
    EXPECT_EQ(lane(1)[1].begin, 4);
    EXPECT_EQ(lane(1)[1].end, 7);
    ASSERT_EQ(lane(2).size(), 1u);
    EXPECT_EQ(m->string(lane(2)[0].name), "deepest"); // the location's name when none is given
    EXPECT_EQ(lane(2)[0].depth, 2);
    EXPECT_EQ(m->diagnostics.total(), 0u);
}

TEST(ModelBuilderSpans, AsyncSpansAcrossThreadsWithParents) {
    const char* script = R"(
        thread T1
        thread T2
        T1 0  create 7
        T1 1  run 7
        T1 2  abegin 100 name=request at=srv.py:10
        T1 3  abegin 101 parent=100 name=db
        T1 4  end 7
        T2 10 aend 101
        T2 12 abegin 102 parent=101 name=inner
        T2 13 aend 102
        T1 20 aend 100
    )";
    for (auto order : {Interleaving::InOrder, Interleaving::ReversedStreams}) {
        auto m = build_model(script, 1, order);
        ASSERT_EQ(m->async_spans.size(), 3u);
        const AsyncSpan& req = m->async_spans[find_span(*m, 100).value];
        const AsyncSpan& db = m->async_spans[find_span(*m, 101).value];
        const AsyncSpan& inner = m->async_spans[find_span(*m, 102).value];
        EXPECT_EQ(req.begin, 2);
        EXPECT_EQ(req.end, 20);
        EXPECT_EQ(req.depth, 0);
        EXPECT_FALSE(req.parent.valid());
        EXPECT_EQ(m->string(req.name), "request");
        EXPECT_EQ(db.parent, find_span(*m, 100));
        EXPECT_EQ(db.depth, 1);
        EXPECT_EQ(db.begin_thread, find_thread(*m, "T1"));
        EXPECT_EQ(db.end_thread, find_thread(*m, "T2"));
        EXPECT_EQ(db.end, 10);
        EXPECT_EQ(inner.parent, find_span(*m, 101));
        EXPECT_EQ(inner.depth, 2);
        EXPECT_EQ(req.task, find_task(*m, 7));
        EXPECT_EQ(db.task, find_task(*m, 7));
        EXPECT_FALSE(inner.task.valid()); // nothing ran on T2
        const Task& t = m->task(find_task(*m, 7));
        ASSERT_EQ(t.spans.count, 2u);
        EXPECT_EQ(m->task_spans[t.spans.first], find_span(*m, 100));
        // Model::async_spans is ordered by begin.
        for (size_t i = 1; i < m->async_spans.size(); ++i)
            EXPECT_LE(m->async_spans[i - 1].begin, m->async_spans[i].begin);
        EXPECT_EQ(m->diagnostics.unfinished_async_spans, 0u);
    }
}

TEST(ModelBuilderSpans, ReusedSpanIdPairsInTimeOrderAndDuplicatesAreCounted) {
    auto m = build_model(R"(
        thread A
        thread B
        A 0  abegin 5 name=first
        B 4  aend 5
        A 6  abegin 5 name=second
        A 7  abegin 5 name=dup
        B 9  aend 5
        B 11 aend 5
    )", 1, Interleaving::ReversedStreams);
    ASSERT_EQ(m->async_spans.size(), 2u);
    EXPECT_EQ(m->async_spans[0].end, 4);
    EXPECT_EQ(m->string(m->async_spans[1].name), "second");
    EXPECT_EQ(m->async_spans[1].end, 9);
    EXPECT_EQ(m->diagnostics.duplicate_span_ids, 1u);
    EXPECT_EQ(m->diagnostics.orphan_async_span_ends, 1u);
}

// Parents are found through a table indexed by id when a process's span ids are dense and by a
// search when they are sparse; both must pick the latest span with the parent's id that began by
// the child's begin, and neither may invent a parent that does not exist.
TEST(ModelBuilderSpans, ParentLookupWithDenseAndSparseIdsAndReusedParentIds) {
    for (uint64_t base : {uint64_t{10}, uint64_t{1} << 40}) {
        // base 10: ids 10..13, dense. 1 << 40: the ids below are spread over 2^40, sparse.
        const uint64_t p = base, q = base + 1, c1 = base + 2, c2 = base + 3;
        const uint64_t far = base == 10 ? 13 : base * 3; // c2's id in the sparse case
        std::string script = "thread A\nthread B\n";
        auto line = [&](const std::string& text) { script += text + "\n"; };
        line("A 0  abegin " + std::to_string(p) + " name=p-first");
        line("A 2  aend " + std::to_string(p));
        line("A 3  abegin " + std::to_string(p) + " name=p-second"); // the id, reused
        line("B 4  abegin " + std::to_string(c1) + " parent=" + std::to_string(p) + " name=c1");
        line("B 5  abegin " + std::to_string(q) + " parent=999999 name=orphan-parent");
        line("B 6  aend " + std::to_string(c1));
        line("A 7  abegin " + std::to_string(base == 10 ? c2 : far) + " parent=" + std::to_string(q) + " name=c2");
        line("A 8  aend " + std::to_string(base == 10 ? c2 : far));
        line("B 9  aend " + std::to_string(q));
        line("A 10 aend " + std::to_string(p));
        for (auto order : {Interleaving::InOrder, Interleaving::ReversedStreams}) {
            auto m = build_model(script, 2, order);
            ASSERT_EQ(m->async_spans.size(), 5u);
            auto named = [&](std::string_view name) -> const AsyncSpan& {
                for (const AsyncSpan& s : m->async_spans)
                    if (m->string(s.name) == name) return s;
                ADD_FAILURE() << "no span named " << name;
                return m->async_spans[0];
            };
            auto index_of = [&](const AsyncSpan& s) { return AsyncSpanIndex{static_cast<uint32_t>(&s - m->async_spans.data())}; };
            EXPECT_EQ(named("c1").parent, index_of(named("p-second"))) << "base " << base;
            EXPECT_EQ(named("c1").depth, 1);
            EXPECT_FALSE(named("orphan-parent").parent.valid()) << "base " << base;
            EXPECT_EQ(named("c2").parent, index_of(named("orphan-parent"))) << "base " << base;
            EXPECT_EQ(named("c2").depth, 1);
            EXPECT_FALSE(named("p-first").parent.valid());
            for (size_t i = 1; i < m->async_spans.size(); ++i)
                EXPECT_LE(m->async_spans[i - 1].begin, m->async_spans[i].begin);
        }
    }
}

TEST(ModelBuilderSpans, BlockingAndLag) {
    auto m = build_model(R"(
        process freq=1000
        thread L loop
        L 0    create 3
        L 1    run 3
        L 500  block 300 task=3 frames=read@io.py:4,main.py:9
        L 501  end 3
        L 600  lag 20
        L 700  lag 5
        L 800  block 10
    )");
    const Thread& th = m->thread(find_thread(*m, "L"));
    EXPECT_TRUE(th.event_loop);
    ASSERT_EQ(th.blocking.count, 2u);
    const BlockingEvent& b = m->blocking[th.blocking.first];
    EXPECT_EQ(b.begin, 200'000'000); // millisecond ticks
    EXPECT_EQ(b.end, 500'000'000);
    EXPECT_EQ(b.duration(), 300'000'000);
    EXPECT_EQ(b.task, find_task(*m, 3));
    EXPECT_EQ(b.thread, find_thread(*m, "L"));
    ASSERT_EQ(b.frames.count, 2u);
    EXPECT_EQ(m->string(m->location(m->frames[b.frames.first]).name), "read");
    EXPECT_EQ(m->location_label(m->frames[b.frames.first + 1]), "main.py:9");
    EXPECT_FALSE(m->blocking[th.blocking.first + 1].task.valid());
    ASSERT_EQ(th.lag.count, 2u);
    EXPECT_EQ(m->lag[th.lag.first].time, 600'000'000);
    EXPECT_EQ(m->lag[th.lag.first].lag, 20'000'000);
}

TEST(ModelBuilderSpans, TickConversionAndOriginAcrossProcesses) {
    auto m = build_model(R"(
        process freq=1000 start_ns=5000000000 start_ticks=100
        thread A
        process freq=3000000000 start_ns=4000000000 start_ticks=9000000000000000000
        thread B
        A 100 create 1
        A 150 run 1
        B 9000000003000000000 create 1
        B 9000000003000000300 run 1
    )");
    EXPECT_EQ(m->origin_ns, 4'000'000'000u); // the earliest process start
    const Task& a = m->task(find_task(*m, 1));
    // Process B starts first: its task 1 comes first.
    EXPECT_EQ(a.process.value, 0u);
    EXPECT_EQ(a.created, 1'000'000'000); // 3e9 ticks at 3 GHz
    EXPECT_EQ(a.first_run, 1'000'000'100);
    ASSERT_EQ(m->tasks.size(), 2u);
    const Task& b = m->tasks[1];
    EXPECT_EQ(b.created, 1'000'000'000); // process A starts 1 s after the origin
    EXPECT_EQ(b.first_run, 1'050'000'000);
    EXPECT_EQ(m->to_unix_ns(b.first_run), 5'050'000'000u);
    EXPECT_EQ(m->processes[0].start_time_ns, 4'000'000'000u);
    EXPECT_EQ(m->thread(m->processes[1].threads[0]).name, "A");
}

} // namespace
} // namespace weft::test

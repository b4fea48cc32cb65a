// The Model must not depend on how the blocks of different streams were interleaved, nor on where
// blocks were cut: every order gives the same canonical dump.

#include "event_dsl.h"
#include "model_dump.h"

#include <gtest/gtest.h>

namespace weft::test {
namespace {

// Three threads, tasks migrating between them, awaits resumed elsewhere, async spans crossing
// threads, a duplicate creation, an orphan, unfinished work and two processes.
constexpr const char* kBusyTrace = R"(
    process freq=1000000000 start_ns=1000
    thread L loop
    thread W1
    thread W2
    L  0   create 1 name=main at=app.py:1
    L  2   run 1
    L  3   create 2 parent=1 name=fetch at=app.py:5
    L  4   create 3 parent=1 name=parse
    L  5   abegin 10 name=request
    L  6   await 1 gather at=app.py:7
    L  7   end 1
    W1 8   run 2
    W1 9   span http at=net.py:3
    W1 10  await 2 recv at=net.py:9
    W1 11  close
    W1 12  end 2
    W2 14  resume 2
    W2 15  run 2
    W2 16  abegin 11 parent=10 name=decode
    W2 18  done 2 ok
    W2 19  end 2
    L  20  aend 11
    L  21  run 3
    L  22  block 5 task=3 frames=parse@app.py:20
    L  23  lag 2
    L  24  end 3
    W1 25  create 2 name=again
    W1 26  resume 1
    W2 27  run 1
    W2 28  abegin 12 parent=10
    W2 30  end 1
    W1 31  aend 10
    W1 32  aend 99
    W2 33  run 4
    W2 34  span a
    W2 35  span b
    W2 36  close
    process freq=2000000000 start_ns=500 start_ticks=7
    thread Q
    Q  20  create 1 name=other
    Q  30  run 1
    Q  40  await 1 q
    Q  50  end 1
    Q  60  dropped 2
)";

TEST(ModelBuilderInterleaving, EveryOrderAndBlockSizeGivesTheSameModel) {
    const std::string reference = dump_model(*build_model(kBusyTrace, 1000));
    for (size_t block_size : {1u, 2u, 3u, 5u, 64u}) {
        const EventScript script = parse_events(kBusyTrace, block_size);
        for (auto order : {Interleaving::InOrder, Interleaving::ReversedStreams, Interleaving::RoundRobin}) {
            EXPECT_EQ(dump_model(*build_model(script, order)), reference)
                << "block size " << block_size << " order " << static_cast<int>(order);
        }
        for (uint64_t seed = 1; seed <= 20; ++seed)
            EXPECT_EQ(dump_model(*build_model(script, Interleaving::Random, seed)), reference)
                << "block size " << block_size << " seed " << seed;
    }
}

TEST(ModelBuilderInterleaving, TheBusyTraceMeansWhatItSays) {
    auto m = build_model(kBusyTrace, 2, Interleaving::ReversedStreams);
    // Process 2 started earlier (500 ns): it is the origin and comes first.
    EXPECT_EQ(m->origin_ns, 500u);
    ASSERT_EQ(m->processes.size(), 2u);
    EXPECT_EQ(m->thread(m->processes[0].threads[0]).name, "Q");
    uint32_t fetch_index = 0;
    for (uint32_t i = 0; i < m->tasks.size(); ++i)
        if (m->tasks[i].task_id == 2 && m->tasks[i].process.value == 1) fetch_index = i;
    const Task& fetch = m->tasks[fetch_index];
    EXPECT_EQ(m->string(fetch.name), "fetch"); // the later duplicate creation is ignored
    EXPECT_EQ(fetch.thread_count, 2);
    EXPECT_EQ(fetch.busy, 4 + 4);
    EXPECT_EQ(fetch.awaiting, 4);
    EXPECT_EQ(fetch.scheduled, 5 + 1);
    EXPECT_EQ(fetch.depth, 1);
    EXPECT_EQ(m->diagnostics.duplicate_task_ids, 1u);
    EXPECT_EQ(m->diagnostics.orphan_async_span_ends, 1u);
    EXPECT_EQ(m->diagnostics.unfinished_thread_spans, 1u);
    EXPECT_EQ(m->diagnostics.unfinished_runs, 1u);
    EXPECT_EQ(m->diagnostics.dropped_events, 2u);
    EXPECT_EQ(m->diagnostics.events_for_unknown_tasks, 1u); // run 4: its end never came
}

} // namespace
} // namespace weft::test

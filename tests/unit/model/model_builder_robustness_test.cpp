// Arbitrary event sequences never crash the builder, and the Model's invariants hold whatever came in.

#include "event_dsl.h"

#include "model/model_builder.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>

namespace weft::test {
namespace {

void check_invariants(const Model& m) {
    for (const Thread& th : m.threads) {
        ASSERT_LE(th.run_slices.end(), m.runs.size());
        for (uint32_t i = th.run_slices.first; i < th.run_slices.end(); ++i) {
            EXPECT_LE(m.runs.begin[i], m.runs.end[i]);
            if (i > th.run_slices.first) EXPECT_LE(m.runs.end[i - 1], m.runs.begin[i]);
            EXPECT_TRUE(m.runs.task[i].valid());
        }
        for (const Range& r : th.span_depths)
            for (uint32_t i = r.first; i < r.end(); ++i) {
                EXPECT_LE(m.thread_spans[i].begin, m.thread_spans[i].end);
                if (i > r.first) EXPECT_LE(m.thread_spans[i - 1].end, m.thread_spans[i].begin);
            }
    }
    for (const Task& t : m.tasks) {
        ASSERT_LE(t.children.end(), m.task_children.size());
        ASSERT_LE(t.slices.end(), m.task_slices.size());
        ASSERT_LE(t.awaits.end(), m.awaits.size());
        ASSERT_LE(t.spans.end(), m.task_spans.size());
        EXPECT_GE(t.busy, 0);
        EXPECT_GE(t.scheduled, 0);
        EXPECT_GE(t.idle, 0);
        if (t.parent.valid()) EXPECT_EQ(m.task(t.parent).depth + 1, t.depth);
    }
    for (const AsyncSpan& s : m.async_spans)
        if (s.parent.valid()) EXPECT_EQ(m.async_spans[s.parent.value].depth + 1, s.depth);
}

TEST(ModelBuilderRobustness, RandomEventSoupKeepsInvariants) {
    const char* verbs[] = {"create", "run", "end", "done", "await", "resume", "span", "close",
                           "abegin", "aend", "block", "lag", "dropped", "unknown"};
    for (uint64_t seed = 1; seed <= 30; ++seed) {
        std::mt19937_64 rng(seed);
        std::string s = "thread A\nthread B\nthread C\n";
        for (int i = 0; i < 400; ++i) {
            const char* th = i % 3 == 0 ? "A" : i % 3 == 1 ? "B" : "C";
            const std::string verb = verbs[rng() % std::size(verbs)];
            const int64_t t = static_cast<int64_t>(rng() % 1000) - 100; // clocks go both ways
            const uint64_t id = 1 + rng() % 6;
            s += std::string(th) + " " + std::to_string(t) + " " + verb;
            if (verb == "create") s += " " + std::to_string(id) + " parent=" + std::to_string(rng() % 7);
            else if (verb == "done") s += " " + std::to_string(id) + " error";
            else if (verb == "abegin") s += " " + std::to_string(id) + " parent=" + std::to_string(rng() % 7);
            else if (verb == "block" || verb == "lag" || verb == "dropped") s += " " + std::to_string(rng() % 50);
            else if (verb != "span" && verb != "close" && verb != "unknown") s += " " + std::to_string(id);
            s += "\n";
        }
        const EventScript script = parse_events(s, 1 + seed % 7);
        auto m = build_model(script, Interleaving::Random, seed);
        check_invariants(*m);
        EXPECT_EQ(m->event_count, script.events);
    }
}

TEST(ModelBuilderRobustness, ExtremeTicksSaturateInsteadOfOverflowing) {
    auto m = build_model(R"(
        process freq=3 start_ticks=-9223372036854775807
        thread A
        A 9223372036854775807 create 1
        A -9223372036854775808 run 1
        A 0 end 1
    )");
    check_invariants(*m);
    EXPECT_EQ(m->tasks.size(), 1u);
}

TEST(ModelBuilderRobustness, TotalsOfHugeOverlappingSlicesSaturate) {
    // Two slices of one task, each as long as a Time can hold, at once on two threads: their sum
    // does not fit, and must saturate rather than wrap to a negative busy time.
    auto m = build_model(R"(
        thread A
        thread B
        A -9223372036854775807 create 1
        A -9223372036854775807 run 1
        B -9223372036854775807 run 1
        A 9223372036854775806 end 1
        B 9223372036854775806 end 1
    )");
    check_invariants(*m);
    ASSERT_EQ(m->tasks.size(), 1u);
    EXPECT_EQ(m->tasks[0].polls, 2u);
    EXPECT_EQ(m->tasks[0].busy, std::numeric_limits<Time>::max());
    EXPECT_EQ(m->tasks[0].idle, 0);
}

} // namespace
} // namespace weft::test

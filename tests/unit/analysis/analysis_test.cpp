// Analyses over small models with hand-computed answers.

#include "event_dsl.h"
#include "model_dump.h"

#include "analysis/await_stats.h"
#include "analysis/blocking.h"
#include "analysis/concurrency.h"
#include "analysis/loop_lag.h"
#include "analysis/task_summary.h"

#include <gtest/gtest.h>

#include <string>

namespace weft::test {
namespace {

// Task k awaits at a.py:1 for k*10 ticks (k = 1..10), and at b.py:2 for 1000 ticks once.
std::string await_script() {
    std::string s = "thread T1\n";
    for (int k = 1; k <= 10; ++k) {
        const int t = k * 2000;
        s += "T1 " + std::to_string(t) + " create " + std::to_string(k) + "\n";
        s += "T1 " + std::to_string(t + 1) + " run " + std::to_string(k) + "\n";
        s += "T1 " + std::to_string(t + 2) + " await " + std::to_string(k) + (k == 3 ? " lock" : " sleep") + " at=a.py:1\n";
        s += "T1 " + std::to_string(t + 3) + " end " + std::to_string(k) + "\n";
        s += "T1 " + std::to_string(t + 2 + k * 10) + " resume " + std::to_string(k) + "\n";
    }
    s += "T1 30000 create 99\nT1 30001 run 99\nT1 30002 await 99 queue at=b.py:2\nT1 30003 end 99\n";
    s += "T1 31002 resume 99\n";
    return s;
}

TEST(AwaitStats, PerLocationPercentilesAndOrder) {
    auto m = build_model(await_script());
    const auto stats = analysis::await_stats_by_location(*m);
    ASSERT_EQ(stats.size(), 2u);
    // a.py:1 totals 550, b.py:2 1000: b first.
    EXPECT_EQ(m->location_label(stats[0].location), "b.py:2");
    EXPECT_EQ(stats[0].count, 1u);
    EXPECT_EQ(stats[0].p50, 1000);
    EXPECT_EQ(stats[0].p99, 1000);
    EXPECT_EQ(m->string(stats[0].awaitable), "queue");

    const auto& a = stats[1];
    EXPECT_EQ(m->location_label(a.location), "a.py:1");
    EXPECT_EQ(a.count, 10u);
    EXPECT_EQ(a.total, 550);
    EXPECT_EQ(a.mean, 55);
    EXPECT_EQ(a.max, 100);
    EXPECT_EQ(a.p50, 50);  // rank ceil(5) = 5th of 10..100
    EXPECT_EQ(a.p95, 100); // rank ceil(9.5) = 10th
    EXPECT_EQ(a.p99, 100);
    EXPECT_EQ(m->string(a.awaitable), "sleep"); // 9 of 10
    ASSERT_EQ(a.instances.size(), 10u);
    for (size_t i = 0; i < a.instances.size(); ++i) {
        const AwaitPoint& p = m->awaits[a.instances[i]];
        EXPECT_EQ(p.end - p.begin, static_cast<Time>(100 - 10 * i)); // longest first
    }
}

TEST(AwaitStats, MinimumDurationFilters) {
    auto m = build_model(await_script());
    const auto stats = analysis::await_stats_by_location(*m, 75);
    ASSERT_EQ(stats.size(), 2u);
    EXPECT_EQ(stats[1].count, 3u); // 80, 90, 100
    EXPECT_EQ(stats[1].p50, 90);
    EXPECT_EQ(stats[1].mean, 90);
    EXPECT_TRUE(analysis::await_stats_by_location(*m, 5000).empty());
}

TEST(AwaitStats, UnfinishedAwaitsCountToTheTraceEnd) {
    auto m = build_model(R"(
        thread T1
        T1 0 create 1
        T1 1 run 1
        T1 2 await 1 forever at=c.py:3
        T1 3 end 1
        T1 50 lag 1
    )");
    const auto stats = analysis::await_stats_by_location(*m);
    ASSERT_EQ(stats.size(), 1u);
    EXPECT_EQ(stats[0].total, 48);
}

TEST(Blocking, AboveThresholdLongestFirst) {
    auto m = build_model(R"(
        thread T1
        thread T2
        T1 100 block 50
        T1 300 block 150
        T2 400 block 100
        T2 500 block 99
    )");
    const auto all = analysis::blocking_above(*m, 0);
    EXPECT_EQ(all.size(), 4u);
    const auto big = analysis::blocking_above(*m, 100);
    ASSERT_EQ(big.size(), 2u);
    EXPECT_EQ(m->blocking[big[0]].duration(), 150);
    EXPECT_EQ(m->blocking[big[1]].duration(), 100);
    EXPECT_EQ(m->blocking[big[1]].thread, find_thread(*m, "T2"));
}

TEST(LoopLag, StatsWindowAndThreadFilter) {
    std::string s = "process freq=1000\nthread L loop\nthread M loop\n";
    for (int i = 1; i <= 100; ++i) s += "L " + std::to_string(i * 10) + " lag " + std::to_string(i) + "\n";
    s += "M 5 lag 1000\n";
    auto m = build_model(s);
    const auto all = analysis::lag_stats(*m);
    EXPECT_EQ(all.samples, 101u);
    EXPECT_DOUBLE_EQ(all.max_ms, 1000.0);
    EXPECT_DOUBLE_EQ(all.p99_ms, 100.0); // rank ceil(99.99) = 100th of 101
    EXPECT_NEAR(all.avg_ms, (5050.0 + 1000.0) / 101.0, 1e-9);

    const auto l = analysis::lag_stats(*m, kNoTime, kNoTime, find_thread(*m, "L"));
    EXPECT_EQ(l.samples, 100u);
    EXPECT_DOUBLE_EQ(l.avg_ms, 50.5);
    EXPECT_DOUBLE_EQ(l.p99_ms, 99.0);
    EXPECT_DOUBLE_EQ(l.max_ms, 100.0);

    // Samples at ticks 100..200 (ms) are lags 10..20.
    const auto w = analysis::lag_stats(*m, 100'000'000, 200'000'000, find_thread(*m, "L"));
    EXPECT_EQ(w.samples, 11u);
    EXPECT_DOUBLE_EQ(w.avg_ms, 15.0);
    EXPECT_DOUBLE_EQ(w.p99_ms, 20.0);
    const auto w_all = analysis::lag_stats(*m, 0, 9'000'000);
    EXPECT_EQ(w_all.samples, 1u);
    EXPECT_DOUBLE_EQ(w_all.max_ms, 1000.0);
    EXPECT_EQ(analysis::lag_stats(*m, 5, 4).samples, 0u);
}

TEST(Concurrency, BucketedMaximaOfTasksAndRuns) {
    auto m = build_model(R"(
        thread T1
        thread T2
        T1 0  create 1
        T1 5  create 2
        T1 12 create 3
        T1 1  run 1
        T1 4  end 1
        T2 2  run 2
        T2 3  end 2
        T1 15 done 2 ok
        T1 18 done 3 ok
        T2 30 done 1 ok
    )");
    // The run of task 2 at [2,3) is before its creation at 5 on another thread's clock: it still counts.
    const auto points = analysis::tasks_in_flight(*m, 0, 40, 4);
    ASSERT_EQ(points.size(), 4u);
    EXPECT_EQ(points[0].time, 0);
    EXPECT_EQ(points[0].tasks, 2u); // 1 and 2 (from 5)
    EXPECT_EQ(points[0].running, 2u); // [1,4) and [2,3) overlap
    EXPECT_EQ(points[1].time, 10);
    EXPECT_EQ(points[1].tasks, 3u); // 1, 2 until 15, 3 from 12
    EXPECT_EQ(points[1].running, 0u);
    EXPECT_EQ(points[2].tasks, 1u);
    EXPECT_EQ(points[3].tasks, 0u); // task 1 ended at 30
    EXPECT_TRUE(analysis::tasks_in_flight(*m, 10, 10, 4).empty());
    EXPECT_TRUE(analysis::tasks_in_flight(*m, 0, 10, 0).empty());
}

TEST(TaskSummary, CountsAndBusiest) {
    auto m = build_model(R"(
        thread A
        thread B
        A 0 create 1
        A 1 create 2 parent=1
        A 2 create 3 parent=2
        A 3 create 4
        A 10 run 2
        A 15 end 2
        B 16 run 2
        B 17 end 2
        A 20 run 3
        A 40 end 3
        A 41 run 4
        A 42 end 4
        A 50 done 1 ok
        A 51 done 2 cancelled
        A 52 done 3 error
    )");
    const auto c = analysis::count_tasks(*m);
    EXPECT_EQ(c.total, 4u);
    EXPECT_EQ(c.ok, 1u);
    EXPECT_EQ(c.cancelled, 1u);
    EXPECT_EQ(c.error, 1u);
    EXPECT_EQ(c.unfinished, 1u);
    EXPECT_EQ(c.max_depth, 2u);
    EXPECT_EQ(c.migrated, 1u);
    const auto top = analysis::busiest_tasks(*m, 2);
    ASSERT_EQ(top.size(), 2u);
    EXPECT_EQ(m->task(top[0]).task_id, 3u);
    EXPECT_EQ(m->task(top[1]).task_id, 2u);
    EXPECT_EQ(analysis::busiest_tasks(*m, 100).size(), 4u);
}

} // namespace
} // namespace weft::test

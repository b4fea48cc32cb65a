// What the ruler's range holds, on the hand-built query model (see query_fixture.h).

#include "analysis/range_summary.h"

#include "../query/query_fixture.h"

#include <gtest/gtest.h>

using namespace weft;

TEST(RangeSummary, CountsWhatIsInsideTheRange) {
    auto m = test::small_model();
    // [150, 420): main runs B [200,300] and A [400,420 of 500]; worker runs B [350,450] → 70.
    const analysis::RangeSummary r = analysis::range_summary(*m, 150, 420);
    ASSERT_EQ(r.threads.size(), 2u);
    EXPECT_EQ(r.threads[0].thread, ThreadIndex{0}); // the most running first
    EXPECT_EQ(r.threads[0].running, 120);
    EXPECT_EQ(r.threads[0].slices, 2u);
    EXPECT_EQ(r.threads[1].running, 70);
    // A awaits [100,400] (250 inside), B [300,350] (50): one group (same awaitable and location).
    ASSERT_EQ(r.awaits.size(), 1u);
    EXPECT_EQ(r.awaits[0].count, 2u);
    EXPECT_EQ(r.awaits[0].total, 300);
    // The blocking [420,480] starts at the range's end: outside.
    EXPECT_EQ(r.blocking, 0u);
    EXPECT_EQ(r.tasks_alive, 3u);
    EXPECT_EQ(r.tasks_completed, 0u);
}

TEST(RangeSummary, BlockingLagAndCompletions) {
    auto m = test::small_model();
    const analysis::RangeSummary r = analysis::range_summary(*m, 440, 600);
    EXPECT_EQ(r.blocking, 1u);
    EXPECT_EQ(r.blocking_time, 40); // [440,480]
    EXPECT_EQ(r.lag.samples, 1u);   // the sample at 500
    EXPECT_EQ(r.tasks_completed, 1u); // B at 450 (A completes at 600, the range's end: outside)
    // A reversed range is the same range.
    EXPECT_EQ(analysis::range_summary(*m, 600, 440).blocking, 1u);
}

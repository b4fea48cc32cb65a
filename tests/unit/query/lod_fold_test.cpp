#include "query/lod_fold.h"

#include <gtest/gtest.h>

#include <vector>

namespace weft {
namespace {

// A lane over plain vectors that counts how often it is read: the cost of a fold.
struct VectorLane {
    std::vector<Time> b;
    std::vector<Time> e;
    mutable size_t reads = 0;
    size_t size() const { return b.size(); }
    Time begin(size_t p) const { ++reads; return b[p]; }
    Time end(size_t p) const { ++reads; return e[p]; }
    void add(Time begin_, Time end_) { b.push_back(begin_); e.push_back(end_); }
};

struct Mark {
    size_t first, count;
    Time begin, end;
};

std::vector<Mark> fold(const VectorLane& lane, const ViewMapping& view, LodOptions options = {}) {
    std::vector<Mark> marks;
    fold_lane(lane, view, options, [&](size_t p, size_t n, Time b, Time e) { marks.push_back({p, n, b, e}); });
    return marks;
}

TEST(LodFold, MillionOneNanosecondSlicesFoldIntoAtMostOneMarkPerPixel) {
    VectorLane lane;
    const size_t n = 1'000'000;
    for (size_t i = 0; i < n; ++i) lane.add(static_cast<Time>(2 * i), static_cast<Time>(2 * i + 1));
    const ViewMapping view{0, static_cast<Time>(2 * n), 1000};
    lane.reads = 0;
    const auto marks = fold(lane, view);
    EXPECT_LE(marks.size(), 1000u);
    size_t total = 0;
    size_t expected_first = 0;
    for (const Mark& m : marks) {
        EXPECT_EQ(m.first, expected_first); // contiguous, in order, nothing lost or doubled
        expected_first += m.count;
        total += m.count;
    }
    EXPECT_EQ(total, n);
    // Binary-search skipping: reads grow with pixels (x log n), far below one per item.
    EXPECT_LT(lane.reads, n / 10);
}

TEST(LodFold, SparseNarrowItemsStaySeparateButCounted) {
    // 1-ns items 100 px apart in a 10 ns/px view: each is its own mark of one.
    VectorLane lane;
    for (Time t = 0; t < 10'000; t += 1000) lane.add(t, t + 1);
    const auto marks = fold(lane, ViewMapping{0, 10'000, 1000});
    ASSERT_EQ(marks.size(), 10u);
    for (size_t i = 0; i < marks.size(); ++i) {
        EXPECT_EQ(marks[i].first, i);
        EXPECT_EQ(marks[i].count, 1u);
    }
}

TEST(LodFold, WideItemsAreEmittedIndividually) {
    VectorLane lane;
    lane.add(0, 100);    // 10 px
    lane.add(100, 130);  // 3 px: exactly the threshold
    lane.add(130, 131);  // narrow, then a dense group
    lane.add(132, 133);
    lane.add(134, 135);
    lane.add(500, 900);  // wide again
    const auto marks = fold(lane, ViewMapping{0, 1000, 100});
    ASSERT_EQ(marks.size(), 4u);
    EXPECT_EQ(marks[0].count, 1u);
    EXPECT_EQ(marks[1].count, 1u);
    EXPECT_EQ(marks[2].first, 2u);
    EXPECT_EQ(marks[2].count, 3u);
    EXPECT_EQ(marks[2].begin, 130);
    EXPECT_EQ(marks[2].end, 135);
    EXPECT_EQ(marks[3].first, 5u);
}

TEST(LodFold, FoldNeverSwallowsAWideNeighbour) {
    VectorLane lane;
    lane.add(0, 1);
    lane.add(1, 2);
    lane.add(2, 500); // wide, begins inside the fold's pixel
    const auto marks = fold(lane, ViewMapping{0, 1000, 100});
    ASSERT_EQ(marks.size(), 2u);
    EXPECT_EQ(marks[0].count, 2u);
    EXPECT_EQ(marks[1].first, 2u);
    EXPECT_EQ(marks[1].count, 1u);
}

TEST(LodFold, OnlyVisibleItems) {
    VectorLane lane;
    for (Time t = 0; t < 100'000; t += 100) lane.add(t, t + 50);
    // View [10'000, 11'000] at 1 ns/px: items 100..110, each 50 px wide.
    const auto marks = fold(lane, ViewMapping{10'000, 11'000, 1000});
    ASSERT_EQ(marks.size(), 11u);
    EXPECT_EQ(marks.front().first, 100u);
    EXPECT_EQ(marks.back().first, 110u);
    // An item straddling the left edge is included.
    const auto edge = fold(lane, ViewMapping{10'025, 11'000, 975});
    EXPECT_EQ(edge.front().first, 100u);
}

TEST(LodFold, DeepZoomInsideOneItem) {
    VectorLane lane;
    lane.add(0, 1'000'000);
    lane.add(1'000'000, 2'000'000);
    const auto marks = fold(lane, ViewMapping{500, 600, 1000});
    ASSERT_EQ(marks.size(), 1u);
    EXPECT_EQ(marks[0].first, 0u);
}

TEST(LodFold, EmptyAndUnsortedInputTerminate) {
    VectorLane empty;
    EXPECT_TRUE(fold(empty, ViewMapping{0, 100, 100}).empty());
    VectorLane bad; // damaged: out of order, ends before begins
    bad.add(50, 10);
    bad.add(5, 6);
    bad.add(90, 95);
    bad.add(20, -5);
    size_t total = 0;
    for (const Mark& m : fold(bad, ViewMapping{0, 100, 100})) total += m.count;
    EXPECT_LE(total, bad.size());
}

TEST(LodFold, DenseLaneAtEveryZoomStaysBelowOneMarkPerPixel) {
    VectorLane lane;
    // Irregular widths and gaps: 0.5 .. 40 ns items.
    Time t = 0;
    for (Time i = 0; i < 200'000; ++i) {
        const Time w = 1 + (i * 7919) % 40;
        const Time gap = (i * 104729) % 13;
        lane.add(t, t + w);
        t += w + gap;
    }
    for (Time span = t; span >= 1000; span /= 7) {
        const ViewMapping view{t / 3, t / 3 + span, 1920};
        const auto marks = fold(lane, view);
        EXPECT_LE(marks.size(), 1920u) << "span " << span;
        for (size_t i = 1; i < marks.size(); ++i) EXPECT_EQ(marks[i].first, marks[i - 1].first + marks[i - 1].count);
    }
}

} // namespace
} // namespace weft

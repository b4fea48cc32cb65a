// Folding counter tracks into pixel columns: one step per column at most, the exact range of the
// folded values, the same answer with and without the index.
#include "query/counter_fold.h"
#include "query/counter_index.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace weft {
namespace {

Model counter_model(size_t n, Time step, uint64_t seed) {
    Model m;
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> value(-50.0, 50.0);
    for (size_t i = 0; i < n; ++i) {
        m.counter_samples.time.push_back(static_cast<Time>(i) * step);
        m.counter_samples.value.push_back(value(rng));
    }
    m.end = static_cast<Time>(n) * step;
    CounterTrack& track = m.counters.emplace_back();
    track.samples = {0, static_cast<uint32_t>(n)};
    return m;
}

TEST(CounterIndex, RangeMatchesAScanEverywhere) {
    const Model m = counter_model(5000, 1, 3);
    CounterIndex index;
    index.build(m);
    const std::span<const double> values(m.counter_samples.value);
    ASSERT_TRUE(index.covers(values));
    std::mt19937_64 rng(9);
    for (int k = 0; k < 2000; ++k) {
        size_t a = rng() % values.size(), b = rng() % (values.size() + 1);
        if (a > b) std::swap(a, b);
        const ValueRange want = scan_value_range(values, a, b);
        const ValueRange got = index.range(values, a, b);
        if (a == b) {
            EXPECT_TRUE(std::isnan(got.lo));
            continue;
        }
        EXPECT_EQ(got.lo, want.lo) << a << ".." << b;
        EXPECT_EQ(got.hi, want.hi) << a << ".." << b;
    }
}

TEST(CounterIndex, NotANumberValuesAreLeftOut) {
    Model m = counter_model(100, 1, 1);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (size_t i = 0; i < 64; ++i) m.counter_samples.value[i] = nan;
    m.counter_samples.value[70] = 1000;
    CounterIndex index;
    index.build(m);
    const std::span<const double> values(m.counter_samples.value);
    EXPECT_TRUE(std::isnan(index.range(values, 0, 64).lo));
    EXPECT_EQ(index.range(values, 0, 100).hi, 1000);
    EXPECT_EQ(index.range(values, 0, 100).lo, scan_value_range(values, 64, 100).lo);
}

TEST(CounterFold, WideStepsOneByOne) {
    const Model m = counter_model(10, 100, 5); // samples every 100 ns, 1 ns per px
    std::vector<CounterStep> steps;
    fold_counter(m.counter_samples, m.counters[0].samples, m.end, ViewMapping{150, 450, 300}, nullptr,
                 [&](const CounterStep& s) { steps.push_back(s); });
    // The sample at 100 holds at the left edge; the one at 400 is the last to begin in view.
    ASSERT_EQ(steps.size(), 4u);
    EXPECT_EQ(steps[0].begin, 100);
    EXPECT_EQ(steps[0].end, 200);
    EXPECT_EQ(steps[0].count, 1u);
    EXPECT_EQ(steps[0].last, m.counter_samples.value[1]);
    EXPECT_EQ(steps[3].begin, 400);
}

TEST(CounterFold, DenseTrackFoldsPerColumnWithExactRanges) {
    const Model m = counter_model(200'000, 1, 7);
    CounterIndex index;
    index.build(m);
    const ViewMapping view{0, m.end, 500}; // 400 samples per pixel
    const std::span<const double> values(m.counter_samples.value);
    for (const CounterIndex* idx : {static_cast<const CounterIndex*>(nullptr), static_cast<const CounterIndex*>(&index)}) {
        std::vector<CounterStep> steps;
        fold_counter(m.counter_samples, m.counters[0].samples, m.end, view, idx,
                     [&](const CounterStep& s) { steps.push_back(s); });
        EXPECT_LE(steps.size(), 501u);
        uint64_t total = 0;
        int last_column = -1;
        for (const CounterStep& s : steps) {
            total += s.count;
            const int column = static_cast<int>(std::floor(view.x_of(s.begin)));
            EXPECT_GT(column, last_column); // one step per column at most
            last_column = column;
            const ValueRange want = scan_value_range(values, s.first, s.first + s.count);
            EXPECT_EQ(s.lo, want.lo);
            EXPECT_EQ(s.hi, want.hi);
            EXPECT_EQ(s.last, values[s.first + s.count - 1]);
        }
        EXPECT_EQ(total, 200'000u);
    }
}

TEST(CounterFold, EmptyAndOutOfRangeTracks) {
    Model m = counter_model(10, 10, 2);
    int calls = 0;
    fold_counter(m.counter_samples, Range{}, m.end, ViewMapping{0, 100, 100}, nullptr, [&](const CounterStep&) { ++calls; });
    fold_counter(m.counter_samples, Range{50, 10}, m.end, ViewMapping{0, 100, 100}, nullptr, [&](const CounterStep&) { ++calls; });
    fold_counter(m.counter_samples, m.counters[0].samples, m.end, ViewMapping{-100, -50, 100}, nullptr,
                 [&](const CounterStep&) { ++calls; });
    EXPECT_EQ(calls, 0);
}

} // namespace
} // namespace weft

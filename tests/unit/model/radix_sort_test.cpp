// The finishing passes' radix sort must give exactly what a comparison sort gives: stable on the
// key, with ties then ordered by the full comparison, for any spread of keys.

#include "model/radix_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <vector>

namespace weft::detail {
namespace {

struct Rec {
    int64_t time;
    uint32_t tie;
    uint32_t index; // original position
};

PodBuffer<Rec> random_records(size_t n, int64_t lo, int64_t hi, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int64_t> time(lo, hi);
    PodBuffer<Rec> v;
    for (size_t i = 0; i < n; ++i) v.push_back(Rec{time(rng), static_cast<uint32_t>(rng() % 5), static_cast<uint32_t>(i)});
    return v;
}

auto by_time(const Rec& r) {
    return ordered_bits(r.time);
}

TEST(RadixSort, StableByKeyAcrossSpreads) {
    const int64_t kMax = std::numeric_limits<int64_t>::max();
    const std::pair<int64_t, int64_t> spreads[] = {{0, 0}, {0, 3}, {-50, 50}, {0, 1 << 20}, {-kMax, kMax}, {kMax - 10, kMax}};
    for (const auto& [lo, hi] : spreads) {
        for (size_t n : {0u, 1u, 2u, 1000u, 50000u}) {
            PodBuffer<Rec> v = random_records(n, lo, hi, n + static_cast<uint64_t>(hi));
            std::vector<Rec> expected(v.begin(), v.end());
            std::stable_sort(expected.begin(), expected.end(), [](const Rec& a, const Rec& b) { return a.time < b.time; });
            PodBuffer<Rec> scratch;
            radix_sort(v, scratch, by_time);
            ASSERT_EQ(v.size(), expected.size());
            for (size_t i = 0; i < n; ++i) {
                ASSERT_EQ(v[i].time, expected[i].time) << "spread " << lo << ".." << hi << " at " << i;
                ASSERT_EQ(v[i].index, expected[i].index) << "not stable, spread " << lo << ".." << hi << " at " << i;
            }
        }
    }
}

TEST(RadixSort, SortByKeyOrdersTiesByTheFullComparison) {
    auto less = [](const Rec& a, const Rec& b) {
        if (a.time != b.time) return a.time < b.time;
        if (a.tie != b.tie) return a.tie > b.tie; // not the original order: ties must be sorted
        return a.index < b.index;
    };
    PodBuffer<Rec> v = random_records(20000, -30, 30, 5); // many ties
    std::vector<Rec> expected(v.begin(), v.end());
    std::sort(expected.begin(), expected.end(), less);
    sort_by_keys(v, less, by_time);
    for (size_t i = 0; i < expected.size(); ++i) ASSERT_EQ(v[i].index, expected[i].index) << i;
}

TEST(RadixSort, SortByTwoKeysMostSignificantFirst) {
    auto less = [](const Rec& a, const Rec& b) {
        if (a.tie != b.tie) return a.tie < b.tie; // first key
        if (a.time != b.time) return a.time < b.time; // second key
        return a.index > b.index;                 // the rest, against the original order
    };
    PodBuffer<Rec> v = random_records(20000, -1000, 1000, 9);
    std::vector<Rec> expected(v.begin(), v.end());
    std::sort(expected.begin(), expected.end(), less);
    sort_by_keys(v, less, [](const Rec& r) { return uint64_t{r.tie}; }, by_time);
    for (size_t i = 0; i < expected.size(); ++i) ASSERT_EQ(v[i].index, expected[i].index) << i;
}

} // namespace
} // namespace weft::detail

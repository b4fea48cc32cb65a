// The builder's storage helpers: the task id map (dense array with a hash fallback) must behave
// exactly like a plain map whatever the ids look like, and the append buffer must keep its contents
// across growth, including the switch from malloc'd to mapped memory.

#include "model/builder_state.h"
#include "model/huge_buffer.h"
#include "model/id_table.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <random>
#include <utility>
#include <vector>

namespace weft {
namespace {

using detail::PodBuffer;

// Drives a TaskIdMap and a std::map with the same inserts, then checks every lookup agrees.
void check_against_reference(const std::vector<std::pair<uint32_t, uint64_t>>& keys) {
    TaskIdMap map;
    std::map<std::pair<uint32_t, uint64_t>, uint32_t> ref;
    for (const auto& [process, id] : keys) {
        const auto fresh = static_cast<uint32_t>(ref.size());
        bool inserted = false;
        const uint32_t got = map.find_or_insert(process, id, fresh, inserted);
        const auto [it, ref_inserted] = ref.emplace(std::pair(process, id), fresh);
        ASSERT_EQ(inserted, ref_inserted) << "process " << process << " id " << id;
        ASSERT_EQ(got, it->second) << "process " << process << " id " << id;
    }
    for (const auto& [key, index] : ref) EXPECT_EQ(map.find(key.first, key.second), index);
    EXPECT_EQ(map.find(0, 0xDEADBEEFCAFEull), TaskIdMap::kNone);
    EXPECT_EQ(map.find(99, 1), TaskIdMap::kNone);
}

TEST(TaskIdMap, DenseCounterIds) {
    std::vector<std::pair<uint32_t, uint64_t>> keys;
    for (uint64_t id = 1; id <= 100'000; ++id) keys.emplace_back(0, id);
    for (uint64_t id = 1; id <= 100'000; id += 7) keys.emplace_back(0, id); // repeats
    check_against_reference(keys);
}

TEST(TaskIdMap, SparseAndHugeIds) {
    std::mt19937_64 rng(7);
    std::vector<std::pair<uint32_t, uint64_t>> keys;
    for (int i = 0; i < 20'000; ++i) keys.emplace_back(0, rng() | (uint64_t{1} << 63));
    keys.emplace_back(0, ~uint64_t{0});
    keys.emplace_back(0, uint64_t{1} << 40);
    for (size_t i = 0; i < 5'000; ++i) keys.push_back(keys[i * 3]);
    check_against_reference(keys);
}

TEST(TaskIdMap, IdsStoredSparseMoveWhenTheArrayGrowsOverThem) {
    // Ids far ahead of the counter go to the hash table first; once enough tasks exist the array
    // grows over them and they must still be found, once.
    std::vector<std::pair<uint32_t, uint64_t>> keys;
    for (uint64_t id : {5'000ull, 9'000ull, 20'000ull, 60'000ull}) keys.emplace_back(0, id);
    for (uint64_t id = 1; id <= 70'000; ++id) keys.emplace_back(0, id);
    check_against_reference(keys);
}

TEST(TaskIdMap, ProcessesAreSeparate) {
    std::mt19937_64 rng(11);
    std::vector<std::pair<uint32_t, uint64_t>> keys;
    for (int i = 0; i < 50'000; ++i) {
        const auto process = static_cast<uint32_t>(rng() % 5);
        // Mostly small counters shared between processes, some wild ids.
        const uint64_t id = rng() % 10 == 0 ? rng() : 1 + rng() % 20'000;
        keys.emplace_back(process, id);
    }
    check_against_reference(keys);
}

TEST(PodBuffer, KeepsValuesAcrossGrowthIntoMappedMemory) {
    struct Item {
        uint64_t a;
        uint32_t b;
    };
    PodBuffer<Item> buf;
    constexpr size_t kCount = 300'000; // 4.8 MB: past the point where the buffer maps its own pages
    for (size_t i = 0; i < kCount; ++i) buf.push_back(Item{i * 3, static_cast<uint32_t>(i)});
    ASSERT_EQ(buf.size(), kCount);
    for (size_t i = 0; i < kCount; ++i) {
        ASSERT_EQ(buf[i].a, i * 3);
        ASSERT_EQ(buf[i].b, static_cast<uint32_t>(i));
    }
    PodBuffer<Item> moved = std::move(buf);
    EXPECT_TRUE(buf.empty());
    ASSERT_EQ(moved.size(), kCount);
    EXPECT_EQ(moved.back().a, (kCount - 1) * 3);
    moved.pop_back();
    EXPECT_EQ(moved.size(), kCount - 1);
    moved.release();
    EXPECT_TRUE(moved.empty());
    moved.push_back(Item{1, 2}); // usable again after release
    EXPECT_EQ(moved[0].b, 2u);
}

TEST(PodBuffer, ResizeValueInitialisesAndOverwriteKeepsSize) {
    PodBuffer<uint32_t> buf;
    buf.push_back(9);
    buf.resize(1000);
    EXPECT_EQ(buf[0], 9u);
    for (size_t i = 1; i < 1000; ++i) ASSERT_EQ(buf[i], 0u);
    buf.resize_for_overwrite(500'000);
    EXPECT_EQ(buf.size(), 500'000u);
    EXPECT_EQ(buf[0], 9u);
    buf.clear();
    EXPECT_TRUE(buf.empty());
}

TEST(PodBuffer, CopiesAreIndependent) {
    PodBuffer<uint64_t> a;
    for (uint64_t i = 0; i < 200'000; ++i) a.push_back(i);
    PodBuffer<uint64_t> b = a;
    ASSERT_EQ(b.size(), a.size());
    b[5] = 77;
    EXPECT_EQ(a[5], 5u);
    EXPECT_EQ(b[199'999], 199'999u);
    PodBuffer<uint64_t> c;
    c.push_back(1);
    c = b;
    EXPECT_EQ(c.size(), 200'000u);
    EXPECT_EQ(c[5], 77u);
}

// Mapped buffers grow by whole huge pages from huge-page boundaries, moving their pages when the
// addresses after them are taken; the contents must survive every move.
TEST(PodBuffer, MappedGrowthKeepsContentsAndAlignment) {
    PodBuffer<uint64_t> a, b;
    for (uint64_t i = 0; i < 3'000'000; ++i) {
        a.push_back(i);
        b.push_back(~i); // interleaved growth, so in-place growth is not always possible
    }
    for (uint64_t i = 0; i < 3'000'000; ++i) {
        ASSERT_EQ(a[i], i);
        ASSERT_EQ(b[i], ~i);
    }
    constexpr uintptr_t kHuge = uintptr_t{2} << 20;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(a.data()) % kHuge, 0u);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(b.data()) % kHuge, 0u);
    a.release();
    EXPECT_TRUE(a.empty());
    EXPECT_EQ(b[2'999'999], ~uint64_t{2'999'999});
}

TEST(ForestDepths, ParentsBeforeOrAfterTheirChildrenAndCyclesBroken) {
    constexpr uint32_t kNone = detail::kNone;
    // 0 <- 1 <- 2 (parents first); 4 -> 3 (a parent after its child); 5 -> 6 -> 7 -> 5 (a cycle,
    // which only damaged data can make); 8 names a parent that does not exist.
    std::vector<uint32_t> parent = {kNone, 0, 1, 4, kNone, 6, 7, 5, 99};
    const std::vector<uint16_t> depth = detail::forest_depths(parent);
    EXPECT_EQ(depth, (std::vector<uint16_t>{0, 1, 2, 1, 0, 2, 1, 0, 0}));
    // The cycle is broken at one node, which becomes a root; the rest hang under it.
    EXPECT_EQ(parent[7], kNone);
    EXPECT_EQ(parent[5], 6u);
    EXPECT_EQ(parent[8], kNone);
    for (size_t i = 0; i < parent.size(); ++i)
        if (parent[i] != kNone) EXPECT_EQ(depth[i], depth[parent[i]] + 1) << i;
}

TEST(PreparedVectors, FilledAndCopiedHoldWhatTheySay) {
    const std::vector<uint32_t> filled = detail::filled_vector<uint32_t>(1'000'000, 7u);
    ASSERT_EQ(filled.size(), 1'000'000u);
    for (uint32_t v : filled) ASSERT_EQ(v, 7u);
    std::vector<uint32_t> source(300'000);
    for (size_t i = 0; i < source.size(); ++i) source[i] = static_cast<uint32_t>(i * 3);
    const std::vector<uint32_t> copy = detail::copied_vector(source.begin() + 1, source.end());
    ASSERT_EQ(copy.size(), source.size() - 1);
    EXPECT_EQ(copy.front(), 3u);
    EXPECT_EQ(copy.back(), source.back());
    EXPECT_TRUE(detail::filled_vector<uint16_t>(0, 1).empty());
}

TEST(ReserveExact, ReservesAtLeastTheCountAndKeepsContents) {
    std::vector<uint64_t> v{1, 2, 3};
    detail::reserve_exact(v, 2'000'000);
    EXPECT_GE(v.capacity(), 2'000'000u);
    EXPECT_EQ(v.size(), 3u);
    EXPECT_EQ(v[2], 3u);
    for (uint64_t i = 0; i < 2'000'000; ++i) v.push_back(i);
    EXPECT_EQ(v.back(), 1'999'999u);
}

} // namespace
} // namespace weft

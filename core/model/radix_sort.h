#pragma once
// Sorting for the finishing passes. Their arrays hold hundreds of thousands of records whose order
// is decided by one integer key (a creation time, a span id) and, only for records that tie on it,
// by further fields. A stable least-significant-digit radix sort on that key touches each record a
// few times, where a comparison sort compares each one some twenty times; the ties are then put in
// order by the full comparison, run by run. Internal to core/model.

#include "model/huge_buffer.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <utility>
#include <vector>

namespace weft::detail {

// An order-preserving map of a signed key onto the unsigned range, for radix_sort's `key`.
constexpr uint64_t ordered_bits(int64_t v) {
    return static_cast<uint64_t>(v) ^ (uint64_t{1} << 63);
}

// Sorts `v` stably by key(x), an unsigned integer: digit by digit, 11 bits at a time, over the
// bits in which keys differ. `scratch` is working memory (resized to v.size()); after the call it
// holds whatever the last pass left.
template <class T, class Key>
void radix_sort(PodBuffer<T>& v, PodBuffer<T>& scratch, Key key) {
    const size_t n = v.size();
    if (n < 2) return;
    uint64_t lo = key(v[0]), hi = lo;
    for (size_t i = 1; i < n; ++i) {
        const uint64_t k = key(v[i]);
        lo = std::min(lo, k);
        hi = std::max(hi, k);
    }
    const unsigned bits = static_cast<unsigned>(std::bit_width(hi - lo));
    constexpr unsigned kDigitBits = 11;
    constexpr size_t kBuckets = size_t{1} << kDigitBits;
    const unsigned passes = (bits + kDigitBits - 1) / kDigitBits;
    if (passes == 0) return; // every key is the same: already in (stable) order

    // Every pass's histogram in one read of the keys.
    std::vector<std::array<uint32_t, kBuckets>> counts(passes);
    for (auto& c : counts) c.fill(0);
    for (size_t i = 0; i < n; ++i) {
        const uint64_t k = key(v[i]) - lo;
        for (unsigned p = 0; p < passes; ++p) ++counts[p][(k >> (p * kDigitBits)) & (kBuckets - 1)];
    }
    scratch.resize_for_overwrite(n);
    for (unsigned p = 0; p < passes; ++p) {
        std::array<uint32_t, kBuckets>& c = counts[p];
        if (*std::max_element(c.begin(), c.end()) == n) continue; // this digit is the same everywhere
        uint32_t sum = 0;
        for (uint32_t& x : c) sum += std::exchange(x, sum);
        const unsigned shift = p * kDigitBits;
        for (size_t i = 0; i < n; ++i) {
            const T& x = v[i];
            scratch[c[((key(x) - lo) >> shift) & (kBuckets - 1)]++] = x;
        }
        std::swap(v, scratch);
    }
}

// After a stable sort by a first criterion alone, puts each run of records that `same` says tie on
// it in the order `less` gives (a total order that begins with that criterion), so the whole is
// sorted by `less`.
template <class T, class Same, class Less>
void order_ties(PodBuffer<T>& v, Same same, Less less) {
    const size_t n = v.size();
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && same(v[i], v[j])) ++j;
        if (j - i > 1 && !std::is_sorted(v.begin() + i, v.begin() + j, less)) std::sort(v.begin() + i, v.begin() + j, less);
        i = j;
    }
}

// Stable radix passes by each key in turn, the last one listed first, so that the first one
// listed ends up the most significant.
template <class T>
void radix_passes(PodBuffer<T>&, PodBuffer<T>&) {}
template <class T, class First, class... Rest>
void radix_passes(PodBuffer<T>& v, PodBuffer<T>& scratch, First first, Rest... rest) {
    radix_passes(v, scratch, rest...);
    radix_sort(v, scratch, first);
}

// Sorts `v` by `less`, whose first criteria are the keys, most significant first (each key(x) an
// unsigned integer): radix passes on the keys, then the records that tie on all of them by the
// rest of `less`.
template <class T, class Less, class... Keys>
void sort_by_keys(PodBuffer<T>& v, Less less, Keys... keys) {
    if (std::is_sorted(v.begin(), v.end(), less)) return; // often so: producers count ids up
    PodBuffer<T> scratch;
    radix_passes(v, scratch, keys...);
    order_ties(v, [&](const T& a, const T& b) { return ((keys(a) == keys(b)) && ...); }, less);
}

} // namespace weft::detail

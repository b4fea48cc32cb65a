#pragma once
// The lowest and highest value of any run of counter samples in O(log n), so that folding a
// counter track into pixel columns costs per column, not per sample (query/counter_fold.h).
//
// A pyramid over Model::counter_samples.value: level k holds the minimum and maximum of each
// aligned block of 16 << k samples. Tracks are contiguous runs of that one array, so one pyramid
// serves them all. Built once per model in one linear pass; it holds about a quarter as many
// numbers as the samples. Not-a-number samples (a counter without a value) are left out.

#include "model/model.h"

#include <cstdint>
#include <span>
#include <vector>

namespace weft {

struct ValueRange {
    double lo; // NaN when every value in the range is NaN (or the range is empty)
    double hi;
};

// The range of values[first, last) by looking at each one.
ValueRange scan_value_range(std::span<const double> values, size_t first, size_t last);

class CounterIndex {
public:
    static constexpr uint32_t kLeafShift = 4; // level 0 blocks hold 16 samples

    void build(const Model& model);
    void clear();
    // True when built for a sample array of this size (a model swapped for another is not).
    bool covers(std::span<const double> values) const { return m_size == values.size() && m_size != 0; }
    // The range of values[first, last); `values` must be the array the index was built from.
    ValueRange range(std::span<const double> values, size_t first, size_t last) const;

private:
    std::vector<std::vector<double>> m_lo; // m_lo[k][b]: min of block b at level k
    std::vector<std::vector<double>> m_hi;
    size_t m_size = 0;
};

} // namespace weft

#pragma once
// Nearest-rank percentiles: the p-th percentile of n values is the value at rank ceil(p/100 * n)
// (1-based) in ascending order, so it is always one of the values. Internal to core/analysis.

#include "model/ids.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace weft::analysis::detail {

// 0-based index in ascending order of the p-th percentile of n values (n > 0).
inline size_t percentile_rank(size_t n, double p) {
    const double r = std::ceil(p / 100.0 * static_cast<double>(n));
    const size_t rank = r < 1 ? 1 : static_cast<size_t>(r);
    return std::min(rank, n) - 1;
}

// Reorders `values`; O(n) on average.
inline Time percentile(std::vector<Time>& values, double p) {
    if (values.empty()) return 0;
    const auto k = static_cast<ptrdiff_t>(percentile_rank(values.size(), p));
    std::nth_element(values.begin(), values.begin() + k, values.end());
    return values[static_cast<size_t>(k)];
}

} // namespace weft::analysis::detail

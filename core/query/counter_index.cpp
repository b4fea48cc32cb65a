#include "query/counter_index.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace weft {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// fmin/fmax return the other operand when one is NaN: NaN samples drop out, and a block of NaNs
// stays NaN.
void widen(ValueRange& r, double lo, double hi) {
    r.lo = std::fmin(r.lo, lo);
    r.hi = std::fmax(r.hi, hi);
}

} // namespace

ValueRange scan_value_range(std::span<const double> values, size_t first, size_t last) {
    ValueRange r{kNaN, kNaN};
    last = std::min(last, values.size());
    for (size_t i = first; i < last; ++i) widen(r, values[i], values[i]);
    return r;
}

void CounterIndex::clear() {
    m_lo.clear();
    m_hi.clear();
    m_size = 0;
}

void CounterIndex::build(const Model& model) {
    clear();
    const std::span<const double> values(model.counter_samples.value);
    m_size = values.size();
    const size_t leaf = size_t{1} << kLeafShift;
    if (values.size() < 2 * leaf) return; // short enough to scan
    std::vector<double> lo(values.size() / leaf), hi(values.size() / leaf);
    for (size_t b = 0; b < lo.size(); ++b) {
        const ValueRange r = scan_value_range(values, b * leaf, (b + 1) * leaf);
        lo[b] = r.lo;
        hi[b] = r.hi;
    }
    m_lo.push_back(std::move(lo));
    m_hi.push_back(std::move(hi));
    while (m_lo.back().size() >= 2) {
        const std::vector<double>& plo = m_lo.back();
        const std::vector<double>& phi = m_hi.back();
        std::vector<double> nlo(plo.size() / 2), nhi(plo.size() / 2);
        for (size_t b = 0; b < nlo.size(); ++b) {
            nlo[b] = std::fmin(plo[2 * b], plo[2 * b + 1]);
            nhi[b] = std::fmax(phi[2 * b], phi[2 * b + 1]);
        }
        m_lo.push_back(std::move(nlo));
        m_hi.push_back(std::move(nhi));
    }
}

ValueRange CounterIndex::range(std::span<const double> values, size_t first, size_t last) const {
    if (!covers(values) || m_lo.empty()) return scan_value_range(values, first, last);
    last = std::min(last, values.size());
    ValueRange r{kNaN, kNaN};
    size_t i = first;
    while (i < last) {
        const size_t leaf = size_t{1} << kLeafShift;
        if (i % leaf != 0 || last - i < leaf) {
            widen(r, values[i], values[i]);
            ++i;
            continue;
        }
        // The largest aligned block starting at i that fits in [i, last).
        size_t level = 0;
        while (level + 1 < m_lo.size()) {
            const size_t size = leaf << (level + 1);
            if (i % size != 0 || last - i < size) break;
            ++level;
        }
        const size_t block = i >> (kLeafShift + level);
        if (block >= m_lo[level].size()) { // past the last whole block: the tail is scanned
            widen(r, values[i], values[i]);
            ++i;
            continue;
        }
        widen(r, m_lo[level][block], m_hi[level][block]);
        i += leaf << level;
    }
    return r;
}

} // namespace weft

#pragma once
// Portable random draws for the synthetic workload. The standard distributions are
// implementation-defined, so the same seed could give different traces with another standard
// library; these are computed here from the raw 64-bit engine output.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>

namespace weft::synth {

using Rng = std::mt19937_64;

struct SimRandom {
    // Uniform in [0, 1), 53 bits.
    double uniform(Rng& rng) const { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }
    bool coin(Rng& rng, double p) const { return uniform(rng) < p; }
    // Uniform integer in [lo, hi]; the modulo bias is negligible for the small ranges used here.
    uint64_t range(Rng& rng, uint64_t lo, uint64_t hi) const { return lo + rng() % (hi - lo + 1); }
    // Standard normal by Box-Muller (one of the pair is enough here).
    double normal(Rng& rng) const {
        const double u1 = 1.0 - uniform(rng); // (0, 1]: log stays finite
        const double u2 = uniform(rng);
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
    // Log-normal around `median` (same unit out as in); `sigma` widens the tail.
    int64_t lognormal(Rng& rng, double median, double sigma) const {
        const double v = median * std::exp(sigma * std::clamp(normal(rng), -6.0, 6.0));
        return static_cast<int64_t>(v);
    }
    double lognormal_ms(Rng& rng, double median, double sigma) const {
        return median * std::exp(sigma * std::clamp(normal(rng), -6.0, 6.0));
    }
    int64_t exponential(Rng& rng, double mean) const {
        return static_cast<int64_t>(-mean * std::log(1.0 - uniform(rng)));
    }
};

} // namespace weft::synth

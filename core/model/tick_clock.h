#pragma once
// Converts a process's ticks to model Time (ns since Model::origin_ns) without overflow:
// ns = offset + (t - start_ticks) * 1e9 / frequency. Nanosecond clocks (the common case) take an
// exact integer path; other frequencies multiply by a double, whose 53-bit mantissa keeps any
// realistic trace (months of ticks) exact to well under a nanosecond of relative error.

#include "model/ids.h"

#include <algorithm>
#include <cstdint>
#include <limits>

namespace weft {

class TickClock {
public:
    TickClock() = default;
    TickClock(int64_t start_ticks, uint64_t frequency, Time offset)
        : m_start(start_ticks), m_offset(offset),
          m_exact(frequency == 1'000'000'000 || frequency == 0),
          m_scale(frequency == 0 ? 1.0 : 1e9 / static_cast<double>(frequency)) {}

    // Absolute ticks to model time, clamped to +-2^62 ns (146 years) so that the difference of any
    // two times still fits in a Time.
    // The builder converts every event's ticks: nanosecond ticks without overflow take an inlined
    // path, the rest a call.
    [[gnu::always_inline]] Time at(int64_t ticks) const {
        int64_t d;
        Time r;
        if (m_exact && !__builtin_sub_overflow(ticks, m_start, &d) && !__builtin_add_overflow(m_offset, d, &r))
            return std::clamp(r, -kLimit, kLimit);
        return at_any(ticks);
    }

    // A duration in ticks (lag, blocking) to nanoseconds.
    Time duration(int64_t ticks) const {
        if (m_exact) return ticks;
        return from_double(static_cast<double>(ticks) * m_scale);
    }
    Time duration(uint64_t ticks) const {
        const uint64_t capped = ticks > uint64_t(std::numeric_limits<int64_t>::max())
                                    ? uint64_t(std::numeric_limits<int64_t>::max())
                                    : ticks;
        return duration(static_cast<int64_t>(capped));
    }

    static Time saturating_add(Time a, Time b) {
        Time r;
        if (__builtin_add_overflow(a, b, &r)) return a < 0 ? kMin : kMax;
        return r;
    }

    static constexpr Time kLimit = (Time{1} << 62) - 1;

private:
    [[gnu::noinline]] Time at_any(int64_t ticks) const {
        return std::clamp(saturating_add(m_offset, span(ticks, m_start)), -kLimit, kLimit);
    }

    // kNoTime is INT64_MIN: keep real times one above it so they never read as "none".
    static constexpr Time kMin = std::numeric_limits<Time>::min() + 1;
    static constexpr Time kMax = std::numeric_limits<Time>::max();

    Time span(int64_t ticks, int64_t start) const {
        int64_t d;
        if (__builtin_sub_overflow(ticks, start, &d)) {
            if (m_exact) return ticks < start ? kMin : kMax;
            return from_double((static_cast<double>(ticks) - static_cast<double>(start)) * m_scale);
        }
        return duration(d);
    }
    static Time from_double(double ns) {
        if (ns >= 9.2e18) return kMax;
        if (ns <= -9.2e18) return kMin;
        return static_cast<Time>(ns);
    }

    int64_t m_start = 0;
    Time m_offset = 0;
    bool m_exact = true;
    double m_scale = 1.0;
};

} // namespace weft

#include "query/axis_ticks.h"

#include <cmath>

namespace weft {

namespace {
Time floor_to(Time t, Time step) {
    Time q = t / step;
    if (t % step != 0 && t < 0) --q;
    return q * step;
}
} // namespace

AxisTicks axis_ticks(const ViewMapping& view, double min_spacing_px) {
    AxisTicks ticks;
    const double wanted = std::max(min_spacing_px, 1.0) * view.ns_per_px();
    Time step = 1;
    int minor_div = 5;
    // 1, 2, 5, 10, 20, 50 ...: the first step at least `wanted` ns.
    for (Time decade = 1; decade <= Time{1'000'000'000'000'000'000}; decade *= 10) {
        if (static_cast<double>(decade) >= wanted) { step = decade; minor_div = 5; break; }
        if (static_cast<double>(2 * decade) >= wanted) { step = 2 * decade; minor_div = 2; break; }
        if (static_cast<double>(5 * decade) >= wanted) { step = 5 * decade; minor_div = 5; break; }
    }
    ticks.step = step;
    const Time minor_step = step / minor_div > 0 ? step / minor_div : step;
    // Bounded: the view spans at most width / min_spacing major steps, plus the edges.
    for (Time t = floor_to(view.begin, step); t <= view.end && ticks.major.size() < 10'000; t += step) {
        if (t >= view.begin) ticks.major.push_back(t);
        if (minor_step == step) continue;
        for (int k = 1; k < minor_div; ++k) {
            const Time m = t + k * minor_step;
            if (m >= view.begin && m <= view.end) ticks.minor.push_back(m);
        }
    }
    return ticks;
}

} // namespace weft

#include "query/view_mapping.h"

#include <cmath>
#include <limits>

namespace weft {

Time ViewMapping::time_at(double x) const {
    const double t = static_cast<double>(begin) + x * ns_per_px();
    // Saturate rather than overflow: a pointer far outside a deep zoom can be billions of px away.
    constexpr double kMax = 9.0e18;
    if (!(t < kMax)) return std::numeric_limits<Time>::max();
    if (!(t > -kMax)) return std::numeric_limits<Time>::min() + 1;
    return static_cast<Time>(std::llround(t));
}

} // namespace weft

#include "query/axis_ticks.h"
#include "query/view_mapping.h"
#include "query/zoom_state.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace weft {
namespace {

struct MappingCase {
    std::string name;
    Time begin;
    Time end;
    double width;
    Time probe;      // a time to map
    double expect_x; // where it lands
};

class MappingTable : public ::testing::TestWithParam<MappingCase> {};

TEST_P(MappingTable, MapsAndRoundTrips) {
    const MappingCase& c = GetParam();
    const ViewMapping m{c.begin, c.end, c.width};
    EXPECT_NEAR(m.x_of(c.probe), c.expect_x, 1e-6);
    // time -> x -> time is exact to the nanosecond whatever the zoom...
    EXPECT_EQ(m.time_at(m.x_of(c.probe)), c.probe);
    // ... and x -> time -> x is exact to within one nanosecond's worth of pixels.
    for (double x : {0.0, 1.0, 0.5 * c.width, c.width - 1, c.width}) {
        EXPECT_NEAR(m.x_of(m.time_at(x)), x, m.px_per_ns() * 0.5 + 1e-9) << "x=" << x;
    }
}

INSTANTIATE_TEST_SUITE_P(
    ViewMapping, MappingTable,
    ::testing::Values(MappingCase{"whole_second", 0, 1'000'000'000, 1000, 500'000'000, 500},
                      MappingCase{"offset_start", 1000, 2000, 100, 1500, 50},
                      MappingCase{"before_view", 1000, 2000, 100, 0, -100},
                      MappingCase{"after_view", 1000, 2000, 100, 3000, 200},
                      MappingCase{"deep_zoom_sub_ns_pixels", 5'000'000'000, 5'000'000'100, 1000, 5'000'000'042, 420},
                      MappingCase{"negative_times", -500, 500, 1000, 0, 500},
                      MappingCase{"hour_long_trace", 0, 3'600'000'000'000, 1920, 1'800'000'000'000, 960},
                      MappingCase{"odd_width", 0, 777, 333, 777, 333}),
    [](const auto& info) { return info.param.name; });

TEST(ViewMapping, SaturatesFarOutside) {
    const ViewMapping m{0, 10, 10};
    EXPECT_EQ(m.time_at(1e30), std::numeric_limits<Time>::max());
    EXPECT_LT(m.time_at(-1e30), Time{-1'000'000'000'000'000'000});
    EXPECT_LT(m.x_of(kNoTime), -1e9); // no overflow: far left
}

TEST(ZoomState, FitAllCoversTraceWithMargin) {
    ZoomState z;
    z.set_width(1000);
    z.set_bounds(1000, 101'000);
    EXPECT_LE(z.begin(), 1000);
    EXPECT_GE(z.end(), 101'000);
    EXPECT_EQ(z.begin(), z.bounds_begin());
    EXPECT_EQ(z.end(), z.bounds_end());
}

TEST(ZoomState, ZoomKeepsAnchorTime) {
    ZoomState z;
    z.set_width(1000);
    z.set_bounds(0, 1'000'000);
    const ViewMapping before = z.mapping();
    const Time anchor = before.time_at(250);
    ASSERT_TRUE(z.zoom(4.0, 250));
    EXPECT_NEAR(static_cast<double>(z.end() - z.begin()), static_cast<double>(before.span()) / 4, 2);
    EXPECT_NEAR(static_cast<double>(z.mapping().time_at(250)), static_cast<double>(anchor), 2);
    ASSERT_TRUE(z.zoom(0.25, 250));
    EXPECT_NEAR(static_cast<double>(z.end() - z.begin()), static_cast<double>(before.span()), 4);
}

TEST(ZoomState, ZoomInStopsAtMinimumSpan) {
    ZoomState z;
    z.set_width(1000);
    z.set_bounds(0, 1'000'000'000);
    for (int i = 0; i < 200; ++i) z.zoom(2.0, 500);
    EXPECT_EQ(z.end() - z.begin(), z.min_span());
    EXPECT_EQ(z.min_span(), 100); // 0.1 ns per px over 1000 px
    EXPECT_FALSE(z.zoom(2.0, 500));
}

TEST(ZoomState, ZoomOutStopsAtBounds) {
    ZoomState z;
    z.set_width(800);
    z.set_bounds(0, 10'000);
    z.zoom(8, 400);
    for (int i = 0; i < 50; ++i) z.zoom(0.5, 100);
    EXPECT_EQ(z.begin(), z.bounds_begin());
    EXPECT_EQ(z.end(), z.bounds_end());
}

TEST(ZoomState, PanMovesByPixelsAndClamps) {
    ZoomState z;
    z.set_width(1000);
    z.set_bounds(0, 1'000'000);
    z.set_range(400'000, 500'000); // 100 ns per px
    ASSERT_TRUE(z.pan_px(-10));    // drag left: later times
    EXPECT_EQ(z.begin(), 401'000);
    EXPECT_EQ(z.end(), 501'000);
    z.pan_px(1e9); // far right drag: stops at the start, span kept
    EXPECT_EQ(z.begin(), z.bounds_begin());
    EXPECT_EQ(z.end() - z.begin(), 100'000);
}

TEST(ZoomState, SetRangeTooNarrowWidensAroundCentre) {
    ZoomState z;
    z.set_width(1000);
    z.set_bounds(0, 1'000'000);
    z.set_range(5000, 5010);
    EXPECT_EQ(z.end() - z.begin(), 100);
    EXPECT_EQ(z.begin(), 4955);
}

TEST(ZoomState, RevealPansOrZooms) {
    ZoomState z;
    z.set_width(1000);
    z.set_bounds(0, 1'000'000);
    z.set_range(0, 10'000);
    EXPECT_TRUE(z.reveal(500'000, 501'000)); // fits: pan, keep span
    EXPECT_EQ(z.end() - z.begin(), 10'000);
    EXPECT_LE(z.begin(), 500'000);
    EXPECT_GE(z.end(), 501'000);
    EXPECT_TRUE(z.reveal(100'000, 300'000)); // too wide: zoom out
    EXPECT_LE(z.begin(), 100'000);
    EXPECT_GE(z.end(), 300'000);
    EXPECT_FALSE(z.reveal(150'000, 160'000)); // already visible
}

TEST(ZoomState, HostileBoundsDoNotOverflow) {
    ZoomState z;
    z.set_width(1920);
    z.set_bounds(std::numeric_limits<Time>::min(), std::numeric_limits<Time>::max());
    EXPECT_LT(z.begin(), z.end());
    z.zoom(1e-9, 0);
    z.pan_px(1e12);
    z.pan_px(-1e12);
    EXPECT_LT(z.begin(), z.end());
}

struct TickCase {
    std::string name;
    Time begin;
    Time end;
    Time expect_step;
};
class TickTable : public ::testing::TestWithParam<TickCase> {};

TEST_P(TickTable, PicksOneTwoFiveSteps) {
    const TickCase& c = GetParam();
    const ViewMapping m{c.begin, c.end, 1000};
    const AxisTicks t = axis_ticks(m, 90);
    EXPECT_EQ(t.step, c.expect_step);
    ASSERT_FALSE(t.major.empty());
    for (Time tick : t.major) {
        EXPECT_EQ(tick % t.step, 0);
        EXPECT_GE(tick, c.begin);
        EXPECT_LE(tick, c.end);
    }
    for (size_t i = 1; i < t.major.size(); ++i) EXPECT_GE(m.x_of(t.major[i]) - m.x_of(t.major[i - 1]), 90 - 1e-9);
}

INSTANTIATE_TEST_SUITE_P(AxisTicks, TickTable,
                         ::testing::Values(TickCase{"ns", 0, 100, 10}, TickCase{"us", 0, 1'000'000, 100'000},
                                           TickCase{"odd_span", 3, 4'003, 500},
                                           TickCase{"seconds", 0, 60'000'000'000, 10'000'000'000},
                                           TickCase{"negative", -2'000, 2'000, 500}),
                         [](const auto& info) { return info.param.name; });

} // namespace
} // namespace weft

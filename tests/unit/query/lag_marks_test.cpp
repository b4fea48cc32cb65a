// Lag marks carry the worst lag they hold, so that an overview can shade them by magnitude.

#include "query/draw_list.h"
#include "query/lane_layout.h"

#include "query_fixture.h"

#include <gtest/gtest.h>

using namespace weft;

namespace {
const DrawMark* lag_mark(const DrawList& list) {
    for (const DrawMark& m : list.marks)
        if (m.kind == MarkKind::Lag) return &m;
    return nullptr;
}
} // namespace

TEST(LagMarks, AFoldCarriesItsWorstSample) {
    auto m = test::small_model();
    m->lag.push_back({503, 40, ThreadIndex{0}}); // 40 ns late, next to the 30 ns one
    m->threads[0].lag = {0, 2};
    LaneLayout layout;
    layout.build(*m);
    DrawList list;
    build_draw_list(*m, layout, ViewMapping{0, 600, 6}, 0, layout.size(), list); // 100 ns per px: folded
    const DrawMark* mark = lag_mark(list);
    ASSERT_NE(mark, nullptr);
    EXPECT_EQ(mark->count, 2u);
    EXPECT_FLOAT_EQ(mark->value, 40e-6f); // in ms
    // Zoomed in far enough, the 30 ns sample is a mark of its own with its own lag.
    list = {};
    build_draw_list(*m, layout, ViewMapping{495, 505, 1000}, 0, layout.size(), list);
    mark = lag_mark(list);
    ASSERT_NE(mark, nullptr);
    EXPECT_EQ(mark->count, 1u);
    EXPECT_FLOAT_EQ(mark->value, 30e-6f);
}

#pragma once
// Flows: arrows between slices. Version 1 (s, t, f, matched by id, category and name) binds each
// point to the slice around it on its thread, except an f without "bp": "e", which binds to the
// next slice that begins on its thread; version 2 ("bind_id" with "flow_in" / "flow_out" on B, X,
// b and n events) binds to the event's own slice: an arrow leaves a producer where it ends and
// reaches a consumer where it begins, and one producer may feed several consumers. A point with no
// slice to bind to is kept at its time on its thread (Perfetto and catapult drop those).
//
// A flow from inside one task's slice to the start of another task (a top-level async slice)
// makes the second task the first one's child.

#include "io/chrome/async_slices.h"
#include "io/chrome/group_members.h"
#include "io/chrome/import_state.h"
#include "io/chrome/slice_nesting.h"

#include <cstdint>
#include <vector>

namespace weft::chrome {

struct FlowPoint {
    static constexpr uint16_t kNoDepth = 0xFFFF;
    uint32_t thread = ~0u; // ~0: no such end (a start never ended, an end never started)
    uint8_t lane = 0;
    Nanos time = 0;
    uint16_t depth = kNoDepth;  // of the thread slice it is bound to, in its lane
    uint32_t async_slice = ~0u; // or the async slice it is bound to
    bool valid() const { return thread != ~0u; }
};

struct FlowLink {
    FlowPoint from, to;
    uint32_t name = 0;
    uint32_t cat = 0;
};

// `slices[t]` are thread t's slices; sets AsyncSlice::parent_task of the tasks flows start.
std::vector<FlowLink> build_flow_links(const GroupMembers& members, const std::vector<ThreadSlices>& slices,
                                       std::vector<AsyncSlice>& async, ImportState& state);

} // namespace weft::chrome

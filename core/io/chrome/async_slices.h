#pragma once
// Async slices: nestable ones (b, e, n) and legacy ones (S, T, p, F), paired within their group.
//
// Nestable: in time order, a b opens a slice whose parent is the innermost slice of its group still
// open; an e closes the innermost open slice of the same name (any, when the e has no name); an n
// is an instantaneous child. Legacy: S opens a slice, F closes it, and each step (T, "step into",
// or p, "step past") becomes a child slice named "name:step", as catapult draws them; Perfetto
// drops these, Weft keeps them. Begins never ended stay open to the end of the trace; ends that
// close nothing are counted.
//
// Each top-level slice is a task in Weft's model (the unit of async work: a request, a future);
// the slices nested in it are its spans.

#include "io/chrome/group_members.h"
#include "io/chrome/import_state.h"

#include <cstdint>
#include <vector>

namespace weft::chrome {

struct AsyncSlice {
    Nanos begin = 0;
    Nanos end = kOpenEnd;     // kOpenEnd: never closed
    uint32_t begin_thread = 0;
    uint32_t end_thread = 0;
    uint32_t begin_event = ~0u; // in the begin thread's events; ~0 for a legacy step
    uint32_t name = 0;
    uint32_t cat = 0;
    uint32_t args = 0;
    uint32_t parent = ~0u;    // in the slice list; ~0 for a top-level slice (a task)
    uint32_t root = 0;        // the top-level slice it belongs to (itself for one)
    uint32_t parent_task = ~0u; // of a top-level slice: the top-level slice that started it (flows)
};

// All async slices of the trace, each after its parent.
std::vector<AsyncSlice> build_async_slices(const GroupMembers& members, ImportState& state);

// Node's async_hooks events name, in `args.data.triggerAsyncId`, the async resource that caused
// each one: a task whose args say so is that resource's child (the resource is the top-level slice
// of the same category whose id, read as a number, is the trigger id, begun before it).
void link_trigger_parents(std::vector<AsyncSlice>& slices, ImportState& state);

} // namespace weft::chrome

#pragma once
// A thread's duration slices: B/E pairs and complete (X) events, nested by time.
//
// B and E are paired first, in time order (file order at equal times): an E closes the innermost
// open B of the same name (and category, when the E gives one); an E without a name closes the
// innermost open B; an E that matches nothing is counted. A B never closed stays open to the end
// of the trace. Then all slices of the thread, from B/E and X alike, are nested by time: by begin,
// longer first at equal begins (so a parent listed after its child at the same timestamp still
// encloses it). A slice that would overlap the one around it without fitting inside it (out of
// spec, but real tracers write them) goes to an overlap lane of the same thread, shown apart,
// rather than being cut or dropped.

#include "io/chrome/import_state.h"

#include <cstdint>
#include <span>
#include <vector>

namespace weft::chrome {

inline constexpr uint8_t kMaxOverlapLanes = 8;

struct Slice {
    Nanos begin = 0;
    Nanos end = 0;          // kOpenEnd: never closed
    uint32_t event = 0;     // its B or X, in the thread's events
    uint32_t args = 0;      // the B's arguments, with the E's added
    uint32_t parent = ~0u;  // the enclosing slice in its lane, or ~0
    uint16_t depth = 0;     // in its lane
    uint8_t lane = 0;       // 0: the thread itself; k > 0: its k-th overlap lane
};

class ThreadSlices {
public:
    // `events` are one thread's, sorted by (ts, seq).
    void build(std::span<const RawEvent> events, ImportState& state);

    // By (lane, begin, longer first, file order): each lane's slices in the order they open.
    const std::vector<Slice>& slices() const { return m_slices; }
    uint8_t lanes() const { return m_lanes; }
    bool built() const { return m_built; }

    // The innermost slice whose closed interval holds t (lane 0 first), or ~0.
    uint32_t enclosing(Nanos t) const;
    // The first slice of lane 0 that begins after t, or at t and later in the file than `seq`; ~0.
    uint32_t next_beginning(Nanos t, uint32_t seq, std::span<const RawEvent> events) const;
    // The slice begun by events[event] (a B or an X with a v2 bind id), or ~0.
    uint32_t of_event(uint32_t event) const;

private:
    std::vector<Slice> m_slices;
    std::vector<uint32_t> m_lane_first; // lane k's slices: [m_lane_first[k], m_lane_first[k + 1])
    std::vector<std::pair<uint32_t, uint32_t>> m_by_event; // (event, slice), sorted by event
    uint8_t m_lanes = 0;
    bool m_built = false;
};

} // namespace weft::chrome

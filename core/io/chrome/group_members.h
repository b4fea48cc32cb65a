#pragma once
// The events of each group (import_state.h: async slices to pair, flows to chain), gathered from
// every thread and put in time order, file order at equal times, as catapult reads them.

#include "io/chrome/import_state.h"

#include <cstdint>
#include <span>
#include <vector>

namespace weft::chrome {

struct Member {
    Nanos ts;
    uint32_t seq;
    uint32_t thread;
    uint32_t event; // in the thread's events
};

class GroupMembers {
public:
    // Gathers the events of async (b, e, n), legacy async (S, T, p, F) and v1 flow (s, t, f)
    // groups. Threads' events must be sorted by (ts, seq).
    void build(const ImportState& state);
    std::span<const Member> of(uint32_t group) const {
        return std::span(m_members).subspan(m_first[group], m_first[group + 1] - m_first[group]);
    }
    size_t groups() const { return m_first.empty() ? 0 : m_first.size() - 1; }

private:
    std::vector<uint32_t> m_first; // group g's members: [m_first[g], m_first[g + 1]); group 0 is none
    std::vector<Member> m_members;
};

bool is_grouped_phase(char ph);

} // namespace weft::chrome

#include "io/chrome/group_members.h"

#include <algorithm>

namespace weft::chrome {

bool is_grouped_phase(char ph) {
    switch (ph) {
    case 'b':
    case 'e':
    case 'n':
    case 'S':
    case 'T':
    case 'p':
    case 'F':
    case 's':
    case 't':
    case 'f': return true;
    default: return false;
    }
}

void GroupMembers::build(const ImportState& st) {
    const size_t groups = st.groups.size() + 1;
    m_first.assign(groups + 1, 0);
    for (const ThreadRecord& t : st.threads)
        for (const RawEvent& e : t.events)
            if (is_grouped_phase(e.ph) && e.ref < groups) ++m_first[e.ref + 1];
    for (size_t g = 0; g < groups; ++g) m_first[g + 1] += m_first[g];
    m_members.assign(m_first[groups], Member{});
    std::vector<uint32_t> fill(m_first.begin(), m_first.end() - 1);
    for (uint32_t ti = 0; ti < st.threads.size(); ++ti) {
        const auto& events = st.threads[ti].events;
        for (uint32_t i = 0; i < events.size(); ++i) {
            const RawEvent& e = events[i];
            if (is_grouped_phase(e.ph) && e.ref < groups) m_members[fill[e.ref]++] = Member{e.ts, e.seq, ti, i};
        }
    }
    auto earlier = [](const Member& a, const Member& b) { return a.ts != b.ts ? a.ts < b.ts : a.seq < b.seq; };
    for (size_t g = 1; g < groups; ++g) {
        const auto first = m_members.begin() + m_first[g];
        const auto last = m_members.begin() + m_first[g + 1];
        if (!std::is_sorted(first, last, earlier)) std::sort(first, last, earlier);
    }
}

} // namespace weft::chrome

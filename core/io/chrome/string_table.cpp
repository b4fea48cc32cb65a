#include "io/chrome/string_table.h"

#include "model/text_hash.h"

#include <cstring>

namespace weft::chrome {

namespace {
constexpr size_t kChunkBytes = size_t{1} << 20;
} // namespace

uint64_t StringTable::hash(std::string_view text) { return hash_text(text); }

StringTable::StringTable() {
    m_views.emplace_back();
    m_hashes.push_back(0);
    m_slots.assign(1024, Slot{0, 0});
}

std::string_view StringTable::store(std::string_view text) {
    m_bytes += text.size();
    if (text.size() > kChunkBytes / 4) {
        // A large string gets an allocation of its own rather than wasting a chunk's tail.
        auto& big = m_large.emplace_back(new char[text.size()]);
        std::memcpy(big.get(), text.data(), text.size());
        return {big.get(), text.size()};
    }
    if (m_chunks.empty() || kChunkBytes - m_chunk_used < text.size()) {
        m_chunks.emplace_back(new char[kChunkBytes]);
        m_chunk_used = 0;
    }
    char* at = m_chunks.back().get() + m_chunk_used;
    std::memcpy(at, text.data(), text.size());
    m_chunk_used += text.size();
    return {at, text.size()};
}

void StringTable::grow() {
    std::vector<Slot> slots(m_slots.size() * 2, Slot{0, 0});
    const size_t mask = slots.size() - 1;
    for (uint32_t id = 1; id < m_views.size(); ++id) {
        size_t i = m_hashes[id] & mask;
        while (slots[i].id != 0) i = (i + 1) & mask;
        slots[i] = Slot{id, static_cast<uint32_t>(m_hashes[id] >> 32)};
    }
    m_slots.swap(slots);
}

uint32_t StringTable::intern(std::string_view text) {
    if (text.empty()) return 0;
    const uint64_t h = hash(text);
    const size_t mask = m_slots.size() - 1;
    const auto tag = static_cast<uint32_t>(h >> 32);
    size_t i = h & mask;
    for (Slot s = m_slots[i]; s.id != 0; s = m_slots[i]) {
        if (s.tag == tag && m_views[s.id] == text) return s.id;
        i = (i + 1) & mask;
    }
    const auto id = static_cast<uint32_t>(m_views.size());
    m_views.push_back(store(text));
    m_hashes.push_back(h);
    m_slots[i] = Slot{id, tag};
    if (m_views.size() * 2 > m_slots.size()) grow(); // at most half full: probes stay short
    return id;
}

} // namespace weft::chrome

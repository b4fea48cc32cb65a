#include "io/chrome/string_table.h"

#include <cstring>

namespace weft::chrome {

namespace {
constexpr size_t kChunkBytes = size_t{1} << 20;
} // namespace

StringTable::StringTable() { m_views.emplace_back(); }

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

uint32_t StringTable::intern(std::string_view text) {
    if (text.empty()) return 0;
    const auto it = m_ids.find(text);
    if (it != m_ids.end()) return it->second;
    const std::string_view stored = store(text);
    const auto id = static_cast<uint32_t>(m_views.size());
    m_views.push_back(stored);
    m_ids.emplace(stored, id);
    return id;
}

} // namespace weft::chrome

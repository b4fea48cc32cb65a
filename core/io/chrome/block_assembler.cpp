#include "io/chrome/block_assembler.h"

#include <algorithm>
#include <cstring>

namespace weft::chrome {

void BlockAssembler::begin(const format::Uuid& stream, const format::Uuid& process, uint64_t object_offset) {
    m_stream = stream;
    m_process = process;
    m_block.header = format::BlockHeader{};
    m_block.header.stream_id = stream;
    m_block.header.process_id = process;
    m_next_offset = object_offset;
    m_block.header.codec = format::Codec::None;
    m_block.events.clear();
    m_block.frames.clear();
    m_block.locations.clear();
    m_used.clear();
    m_locations.clear();
    m_code_locations.clear();
    if (++m_epoch == 0) { // wrapped: forget every stamp
        std::fill(m_stamp.begin(), m_stamp.end(), 0u);
        m_epoch = 1;
    }
}

format::BlockStringId BlockAssembler::string(uint32_t id) {
    if (id == 0) return 0;
    if (id >= m_stamp.size()) {
        const size_t n = std::max<size_t>(m_strings.size(), id + 1);
        m_stamp.resize(n, 0);
        m_local.resize(n, 0);
    }
    if (m_stamp[id] != m_epoch) {
        m_stamp[id] = m_epoch;
        m_used.push_back(id);
        m_local[id] = static_cast<uint32_t>(m_used.size());
    }
    return m_local[id];
}

format::BlockLocationId BlockAssembler::location(uint32_t name, uint32_t category) {
    if (name == 0 && category == 0) return 0;
    const uint64_t key = uint64_t{name} << 32 | category;
    const auto [it, inserted] = m_locations.try_emplace(key, 0);
    if (inserted) {
        m_block.locations.push_back(format::BlockLocation{string(name), string(category), 0, 0});
        it->second = static_cast<format::BlockLocationId>(m_block.locations.size());
    }
    return it->second;
}

format::BlockLocationId BlockAssembler::code_location(uint32_t function, uint32_t file, uint32_t line) {
    const auto [it, inserted] = m_code_locations.try_emplace(CodeKey{uint64_t{function} << 32 | file, line}, 0);
    if (inserted) {
        m_block.locations.push_back(format::BlockLocation{string(function), 0, string(file), line});
        it->second = static_cast<format::BlockLocationId>(m_block.locations.size());
    }
    return it->second;
}

uint32_t BlockAssembler::add_frames(std::span<const format::BlockLocationId> frames) {
    const auto at = static_cast<uint32_t>(m_block.frames.size());
    m_block.frames.insert(m_block.frames.end(), frames.begin(), frames.end());
    return at;
}

void BlockAssembler::finish(format::DecodedBlock& out) {
    format::DecodedBlock& b = m_block;
    size_t bytes = 0;
    for (uint32_t id : m_used) bytes += m_strings.get(id).size();
    b.payload_storage.resize(bytes);
    b.strings.clear();
    b.strings.reserve(m_used.size());
    size_t at = 0;
    for (uint32_t id : m_used) {
        const std::string_view s = m_strings.get(id);
        if (!s.empty()) std::memcpy(b.payload_storage.data() + at, s.data(), s.size());
        b.strings.emplace_back(reinterpret_cast<const char*>(b.payload_storage.data()) + at, s.size());
        at += s.size();
    }
    b.header.stream_id = m_stream;
    b.header.process_id = m_process;
    b.header.object_offset = m_next_offset;
    m_next_offset += b.events.size();
    b.header.payload_size = bytes;
    b.header.nb_objects = b.events.size();
    b.header.begin_ticks = b.events.empty() ? 0 : b.events.front().ticks;
    b.header.end_ticks = b.events.empty() ? 0 : b.events.back().ticks;
    b.unknown_events = 0;
    b.backwards_steps = 0;
    b.events_cut = false;
    b.events_encoded = false;
    std::swap(out, b);
    // `out`'s old contents come back here as storage to reuse, emptied.
    b.events.clear();
    b.frames.clear();
    b.locations.clear();
    b.strings.clear();
    m_used.clear();
    m_locations.clear();
    m_code_locations.clear();
    if (++m_epoch == 0) {
        std::fill(m_stamp.begin(), m_stamp.end(), 0u);
        m_epoch = 1;
    }
}

} // namespace weft::chrome

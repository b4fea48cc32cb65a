#include "live/capture_stats.h"

#include "format/record_codec.h"

#include <cstring>

namespace weft::live {

size_t CaptureStats::UuidHash::operator()(const format::Uuid& u) const noexcept {
    uint64_t a, b;
    std::memcpy(&a, u.data(), 8);
    std::memcpy(&b, u.data() + 8, 8);
    return static_cast<size_t>(a ^ (b * 0x9E3779B97F4A7C15ull));
}

void CaptureStats::on_record(const format::RecordView& record) {
    ++m_records;
    switch (static_cast<format::RecordKind>(record.kind)) {
    case format::RecordKind::ProcessInfo: ++m_processes; return;
    case format::RecordKind::StreamInfo: ++m_streams; return;
    case format::RecordKind::Block: break;
    default: return;
    }
    format::BlockHeader header;
    std::span<const uint8_t> payload;
    const format::FormatError error = format::decode_block_header(record.body, record.offset, header, payload);
    if (!error.reason.empty()) {
        ++m_bad_blocks;
        m_last_error = error.reason;
        return;
    }
    ++m_blocks;
    m_events += header.nb_objects;
    auto [it, first] = m_next_object.try_emplace(header.stream_id, header.object_offset);
    if (!first && header.object_offset > it->second) m_lost += header.object_offset - it->second;
    it->second = header.object_offset + header.nb_objects;
}

} // namespace weft::live

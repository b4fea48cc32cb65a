#pragma once
// Accounting of a live capture as records arrive: counts, and events lost in transit, found as
// gaps in each stream's object_offset. Reads block headers only, so it costs no decompression.

#include "format/framing.h"
#include "format/records.h"

#include <cstdint>
#include <string>
#include <unordered_map>

namespace weft::live {

class CaptureStats {
public:
    void on_record(const format::RecordView& record);

    uint64_t records() const { return m_records; }
    uint64_t process_infos() const { return m_processes; }
    uint64_t stream_infos() const { return m_streams; }
    uint64_t blocks() const { return m_blocks; }
    uint64_t events() const { return m_events; }
    // Events that the producer recorded but that never arrived: dropped by the producer's flight
    // recorder while the viewer lagged, or lost before attaching is not counted (the first block of
    // each stream may start anywhere).
    uint64_t lost_events() const { return m_lost; }
    uint64_t bad_blocks() const { return m_bad_blocks; }
    const std::string& last_error() const { return m_last_error; }

private:
    struct UuidHash {
        size_t operator()(const format::Uuid& u) const noexcept;
    };
    std::unordered_map<format::Uuid, uint64_t, UuidHash> m_next_object; // per stream
    uint64_t m_records = 0, m_processes = 0, m_streams = 0, m_blocks = 0, m_events = 0, m_lost = 0;
    uint64_t m_bad_blocks = 0;
    std::string m_last_error;
};

} // namespace weft::live

#pragma once
// Internal: turns runs of raw events into framed block records (one block per run) and hands them
// to the sink, writing each stream's info before its first block. Writer thread only.

#include "weft/client.h"
#include "weft/detail/recorder.h"
#include "format/block_encoder.h"

#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace weft::client::detail {

struct ThreadStream;

class BlockWriter {
public:
    BlockWriter(Sink& sink, const format::ProcessInfo& process, int zstd_level);

    // Encodes slots [from, to) of one stream as one block. `to` must be at an event boundary.
    void write_block(ThreadStream& stream, const RawEvent* from, const RawEvent* to);
    void flush();

    Stats stats() const;

private:
    void write_stream_info(ThreadStream& stream);
    format::BlockStringId string_id(const char* text);
    // `name` overrides the location's name; a function's pretty name when `name_is_function`.
    format::BlockLocationId location_id(std::source_location where, const char* name, bool name_is_function = false);
    const std::string& function_name(const char* pretty); // cleaned, cached across blocks
    format::BlockStringId function_string_id(const char* pretty);

    Sink& m_sink;
    const format::ProcessInfo& m_process;
    format::BlockEncoder m_encoder;
    std::vector<uint8_t> m_out;
    // Per-block caches keyed by pointer: interning by content happens once per distinct pointer.
    std::unordered_map<const void*, format::BlockStringId> m_string_ids;
    struct LocationKey {
        const void* where;
        const char* name;
        bool operator==(const LocationKey&) const = default;
    };
    struct LocationKeyHash {
        size_t operator()(const LocationKey& k) const noexcept {
            return std::hash<const void*>{}(k.where) * 31 + std::hash<const void*>{}(k.name);
        }
    };
    std::unordered_map<LocationKey, format::BlockLocationId, LocationKeyHash> m_location_ids;
    std::unordered_map<const char*, std::string> m_function_names; // cleaned, kept across blocks
    std::vector<format::BlockLocationId> m_frames;

    mutable std::mutex m_stats_mutex;
    Stats m_stats;
};

// "void ns::f(int)" -> "ns::f": the qualified name without return type and parameters.
std::string clean_function_name(std::string_view pretty);

} // namespace weft::client::detail

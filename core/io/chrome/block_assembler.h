#pragma once
// Builds DecodedBlocks from events whose strings are ids of the importer's StringTable: each block
// gets its own string and location tables and its own copy of the strings it uses, exactly what
// the block decoder hands over after reading a .weft file, so any TraceSink takes it.

#include "format/records.h"
#include "io/chrome/string_table.h"

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

namespace weft::chrome {

class BlockAssembler {
public:
    explicit BlockAssembler(const StringTable& strings) : m_strings(strings) {}

    // Starts the blocks of a stream; its first block holds the stream's event `object_offset`.
    void begin(const format::Uuid& stream, const format::Uuid& process, uint64_t object_offset);
    // Block-local ids of a string, and of a location {name, category} (Weft's "target").
    format::BlockStringId string(uint32_t id);
    format::BlockLocationId location(uint32_t name, uint32_t category);
    // A code location: a function, its file and line (V8's call frames).
    format::BlockLocationId code_location(uint32_t function, uint32_t file, uint32_t line);
    // Appends a stack (location ids of this block) for the next event; returns where it starts.
    uint32_t add_frames(std::span<const format::BlockLocationId> frames);
    void add(const format::Event& event) { m_block.events.push_back(event); }
    size_t size() const { return m_block.events.size(); }
    // The stream's events handed over so far, in finished blocks: the next block's object_offset.
    uint64_t next_offset() const { return m_next_offset; }
    // Completes the block into `out` (whose previous contents are dropped) and starts the next
    // block of the same stream.
    void finish(format::DecodedBlock& out);

private:
    const StringTable& m_strings;
    format::DecodedBlock m_block;
    format::Uuid m_stream{};
    format::Uuid m_process{};
    uint64_t m_next_offset = 0;
    std::vector<uint32_t> m_used;     // the global ids in this block, by local id - 1
    std::vector<uint32_t> m_local;    // global id -> local id, valid where m_stamp matches
    std::vector<uint32_t> m_stamp;
    uint32_t m_epoch = 0;
    std::unordered_map<uint64_t, format::BlockLocationId> m_locations;
    struct CodeKey {
        uint64_t function_file;
        uint32_t line;
        bool operator==(const CodeKey&) const = default;
    };
    struct CodeKeyHash {
        size_t operator()(const CodeKey& k) const noexcept {
            return static_cast<size_t>((k.function_file * 0x9E3779B97F4A7C15ull) ^ (uint64_t{k.line} * 0xC2B2AE3D27D4EB4Full));
        }
    };
    std::unordered_map<CodeKey, format::BlockLocationId, CodeKeyHash> m_code_locations;
};

} // namespace weft::chrome

#pragma once
// Builds one block: interns strings and locations, appends events, then produces the framed record
// (CBOR body with a zstd payload). Used by weft_client's writer thread, by the synthetic generator
// and by tests. Not for a hot path: it allocates while a block grows.

#include "format/records.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace weft::format {

class BlockEncoder {
public:
    explicit BlockEncoder(int zstd_level = kDefaultZstdLevel);
    ~BlockEncoder();
    BlockEncoder(const BlockEncoder&) = delete;
    BlockEncoder& operator=(const BlockEncoder&) = delete;

    // Starts a block; `header.block_id` is generated if all zero. Event ticks must be absolute.
    void begin(const BlockHeader& header);

    BlockStringId intern(std::string_view text);                       // "" -> 0
    BlockLocationId intern_location(std::string_view name, std::string_view target,
                                    std::string_view file, uint32_t line);

    // Appends an event (fields as documented on format::Event). For Blocking events, `frames` are
    // the location ids of the stack, innermost first.
    void add(const Event& event, std::span<const BlockLocationId> frames = {});

    size_t event_count() const;
    size_t approximate_size() const; // uncompressed bytes so far, to decide when a block is full

    // Finishes the block and appends the whole framed record (frame header + body) to `out`.
    // end_ticks is raised to the last event's ticks if lower; nb_objects is set to the count.
    void finish(std::vector<uint8_t>& out, Codec codec = Codec::Zstd);

private:
    struct Impl;
    Impl* m_impl;
};

} // namespace weft::format

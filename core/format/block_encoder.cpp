#include "format/block_encoder.h"

#include "format/cbor_writer.h"
#include "format/event_layout.h"
#include "format/framing.h"
#include "format/record_codec.h"
#include "format/uuid.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <zstd.h>

namespace weft::format {

namespace {

// A number field: whole values that fit an int64 as integers (shorter, and the decoder's fast path
// reads unsigned ones), anything else, -0.0 and NaN included, as a float64.
void write_number(CborWriter& w, double v) {
    constexpr double kTwo63 = 9223372036854775808.0;
    if (v >= -kTwo63 && v < kTwo63 && v == static_cast<double>(static_cast<int64_t>(v)) && !std::signbit(v))
        w.uint(static_cast<uint64_t>(v));
    else if (v >= -kTwo63 && v < 0 && v == static_cast<double>(static_cast<int64_t>(v)))
        w.integer(static_cast<int64_t>(v));
    else
        w.float64(v);
}

// Heterogeneous lookup: interning a string_view does not build a std::string unless it is new.
struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

struct LocationKey {
    BlockStringId name, target, file;
    uint32_t line;
    bool operator==(const LocationKey&) const = default;
};

struct LocationHash {
    size_t operator()(const LocationKey& k) const {
        uint64_t h = (uint64_t{k.name} << 32) ^ k.target;
        h = h * 0x9E3779B97F4A7C15ull ^ ((uint64_t{k.file} << 32) | k.line);
        return static_cast<size_t>(h * 0xC2B2AE3D27D4EB4Full);
    }
};

} // namespace

struct BlockEncoder::Impl {
    int level = 1;
    ZSTD_CCtx* cctx = nullptr;
    BlockHeader header;
    std::unordered_map<std::string, BlockStringId, TextHash, std::equal_to<>> string_ids;
    std::vector<std::string_view> strings; // views of string_ids' keys, in id order (node keys are stable)
    size_t string_bytes = 0;
    std::unordered_map<LocationKey, BlockLocationId, LocationHash> location_ids;
    std::vector<LocationKey> locations;
    std::vector<uint8_t> events; // encoded events, as they were added
    size_t event_count = 0;
    int64_t last_ticks = 0;
    std::vector<uint8_t> payload;
    std::vector<uint8_t> compressed;
    std::vector<uint8_t> body;

    void reset(const BlockHeader& h) {
        header = h;
        if (header.block_id == Uuid{}) header.block_id = make_random_uuid();
        string_ids.clear();
        strings.clear();
        string_bytes = 0;
        location_ids.clear();
        locations.clear();
        events.clear();
        event_count = 0;
        last_ticks = header.begin_ticks;
    }
};

BlockEncoder::BlockEncoder(int zstd_level) : m_impl(new Impl) {
    m_impl->level = zstd_level;
    m_impl->cctx = ZSTD_createCCtx();
    m_impl->reset(BlockHeader{});
}

BlockEncoder::~BlockEncoder() {
    ZSTD_freeCCtx(m_impl->cctx);
    delete m_impl;
}

void BlockEncoder::begin(const BlockHeader& header) {
    m_impl->reset(header);
}

BlockStringId BlockEncoder::intern(std::string_view text) {
    if (text.empty()) return 0;
    Impl& d = *m_impl;
    if (auto it = d.string_ids.find(text); it != d.string_ids.end()) return it->second;
    const auto id = static_cast<BlockStringId>(d.strings.size() + 1);
    auto [it, inserted] = d.string_ids.emplace(std::string(text), id);
    d.strings.push_back(it->first);
    d.string_bytes += text.size() + 2;
    return id;
}

BlockLocationId BlockEncoder::intern_location(std::string_view name, std::string_view target,
                                              std::string_view file, uint32_t line) {
    Impl& d = *m_impl;
    const LocationKey key{intern(name), intern(target), intern(file), line};
    if (auto it = d.location_ids.find(key); it != d.location_ids.end()) return it->second;
    const auto id = static_cast<BlockLocationId>(d.locations.size() + 1);
    d.location_ids.emplace(key, id);
    d.locations.push_back(key);
    return id;
}

void BlockEncoder::add(const Event& event, std::span<const BlockLocationId> frames) {
    Impl& d = *m_impl;
    const auto kind = static_cast<uint8_t>(event.kind);
    const detail::EventLayout& layout = detail::kEventLayouts[kind <= kMaxKnownEventKind ? kind : 0];
    // Gather the wire fields, then drop trailing zeros: a reader reads missing trailing fields as 0.
    uint64_t values[detail::kMaxEventFields] = {};
    size_t used = 0;
    for (size_t f = 0; f < layout.count; ++f) {
        uint64_t v = 0;
        switch (layout.slots[f]) {
        case detail::Slot::Id:
            v = event.id;
            break;
        case detail::Slot::Id2:
        case detail::Slot::Number: // a double's bits: only +0.0 is all zero, and reads back as 0
            v = event.id2;
            break;
        case detail::Slot::Id3:
            v = event.id3;
            break;
        case detail::Slot::Ref1:
            v = event.ref1;
            break;
        case detail::Slot::Ref2:
            v = event.ref2;
            break;
        case detail::Slot::Ref3:
            v = event.ref3;
            break;
        case detail::Slot::Outcome:
            v = event.outcome;
            break;
        case detail::Slot::Frames:
            v = frames.size();
            break;
        }
        values[f] = v;
        if (v != 0) used = f + 1;
    }
    CborWriter w(d.events);
    w.array(2 + used);
    w.uint(kind);
    // Two's complement difference: well defined even for ticks far apart.
    w.integer(static_cast<int64_t>(static_cast<uint64_t>(event.ticks) - static_cast<uint64_t>(d.last_ticks)));
    for (size_t f = 0; f < used; ++f) {
        if (layout.slots[f] == detail::Slot::Frames) {
            w.array(frames.size());
            for (BlockLocationId frame : frames)
                w.uint(frame);
        } else if (layout.slots[f] == detail::Slot::Number) {
            write_number(w, event.counter_value());
        } else {
            w.uint(values[f]);
        }
    }
    d.last_ticks = event.ticks;
    d.header.end_ticks = std::max(d.header.end_ticks, event.ticks);
    ++d.event_count;
}

size_t BlockEncoder::event_count() const {
    return m_impl->event_count;
}

size_t BlockEncoder::approximate_size() const {
    return m_impl->events.size() + m_impl->string_bytes + m_impl->locations.size() * 8 + 32;
}

void BlockEncoder::finish(std::vector<uint8_t>& out, Codec codec) {
    Impl& d = *m_impl;
    d.payload.clear();
    CborWriter w(d.payload);
    w.map(3);
    w.text("strings");
    w.array(d.strings.size());
    for (std::string_view text : d.strings)
        w.text(text);
    w.text("locations");
    w.array(d.locations.size());
    for (const LocationKey& l : d.locations) {
        w.array(4);
        w.uint(l.name);
        w.uint(l.target);
        w.uint(l.file);
        w.uint(l.line);
    }
    w.text("events");
    w.array(d.event_count);
    d.payload.insert(d.payload.end(), d.events.begin(), d.events.end());

    BlockHeader header = d.header;
    header.nb_objects = d.event_count;
    header.codec = codec;
    header.payload_size = d.payload.size();
    std::span<const uint8_t> stored = d.payload;
    if (codec == Codec::Zstd) {
        d.compressed.resize(ZSTD_compressBound(d.payload.size()));
        // One-shot compression records the content size in the frame header, which readers require.
        const size_t n = ZSTD_compressCCtx(d.cctx, d.compressed.data(), d.compressed.size(), d.payload.data(),
                                           d.payload.size(), d.level);
        if (ZSTD_isError(n)) {
            header.codec = Codec::None; // cannot happen with a bound-sized buffer; stay readable anyway
        } else {
            d.compressed.resize(n);
            stored = d.compressed;
        }
    }
    d.body.clear();
    encode_block(header, stored, d.body);
    append_record(static_cast<uint8_t>(RecordKind::Block), d.body, out);

    // Ready for the next block of the same stream: it continues the object count and the clock.
    BlockHeader next = header;
    next.block_id = Uuid{};
    next.object_offset = header.object_offset + header.nb_objects;
    next.begin_ticks = header.end_ticks;
    next.end_ticks = header.end_ticks;
    d.reset(next);
}

} // namespace weft::format

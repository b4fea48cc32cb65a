// BlockDecoder: decompresses a block's payload within its declared size and decodes strings,
// locations and events into a reusable DecodedBlock. The event loop is the hot path of loading a
// trace: it reads one-byte CBOR heads inline and writes straight into the flat Event array.

#include "format/cbor_reader.h"
#include "format/event_layout.h"
#include "format/record_codec.h"

#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <zstd.h>

namespace weft::format {

namespace {

constexpr uint64_t kMaxId32 = std::numeric_limits<uint32_t>::max();
constexpr uint64_t kMaxInt64 = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
constexpr size_t kMaxFramesPerEvent = std::numeric_limits<uint16_t>::max();

bool fail_event(CborReader& r, uint64_t index, const char* problem, uint64_t kind = 0) {
    char text[200];
    const char* name = kind >= 1 && kind <= kMaxKnownEventKind ? detail::kEventNames[kind] : nullptr;
    std::snprintf(text, sizeof text, "event %llu%s%s%s: %s", static_cast<unsigned long long>(index),
                  name ? " (" : "", name ? name : "", name ? ")" : "", problem);
    return r.fail_item(text);
}

bool read_strings(CborReader& r, DecodedBlock& out) {
    uint64_t count = 0;
    if (!r.read_array(count, "strings")) return false;
    out.strings.reserve(count);
    for (uint64_t i = 0; i < count; ++i) {
        std::string_view text;
        if (!r.read_text(text, "strings")) return false;
        out.strings.push_back(text);
    }
    return true;
}

bool read_locations(CborReader& r, DecodedBlock& out) {
    uint64_t count = 0;
    if (!r.read_array(count, "locations")) return false;
    out.locations.reserve(count);
    for (uint64_t i = 0; i < count; ++i) {
        uint64_t fields = 0;
        if (!r.read_array(fields, "location")) return false;
        uint64_t values[4] = {0, 0, 0, 0}; // missing trailing fields read as 0
        for (uint64_t f = 0; f < fields; ++f) {
            if (f >= 4) {
                if (!r.skip_value(3)) return false;
                continue;
            }
            if (!r.read_uint(values[f], "location field")) return false;
            if (values[f] > kMaxId32) return r.fail_item("location field out of the 32-bit range");
        }
        out.locations.push_back({static_cast<BlockStringId>(values[0]), static_cast<BlockStringId>(values[1]),
                                 static_cast<BlockStringId>(values[2]), static_cast<uint32_t>(values[3])});
    }
    return true;
}

bool read_frames(CborReader& r, uint64_t index, const CborItem& head, DecodedBlock& out, Event& event) {
    if (head.type != CborType::Array)
        return fail_event(r, index, "blocking frames: expected an array of location ids");
    event.frames_begin = static_cast<uint32_t>(out.frames.size());
    CborItem item;
    for (uint64_t i = 0; i < head.value; ++i) {
        if (!r.next(item)) return false;
        if (item.type != CborType::UInt || item.value > kMaxId32) {
            return fail_event(r, index, "blocking frames: expected a location id (uint32)");
        }
        // Deeper stacks than a uint16 count are cut: the innermost frames come first and matter most.
        if (i < kMaxFramesPerEvent) out.frames.push_back(static_cast<BlockLocationId>(item.value));
    }
    event.frames_count =
        static_cast<uint16_t>(head.value < kMaxFramesPerEvent ? head.value : kMaxFramesPerEvent);
    return true;
}

// Reads one unsigned integer head at `q` (below `end`) and steps past it. False for anything else.
inline bool read_small_uint(const uint8_t*& q, const uint8_t* end, uint64_t& value) {
    if (q >= end) return false;
    const uint8_t head = *q;
    if (head < 24) {
        value = head;
        ++q;
        return true;
    }
    if (head > 27) return false; // not major type 0 with a definite argument
    const size_t extra = size_t{1} << (head - 24);
    if (static_cast<size_t>(end - q) <= extra) return false;
    uint64_t v = 0;
    for (size_t i = 1; i <= extra; ++i) v = (v << 8) | q[i];
    value = v;
    q += 1 + extra;
    return true;
}

// Nearly every event is a short array of unsigned integers of a known kind, with at most its
// layout's fields and no frames: read in one pass over the bytes, without going through the
// reader item by item. Anything else (or anything out of range) returns false having consumed and
// written nothing, and the general path reads the event and reports what is wrong with it.
inline bool read_plain_event(CborReader& r, DecodedBlock& out, uint64_t& ticks) {
    const std::span<const uint8_t> rest = r.rest();
    if (rest.size() < 3) return false;
    const uint8_t* const p = rest.data();
    const uint8_t* const end = p + rest.size();
    if (p[0] < 0x82 || p[0] > 0x97) return false; // an array of 2 to 23 items: [kind, dt, ...]
    const uint8_t kind = p[1];
    if (kind == 0 || kind > kMaxKnownEventKind) return false;
    const detail::EventLayout& layout = detail::kEventLayouts[kind];
    const unsigned fields = p[0] & 0x1fu;
    if (fields > layout.count + 2u) return false; // fields of a later minor version
    const uint8_t* q = p + 2;
    uint64_t dt = 0;
    if (!read_small_uint(q, end, dt) || dt > kMaxInt64) return false;
    Event event;
    event.kind = static_cast<EventKind>(kind);
    for (unsigned f = 0; f + 2 < fields; ++f) {
        const detail::Slot slot = layout.slots[f];
        uint64_t value = 0;
        if (slot == detail::Slot::Frames || !read_small_uint(q, end, value)) return false;
        switch (slot) {
        case detail::Slot::Id: event.id = value; break;
        case detail::Slot::Id2: event.id2 = value; break;
        case detail::Slot::Outcome:
            if (value > 255) return false;
            event.outcome = static_cast<uint8_t>(value);
            break;
        case detail::Slot::Ref1:
        case detail::Slot::Ref2:
        case detail::Slot::Ref3:
            if (value > kMaxId32) return false;
            (slot == detail::Slot::Ref1   ? event.ref1
             : slot == detail::Slot::Ref2 ? event.ref2
                                          : event.ref3) = static_cast<uint32_t>(value);
            break;
        case detail::Slot::Frames: return false;
        }
    }
    ticks += dt;
    event.ticks = static_cast<int64_t>(ticks);
    out.events.push_back(event);
    r.advance(static_cast<size_t>(q - p));
    return true;
}

bool read_events(CborReader& r, DecodedBlock& out) {
    uint64_t count = 0;
    if (!r.read_array(count, "events")) return false;
    out.events.reserve(count);
    // Unsigned arithmetic: a hostile dt sequence wraps instead of overflowing.
    uint64_t ticks = static_cast<uint64_t>(out.header.begin_ticks);
    CborItem item;
    for (uint64_t index = 0; index < count; ++index) {
        if (read_plain_event(r, out, ticks)) continue;
        if (!r.next(item)) return false;
        if (item.type != CborType::Array) return fail_event(r, index, "expected an array [kind, dt, ...]");
        const uint64_t fields = item.value;
        if (fields == 0) return fail_event(r, index, "empty array (expected [kind, dt, ...])");
        if (!r.next(item)) return false;
        if (item.type != CborType::UInt) return fail_event(r, index, "kind: expected a uint");
        const uint64_t kind = item.value;
        uint64_t used = 1;
        if (fields >= 2) {
            if (!r.next(item)) return false;
            if (item.type == CborType::UInt && item.value <= kMaxInt64) {
                ticks += item.value;
            } else if (item.type == CborType::NegInt && item.value <= kMaxInt64) {
                ticks -= item.value + 1;
                ++out.backwards_steps;
            } else {
                return fail_event(r, index, "dt: expected an int64");
            }
            used = 2;
        }
        if (kind == 0 || kind > kMaxKnownEventKind) {
            // A newer kind: its dt still moves the clock, the rest is skipped whole.
            for (; used < fields; ++used) {
                if (!r.skip_value(3)) return false;
            }
            ++out.unknown_events;
            continue;
        }
        Event& event = out.events.emplace_back();
        event.kind = static_cast<EventKind>(kind);
        event.ticks = static_cast<int64_t>(ticks);
        const detail::EventLayout& layout = detail::kEventLayouts[kind];
        for (uint8_t f = 0; f < layout.count && used < fields; ++f, ++used) {
            if (!r.next(item)) return false;
            const detail::Slot slot = layout.slots[f];
            if (slot == detail::Slot::Frames) {
                if (!read_frames(r, index, item, out, event)) return false;
                continue;
            }
            if (item.type != CborType::UInt) return fail_event(r, index, "field: expected a uint", kind);
            const uint64_t value = item.value;
            switch (slot) {
            case detail::Slot::Id:
                event.id = value;
                break;
            case detail::Slot::Id2:
                event.id2 = value;
                break;
            case detail::Slot::Outcome:
                if (value > 255) return fail_event(r, index, "outcome out of range", kind);
                event.outcome = static_cast<uint8_t>(value);
                break;
            default:
                if (value > kMaxId32)
                    return fail_event(r, index, "string or location id out of the 32-bit range", kind);
                if (slot == detail::Slot::Ref1)
                    event.ref1 = static_cast<uint32_t>(value);
                else if (slot == detail::Slot::Ref2)
                    event.ref2 = static_cast<uint32_t>(value);
                else
                    event.ref3 = static_cast<uint32_t>(value);
                break;
            }
        }
        for (; used < fields; ++used) { // fields of a later minor version
            if (!r.skip_value(3)) return false;
        }
    }
    return true;
}

bool decode_payload(std::span<const uint8_t> payload, DecodedBlock& out, FormatError& error) {
    if (payload.empty()) return true; // an empty block
    CborReader r(payload);
    uint64_t count = 0;
    bool ok = r.read_map(count, "payload");
    for (uint64_t i = 0; ok && i < count; ++i) {
        CborItem key;
        if (!r.next(key)) {
            ok = false;
        } else if (key.type != CborType::Text) {
            ok = r.skip(key, 1) && r.skip_value(1);
        } else if (key.text() == "events") {
            ok = read_events(r, out);
        } else if (key.text() == "strings") {
            ok = read_strings(r, out);
        } else if (key.text() == "locations") {
            ok = read_locations(r, out);
        } else {
            ok = r.skip_value(1);
        }
    }
    if (!ok) error.reason = "block payload: " + r.error().reason;
    return ok;
}

} // namespace

struct BlockDecoder::Impl {
    ZSTD_DCtx* dctx = nullptr;
};

BlockDecoder::BlockDecoder() : m_impl(new Impl) {
    m_impl->dctx = ZSTD_createDCtx();
}

BlockDecoder::~BlockDecoder() {
    ZSTD_freeDCtx(m_impl->dctx);
    delete m_impl;
}

FormatError BlockDecoder::decode(std::span<const uint8_t> body, uint64_t offset, DecodedBlock& out) {
    out.strings.clear();
    out.locations.clear();
    out.events.clear();
    out.frames.clear();
    out.unknown_events = 0;
    out.backwards_steps = 0;

    std::span<const uint8_t> payload;
    FormatError error = decode_block_header(body, offset, out.header, payload);
    if (!error.ok()) return error;
    error.offset = offset;
    const uint64_t size = out.header.payload_size;

    if (out.header.codec == Codec::None) {
        if (payload.size() != size) {
            error.reason = "block: stored payload has " + std::to_string(payload.size()) +
                           " bytes but payload_size says " + std::to_string(size);
            return error;
        }
        out.payload_storage.assign(payload.begin(), payload.end());
    } else {
        // The frame must announce exactly payload_size; only then is that much memory reserved,
        // and decompression into a buffer of that size cannot go past it.
        const unsigned long long content = ZSTD_getFrameContentSize(payload.data(), payload.size());
        if (content == ZSTD_CONTENTSIZE_ERROR) {
            error.reason = "block: payload is not a valid zstd frame";
            return error;
        }
        if (content == ZSTD_CONTENTSIZE_UNKNOWN) {
            error.reason =
                "block: zstd frame does not state its content size (expected " + std::to_string(size) + ")";
            return error;
        }
        if (content != size) {
            error.reason = "block: zstd frame claims " + std::to_string(content) +
                           " bytes but payload_size says " + std::to_string(size);
            return error;
        }
        const size_t frame = ZSTD_findFrameCompressedSize(payload.data(), payload.size());
        if (ZSTD_isError(frame) || frame != payload.size()) {
            error.reason = "block: payload is not exactly one zstd frame";
            return error;
        }
        out.payload_storage.resize(size);
        const size_t produced = ZSTD_decompressDCtx(m_impl->dctx, out.payload_storage.data(), size,
                                                    payload.data(), payload.size());
        if (ZSTD_isError(produced)) {
            error.reason = std::string("block: zstd decompression failed: ") + ZSTD_getErrorName(produced) +
                           " (payload_size " + std::to_string(size) + ")";
            return error;
        }
        if (produced != size) {
            error.reason = "block: zstd frame inflated to " + std::to_string(produced) + " bytes, expected " +
                           std::to_string(size);
            return error;
        }
    }
    if (!decode_payload({out.payload_storage.data(), static_cast<size_t>(size)}, out, error)) return error;
    return {};
}

} // namespace weft::format

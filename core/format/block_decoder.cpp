// BlockDecoder: decompresses a block's payload within its declared size and decodes strings,
// locations and events into a reusable DecodedBlock. The event loop is the hot path of loading a
// trace: it reads one-byte CBOR heads inline and writes straight into the flat Event array.

#include "format/cbor_reader.h"
#include "format/event_layout.h"
#include "format/record_codec.h"

#include <bit>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <utility>
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

// The fast path below reads without checking bounds field by field: it runs only while at least
// this many bytes follow the event's start, enough for the longest event it accepts (array head,
// kind, then dt and five fields of at most 9 bytes each) plus the 8-byte loads it makes.
constexpr size_t kPlainEventMaxBytes = 2 + 6 * 9 + 8;

// One unsigned integer head at `q` and its argument, without bounds checks (see above). Arguments
// of 1 to 8 bytes are read with one unaligned 8-byte load. False for anything but major type 0
// with a definite argument.
inline bool read_uint_unchecked(const uint8_t*& q, uint64_t& value) {
    const uint8_t head = *q;
    if (head < 24) {
        value = head;
        ++q;
        return true;
    }
    if (head > 27) return false;
    const unsigned extra = 1u << (head - 24); // 1, 2, 4 or 8 bytes, big-endian
    if constexpr (std::endian::native == std::endian::little) {
        uint64_t raw;
        std::memcpy(&raw, q + 1, sizeof raw);
        value = __builtin_bswap64(raw) >> (64 - 8 * extra);
    } else {
        uint64_t v = 0;
        for (unsigned i = 1; i <= extra; ++i) v = (v << 8) | q[i];
        value = v;
    }
    q += 1 + extra;
    return true;
}

// Stores one field of a plain event; false if the value is out of the field's range, and for
// frames, which only the general path reads.
template <detail::Slot S>
inline bool store_field(Event& event, uint64_t value) {
    if constexpr (S == detail::Slot::Id) {
        event.id = value;
    } else if constexpr (S == detail::Slot::Id2) {
        event.id2 = value;
    } else if constexpr (S == detail::Slot::Outcome) {
        if (value > 255) return false;
        event.outcome = static_cast<uint8_t>(value);
    } else if constexpr (S == detail::Slot::Frames) {
        return false;
    } else {
        if (value > kMaxId32) return false;
        if constexpr (S == detail::Slot::Ref1) event.ref1 = static_cast<uint32_t>(value);
        if constexpr (S == detail::Slot::Ref2) event.ref2 = static_cast<uint32_t>(value);
        if constexpr (S == detail::Slot::Ref3) event.ref3 = static_cast<uint32_t>(value);
    }
    return true;
}

// The first `n` fields of an event of kind `Kind` (missing trailing fields read as 0), unrolled at
// compile time from its layout: each field is one load and one store, with no loop and no switch.
template <uint8_t Kind, size_t... F>
inline bool read_fields(const uint8_t*& q, unsigned n, Event& event, std::index_sequence<F...>) {
    constexpr const detail::EventLayout& layout = detail::kEventLayouts[Kind];
    uint64_t value = 0;
    return ((F >= n || (read_uint_unchecked(q, value) && store_field<layout.slots[F]>(event, value))) && ...);
}

template <uint8_t Kind>
inline bool read_fields(const uint8_t*& q, unsigned n, Event& event) {
    return read_fields<Kind>(q, n, event, std::make_index_sequence<detail::kEventLayouts[Kind].count>{});
}

// Nearly every event is a short array of unsigned integers of a known kind, with at most its
// layout's fields and no frames: read in one pass over the bytes, without going through the
// reader item by item, one switch on the kind selecting straight-line code for its fields.
// `cur` is where the event starts, at least kPlainEventMaxBytes before the end of the payload; on
// success it is moved past the event. Anything else (or anything out of range) returns false
// having consumed and kept nothing, and the general path reads the event and reports what is
// wrong with it.
inline bool read_plain_event(const uint8_t*& cur, DecodedBlock& out, uint64_t& ticks) {
    const uint8_t* const p = cur;
    if (p[0] < 0x82 || p[0] > 0x97) return false; // an array of 2 to 23 items: [kind, dt, ...]
    const uint8_t kind = p[1];
    if (kind == 0 || kind > kMaxKnownEventKind) return false;
    const detail::EventLayout& layout = detail::kEventLayouts[kind];
    const unsigned fields = (p[0] & 0x1fu) - 2u;
    if (fields > layout.count) return false; // fields of a later minor version
    const uint8_t* q = p + 2;
    uint64_t dt = 0;
    if (!read_uint_unchecked(q, dt) || dt > kMaxInt64) return false;
    Event& event = out.events.emplace_back();
    event.kind = static_cast<EventKind>(kind);
    bool ok = false;
    switch (static_cast<EventKind>(kind)) {
    case EventKind::ThreadSpanBegin: ok = read_fields<1>(q, fields, event); break;
    case EventKind::ThreadSpanEnd: ok = read_fields<2>(q, fields, event); break;
    case EventKind::AsyncSpanBegin: ok = read_fields<3>(q, fields, event); break;
    case EventKind::AsyncSpanEnd: ok = read_fields<4>(q, fields, event); break;
    case EventKind::TaskCreated: ok = read_fields<5>(q, fields, event); break;
    case EventKind::TaskRunBegin: ok = read_fields<6>(q, fields, event); break;
    case EventKind::TaskRunEnd: ok = read_fields<7>(q, fields, event); break;
    case EventKind::TaskCompleted: ok = read_fields<8>(q, fields, event); break;
    case EventKind::AwaitBegin: ok = read_fields<9>(q, fields, event); break;
    case EventKind::AwaitEnd: ok = read_fields<10>(q, fields, event); break;
    case EventKind::Blocking: ok = read_fields<11>(q, fields, event); break;
    case EventKind::LoopLag: ok = read_fields<12>(q, fields, event); break;
    case EventKind::EventsDropped: ok = read_fields<13>(q, fields, event); break;
    }
    if (!ok) {
        out.events.pop_back();
        return false;
    }
    ticks += dt;
    event.ticks = static_cast<int64_t>(ticks);
    cur = q;
    return true;
}

// One event read item by item: whatever the fast path leaves, and every check with its message.
bool read_event(CborReader& r, uint64_t index, DecodedBlock& out, uint64_t& ticks) {
    CborItem item;
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
        return true;
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
    return true;
}

bool read_events(CborReader& r, DecodedBlock& out) {
    uint64_t count = 0;
    if (!r.read_array(count, "events")) return false;
    out.events.reserve(count);
    // Unsigned arithmetic: a hostile dt sequence wraps instead of overflowing.
    uint64_t ticks = static_cast<uint64_t>(out.header.begin_ticks);
    // The fast path keeps its place in a register and hands it to the reader only when the general
    // path takes over: kept in the reader, the place would be stored and loaded again for every
    // event, on the critical path of reading the next one.
    const uint8_t* cur = r.rest().data();
    const uint8_t* const end = cur + r.remaining();
    for (uint64_t index = 0; index < count; ++index) {
        if (static_cast<size_t>(end - cur) >= kPlainEventMaxBytes && read_plain_event(cur, out, ticks)) continue;
        r.advance(static_cast<size_t>(cur - r.rest().data()));
        if (!read_event(r, index, out, ticks)) return false;
        cur = r.rest().data();
    }
    r.advance(static_cast<size_t>(cur - r.rest().data()));
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

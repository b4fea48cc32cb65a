#pragma once
// Reads the items of a block payload's events array (docs/FORMAT.md, "Events") and hands each event
// to a consumer as soon as it is read. This loop is the hot path of loading a trace. It has two
// consumers: BlockDecoder, which collects the events into DecodedBlock::events, and the
// ModelBuilder, which ingests each one on the spot so that loading a file never stores them.
// Internal to core.
//
// A consumer (`Sink`) provides:
//   template <EventKind K> void event(const Event&)  an event of a kind known at compile time
//   void event(const Event&)                         an event of kind `Event::kind`
//   std::vector<BlockLocationId>& frames()            where blocking events' frames go; an event's
//                                                    [frames_begin, +frames_count) index it
//   void unknown_event()                             one of a kind this reader does not know, skipped
//   void backwards_step()                            an event with a negative dt
//
// An event is handed over only once it was read whole and every field checked, so a consumer never
// sees part of one. On the first bad event decoding stops: the events before it have been handed
// over, and the reader's error names the event and what is wrong with it.

#include "format/cbor_reader.h"
#include "format/event_layout.h"
#include "format/records.h"

#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

namespace weft::format::detail {

inline constexpr uint64_t kMaxId32 = std::numeric_limits<uint32_t>::max();
inline constexpr uint64_t kMaxInt64 = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
inline constexpr size_t kMaxFramesPerEvent = std::numeric_limits<uint16_t>::max();

inline bool fail_event(CborReader& r, uint64_t index, const char* problem, uint64_t kind = 0) {
    char text[200];
    const char* name = kind >= 1 && kind <= kMaxKnownEventKind ? kEventNames[kind] : nullptr;
    std::snprintf(text, sizeof text, "event %llu%s%s%s: %s", static_cast<unsigned long long>(index),
                  name ? " (" : "", name ? name : "", name ? ")" : "", problem);
    return r.fail_item(text);
}

// The fast path below reads without checking bounds field by field: it runs only while at least
// this many bytes follow the event's start, enough for the longest event it accepts (array head,
// kind, then dt and at most kMaxEventFields fields of at most 9 bytes each) plus the 8-byte loads
// it makes.
inline constexpr size_t kPlainEventMaxBytes = 2 + (1 + kMaxEventFields) * 9 + 8;

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

// Stores one field's value in its slot of `event`: nullptr, or what is wrong with the value. Both
// paths store through this, so a field's checks live in one place; with a constant slot (the fast
// path) the switch folds away. Frames are an array, not a value: only read_event reads them.
[[gnu::always_inline]] inline const char* store_slot(Slot slot, Event& event, uint64_t value) {
    switch (slot) {
    case Slot::Id:
        event.id = value;
        return nullptr;
    case Slot::Id2:
        event.id2 = value;
        return nullptr;
    case Slot::Id3:
        event.id3 = value;
        return nullptr;
    case Slot::Number: // an unsigned integer here; read_event stores the other kinds of number
        event.set_counter_value(static_cast<double>(value));
        return nullptr;
    case Slot::Outcome:
        if (value > 255) return "outcome out of range";
        event.outcome = static_cast<uint8_t>(value);
        return nullptr;
    case Slot::Frames:
        return "frames: expected an array of location ids";
    case Slot::Ref1:
    case Slot::Ref2:
    case Slot::Ref3:
        if (value > kMaxId32) return "string or location id out of the 32-bit range";
        (slot == Slot::Ref1 ? event.ref1 : slot == Slot::Ref2 ? event.ref2 : event.ref3) = static_cast<uint32_t>(value);
        return nullptr;
    }
    return "unknown field";
}

template <Slot S>
inline bool store_field(Event& event, uint64_t value) {
    return store_slot(S, event, value) == nullptr;
}

// The first `n` fields of an event of kind `Kind` (missing trailing fields read as 0), unrolled at
// compile time from its layout: each field is one load and one store, with no loop and no switch.
template <uint8_t Kind, size_t... F>
inline bool read_fields(const uint8_t*& q, unsigned n, Event& event, std::index_sequence<F...>) {
    constexpr const EventLayout& layout = kEventLayouts[Kind];
    uint64_t value = 0;
    return ((F >= n || (read_uint_unchecked(q, value) && store_field<layout.slots[F]>(event, value))) && ...);
}

// The rest of a plain event of kind `Kind` whose dt was read: its fields, then the hand-over.
template <uint8_t Kind, class Sink>
[[gnu::always_inline]] inline bool read_plain_fields(const uint8_t*& q, unsigned n, uint64_t& ticks, uint64_t dt, Sink& sink) {
    if (n > kEventLayouts[Kind].count) return false; // fields of a later minor version
    Event event;
    event.kind = static_cast<EventKind>(Kind);
    if (!read_fields<Kind>(q, n, event, std::make_index_sequence<kEventLayouts[Kind].count>{})) return false;
    ticks += dt;
    event.ticks = static_cast<int64_t>(ticks);
    sink.template event<static_cast<EventKind>(Kind)>(event);
    return true;
}

// Nearly every event is a short array of unsigned integers of a known kind, with at most its
// layout's fields and no frames: read in one pass over the bytes, without going through the
// reader item by item, one switch on the kind selecting straight-line code for its fields and for
// what the consumer does with that kind (forced inline, with the consumer's code for each kind, so
// that the event's fields stay in registers). `cur` is where the event starts, at least
// kPlainEventMaxBytes before the end of the payload; on success it is moved past the event.
// Anything else (or anything out of range) returns false having consumed and handed over nothing,
// and the general path reads the event and reports what is wrong with it.
template <class Sink>
[[gnu::always_inline]] inline bool read_plain_event(const uint8_t*& cur, uint64_t& ticks, Sink& sink) {
    const uint8_t* const p = cur;
    if (p[0] < 0x82 || p[0] > 0x97) return false; // an array of 2 to 23 items: [kind, dt, ...]
    const uint8_t kind = p[1];
    const unsigned fields = (p[0] & 0x1fu) - 2u;
    const uint8_t* q = p + 2;
    uint64_t dt = 0;
    if (!read_uint_unchecked(q, dt) || dt > kMaxInt64) return false;
    const bool ok = with_event_kind(
        kind,
        [&](auto k) __attribute__((always_inline)) {
            return read_plain_fields<static_cast<uint8_t>(decltype(k)::value)>(q, fields, ticks, dt, sink);
        },
        [] { return false; });
    if (ok) cur = q;
    return ok;
}

template <class Sink>
bool read_frames(CborReader& r, uint64_t index, const CborItem& head, Sink& sink, Event& event) {
    if (head.type != CborType::Array) return fail_event(r, index, "frames: expected an array of location ids");
    std::vector<BlockLocationId>& frames = sink.frames();
    event.frames_begin = static_cast<uint32_t>(frames.size());
    CborItem item;
    for (uint64_t i = 0; i < head.value; ++i) {
        if (!r.next(item)) return false;
        if (item.type != CborType::UInt || item.value > kMaxId32) {
            return fail_event(r, index, "frames: expected a location id (uint32)");
        }
        // Deeper stacks than a uint16 count are cut: the innermost frames come first and matter most.
        if (i < kMaxFramesPerEvent) frames.push_back(static_cast<BlockLocationId>(item.value));
    }
    event.frames_count = static_cast<uint16_t>(head.value < kMaxFramesPerEvent ? head.value : kMaxFramesPerEvent);
    return true;
}

// One event read item by item: whatever the fast path leaves, and every check with its message.
// Kept out of the fast loop, whose registers it would otherwise crowd.
template <class Sink>
[[gnu::noinline]] bool read_event(CborReader& r, uint64_t index, uint64_t& ticks, Sink& sink) {
    CborItem item;
    if (!r.next(item)) return false;
    if (item.type != CborType::Array) return fail_event(r, index, "expected an array [kind, dt, ...]");
    const uint64_t fields = item.value;
    if (fields == 0) return fail_event(r, index, "empty array (expected [kind, dt, ...])");
    if (!r.next(item)) return false;
    if (item.type != CborType::UInt) return fail_event(r, index, "kind: expected a uint");
    const uint64_t kind = item.value;
    uint64_t used = 1;
    uint64_t at = ticks;
    bool backwards = false;
    if (fields >= 2) {
        if (!r.next(item)) return false;
        if (item.type == CborType::UInt && item.value <= kMaxInt64) {
            at += item.value;
        } else if (item.type == CborType::NegInt && item.value <= kMaxInt64) {
            at -= item.value + 1;
            backwards = true;
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
        ticks = at;
        if (backwards) sink.backwards_step();
        sink.unknown_event();
        return true;
    }
    Event event;
    event.kind = static_cast<EventKind>(kind);
    event.ticks = static_cast<int64_t>(at);
    const EventLayout& layout = kEventLayouts[kind];
    for (uint8_t f = 0; f < layout.count && used < fields; ++f, ++used) {
        if (!r.next(item)) return false;
        const Slot slot = layout.slots[f];
        if (slot == Slot::Frames) {
            if (!read_frames(r, index, item, sink, event)) return false;
            continue;
        }
        if (slot == Slot::Number && item.type != CborType::UInt) {
            if (item.type == CborType::Float)
                event.id2 = item.value; // already a double's bits
            else if (item.type == CborType::NegInt)
                event.set_counter_value(-1.0 - static_cast<double>(item.value));
            else
                return fail_event(r, index, "field: expected a number", kind);
            continue;
        }
        if (item.type != CborType::UInt) return fail_event(r, index, "field: expected a uint", kind);
        if (const char* problem = store_slot(slot, event, item.value)) return fail_event(r, index, problem, kind);
    }
    for (; used < fields; ++used) { // fields of a later minor version
        if (!r.skip_value(3)) return false;
    }
    ticks = at;
    if (backwards) sink.backwards_step();
    sink.event(event);
    return true;
}

// Reads `count` events from `r`, which stands just after the events array's head, starting the
// clock at `begin_ticks`. False on the first bad event, with r.error() saying what is wrong.
template <class Sink>
bool decode_events(CborReader& r, uint64_t count, int64_t begin_ticks, Sink& sink) {
    // Unsigned arithmetic: a hostile dt sequence wraps instead of overflowing.
    uint64_t ticks = static_cast<uint64_t>(begin_ticks);
    // The fast path keeps its place in a register and hands it to the reader only when the general
    // path takes over: kept in the reader, the place would be stored and loaded again for every
    // event, on the critical path of reading the next one.
    const uint8_t* cur = r.rest().data();
    const uint8_t* const end = cur + r.remaining();
    for (uint64_t index = 0; index < count; ++index) {
        if (static_cast<size_t>(end - cur) >= kPlainEventMaxBytes && read_plain_event(cur, ticks, sink)) continue;
        r.advance(static_cast<size_t>(cur - r.rest().data()));
        if (!read_event(r, index, ticks, sink)) return false;
        cur = r.rest().data();
    }
    r.advance(static_cast<size_t>(cur - r.rest().data()));
    return true;
}

// The events of a block decoded with its events left encoded (DecodedBlock::events_encoded), handed
// to `sink`. On failure `error` holds the block's offset and the reason, as BlockDecoder::decode
// would report it.
template <class Sink>
bool decode_encoded_events(const DecodedBlock& block, Sink& sink, FormatError& error) {
    const size_t size = static_cast<size_t>(block.header.payload_size);
    if (block.encoded_events_at > size || size > block.payload_storage.size()) {
        error = {block.offset, "block payload: encoded events outside the payload"};
        return false;
    }
    CborReader r({block.payload_storage.data(), size});
    r.advance(block.encoded_events_at);
    if (decode_events(r, block.encoded_event_count, block.header.begin_ticks, sink)) return true;
    error = {block.offset, "block payload: " + r.error().reason};
    return false;
}

} // namespace weft::format::detail

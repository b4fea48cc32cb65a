// Round trips of record bodies and block payloads, and the decoder's tolerance rules.

#include "format/cbor_writer.h"
#include "format/event_layout.h"
#include "format/record_codec.h"
#include "format_fixtures.h"

#include <gtest/gtest.h>
#include <cmath>
#include <random>
#include <variant>

using namespace weft::format;
using namespace weft::format::testing;

namespace {

// Returns the body of the single framed record in `framed`.
std::span<const uint8_t> body_of(const std::vector<uint8_t>& framed) {
    return std::span<const uint8_t>(framed).subspan(kFrameHeaderSize);
}

void expect_sample_round_trip(Codec codec) {
    const StreamInfo stream = sample_stream();
    BlockEncoder enc(3);
    enc.begin(sample_header(stream, -500));
    const SampleEvents sample = sample_events(enc, -500);
    for (size_t i = 0; i < sample.events.size(); ++i)
        enc.add(sample.events[i], sample.frames[i]);
    EXPECT_EQ(enc.event_count(), 13u);
    std::vector<uint8_t> framed;
    enc.finish(framed, codec);

    BlockDecoder decoder;
    DecodedBlock block;
    const FormatError error = decoder.decode(body_of(framed), 16, block);
    ASSERT_TRUE(error.ok()) << error.reason;
    EXPECT_EQ(block.header.codec, codec);
    EXPECT_EQ(block.header.stream_id, stream.stream_id);
    EXPECT_EQ(block.header.process_id, stream.process_id);
    EXPECT_NE(block.header.block_id, Uuid{}); // generated
    EXPECT_EQ(block.header.begin_ticks, -500);
    EXPECT_EQ(block.header.end_ticks, sample.events.back().ticks);
    EXPECT_EQ(block.header.nb_objects, 13u);
    EXPECT_EQ(block.header.object_offset, 0u);
    ASSERT_EQ(block.events.size(), sample.events.size());
    for (size_t i = 0; i < sample.events.size(); ++i) {
        EXPECT_TRUE(same_event(block.events[i], sample.events[i])) << "event " << i;
    }
    EXPECT_EQ(block.backwards_steps, 1u);
    EXPECT_EQ(block.unknown_events, 0u);

    // Strings and locations resolve through the block's own tables.
    const Event& created = block.events[4];
    EXPECT_EQ(block.string(created.ref1), "request");
    EXPECT_EQ(block.string(created.ref2), "handle_request()");
    const BlockLocation* loc = block.location(created.ref3);
    ASSERT_NE(loc, nullptr);
    EXPECT_EQ(block.string(loc->name), "handle");
    EXPECT_EQ(block.string(loc->target), "net");
    EXPECT_EQ(block.string(loc->file), "server.cpp");
    EXPECT_EQ(loc->line, 42u);
    EXPECT_EQ(block.string(block.events[7].ref1), "TimeoutError");

    const Event& blocking = block.events[10];
    ASSERT_EQ(blocking.frames_count, 2u);
    EXPECT_EQ(blocking.id2, 45u);
    EXPECT_EQ(blocking.id, 78u);
    EXPECT_EQ(block.location(block.frames[blocking.frames_begin])->line, 42u);
    EXPECT_EQ(block.location(block.frames[blocking.frames_begin + 1])->line, 10u);
}

} // namespace

TEST(RecordCodec, ProcessInfoRoundTrip) {
    const ProcessInfo info = sample_process();
    std::vector<uint8_t> body;
    encode_process_info(info, body);
    auto result = decode_process_info(body, 16);
    ASSERT_TRUE(std::holds_alternative<ProcessInfo>(result)) << std::get<FormatError>(result).reason;
    const auto& back = std::get<ProcessInfo>(result);
    EXPECT_EQ(back.process_id, info.process_id);
    EXPECT_EQ(back.exe, info.exe);
    EXPECT_EQ(back.pid, info.pid);
    EXPECT_EQ(back.hostname, info.hostname);
    EXPECT_EQ(back.start_time_ns, info.start_time_ns);
    EXPECT_EQ(back.start_ticks, info.start_ticks);
    EXPECT_EQ(back.tick_frequency, info.tick_frequency);
    EXPECT_EQ(back.properties, info.properties);
}

TEST(RecordCodec, StreamInfoRoundTrip) {
    const StreamInfo info = sample_stream(9);
    std::vector<uint8_t> body;
    encode_stream_info(info, body);
    auto result = decode_stream_info(body, 16);
    ASSERT_TRUE(std::holds_alternative<StreamInfo>(result)) << std::get<FormatError>(result).reason;
    const auto& back = std::get<StreamInfo>(result);
    EXPECT_EQ(back.stream_id, info.stream_id);
    EXPECT_EQ(back.process_id, info.process_id);
    EXPECT_EQ(back.thread_name, info.thread_name);
    EXPECT_EQ(back.thread_id, info.thread_id);
    EXPECT_EQ(back.tags, info.tags);
    EXPECT_EQ(back.properties, info.properties);
}

TEST(RecordCodec, UnknownKeysAreIgnoredAndRequiredKeysChecked) {
    std::vector<uint8_t> body;
    CborWriter w(body);
    w.map(3);
    w.text("process_id");
    w.bytes(make_id(1));
    w.text("future_key");
    w.array(2);
    w.map(1);
    w.text("x");
    w.uint(1);
    w.text("y");
    w.text("tick_frequency");
    w.uint(1000);
    auto ok = decode_process_info(body, 100);
    ASSERT_TRUE(std::holds_alternative<ProcessInfo>(ok)) << std::get<FormatError>(ok).reason;
    EXPECT_EQ(std::get<ProcessInfo>(ok).tick_frequency, 1000u);

    std::vector<uint8_t> missing;
    CborWriter m(missing);
    m.map(1);
    m.text("exe");
    m.text("a.out");
    auto bad = decode_process_info(missing, 100);
    ASSERT_TRUE(std::holds_alternative<FormatError>(bad));
    EXPECT_EQ(std::get<FormatError>(bad).offset, 100u);
    EXPECT_NE(std::get<FormatError>(bad).reason.find("process_id"), std::string::npos);

    std::vector<uint8_t> stream;
    CborWriter s(stream);
    s.map(1);
    s.text("stream_id");
    s.bytes(make_id(2));
    auto no_process = decode_stream_info(stream, 7);
    ASSERT_TRUE(std::holds_alternative<FormatError>(no_process));
    EXPECT_NE(std::get<FormatError>(no_process).reason.find("process_id"), std::string::npos);
}

TEST(RecordCodec, WrongTypeNamesTheKey) {
    std::vector<uint8_t> body;
    CborWriter w(body);
    w.map(2);
    w.text("process_id");
    w.bytes(make_id(1));
    w.text("pid");
    w.text("not a number");
    auto result = decode_process_info(body, 48);
    ASSERT_TRUE(std::holds_alternative<FormatError>(result));
    const std::string& reason = std::get<FormatError>(result).reason;
    EXPECT_NE(reason.find("pid"), std::string::npos) << reason;
    EXPECT_NE(reason.find("expected uint"), std::string::npos) << reason;
}

TEST(BlockCodec, AllEventKindsRoundTripZstd) {
    expect_sample_round_trip(Codec::Zstd);
}
TEST(BlockCodec, AllEventKindsRoundTripUncompressed) {
    expect_sample_round_trip(Codec::None);
}

TEST(BlockCodec, InterningDeduplicates) {
    BlockEncoder enc;
    EXPECT_EQ(enc.intern(""), 0u);
    const auto a = enc.intern("alpha");
    EXPECT_EQ(enc.intern("alpha"), a);
    EXPECT_NE(enc.intern("beta"), a);
    const auto l1 = enc.intern_location("f", "t", "x.cpp", 1);
    EXPECT_EQ(enc.intern_location("f", "t", "x.cpp", 1), l1);
    EXPECT_NE(enc.intern_location("f", "t", "x.cpp", 2), l1);
}

TEST(BlockCodec, ConsecutiveBlocksContinueObjectOffset) {
    const StreamInfo stream = sample_stream();
    BlockEncoder enc;
    enc.begin(sample_header(stream, 0));
    Event e;
    e.kind = EventKind::LoopLag;
    for (int i = 0; i < 5; ++i) {
        e.ticks = 10 * i;
        e.id2 = static_cast<uint64_t>(i);
        enc.add(e);
    }
    std::vector<uint8_t> first, second;
    enc.finish(first);
    EXPECT_EQ(enc.event_count(), 0u);
    e.ticks = 100;
    enc.add(e);
    enc.finish(second);
    BlockDecoder decoder;
    DecodedBlock block;
    ASSERT_TRUE(decoder.decode(body_of(second), 0, block).ok());
    EXPECT_EQ(block.header.object_offset, 5u);
    EXPECT_EQ(block.header.nb_objects, 1u);
    ASSERT_EQ(block.events.size(), 1u);
    EXPECT_EQ(block.events[0].ticks, 100);
    ASSERT_TRUE(decoder.decode(body_of(first), 0, block).ok()); // the same DecodedBlock is reused
    EXPECT_EQ(block.events.size(), 5u);
    EXPECT_EQ(block.events[4].ticks, 40);
}

TEST(BlockCodec, UnknownEventKindsAreSkippedWithNestedItems) {
    BlockHeader header = sample_header(sample_stream(), 100);
    std::vector<uint8_t> payload;
    CborWriter w(payload);
    w.map(2);
    w.text("events");
    w.array(3);
    w.array(3); // known: task_run_begin 5
    w.uint(6);
    w.uint(10);
    w.uint(5);
    w.array(4); // unknown kind 99 with nested items; its dt still counts
    w.uint(99);
    w.uint(20);
    w.map(1);
    w.text("k");
    w.array(2);
    w.array(1);
    w.uint(1);
    w.bytes(std::vector<uint8_t>{1, 2, 3});
    w.tag(1);
    w.uint(5);
    w.array(3); // known: task_run_end 5
    w.uint(7);
    w.uint(1);
    w.uint(5);
    w.text("future");
    w.array(1);
    w.text("x");
    for (Codec codec : {Codec::None, Codec::Zstd}) {
        const auto framed = framed_block_with_payload(header, payload, codec);
        BlockDecoder decoder;
        DecodedBlock block;
        const FormatError error = decoder.decode(body_of(framed), 0, block);
        ASSERT_TRUE(error.ok()) << error.reason;
        ASSERT_EQ(block.events.size(), 2u);
        EXPECT_EQ(block.unknown_events, 1u);
        EXPECT_EQ(block.events[0].ticks, 110);
        EXPECT_EQ(block.events[1].kind, EventKind::TaskRunEnd);
        EXPECT_EQ(block.events[1].ticks, 131);
        EXPECT_EQ(block.events[1].id, 5u);
    }
}

TEST(BlockCodec, MissingTrailingFieldsReadAsZeroAndExtraFieldsAreIgnored) {
    BlockHeader header = sample_header(sample_stream(), 0);
    std::vector<uint8_t> payload;
    CborWriter w(payload);
    w.map(1);
    w.text("events");
    w.array(4);
    w.array(3); // task_created with only task_id
    w.uint(5);
    w.uint(1);
    w.uint(9);
    w.array(1); // kind only: dt reads as 0
    w.uint(12);
    w.array(6); // task_completed with extra trailing fields, one of them nested
    w.uint(8);
    w.uint(2);
    w.uint(9);
    w.uint(1);
    w.uint(0);
    w.array(2);
    w.uint(1);
    w.array(0);
    w.array(3); // blocking without frames
    w.uint(11);
    w.uint(3);
    w.uint(100);
    const auto framed = framed_block_with_payload(header, payload, Codec::None);
    BlockDecoder decoder;
    DecodedBlock block;
    const FormatError error = decoder.decode(body_of(framed), 0, block);
    ASSERT_TRUE(error.ok()) << error.reason;
    ASSERT_EQ(block.events.size(), 4u);
    EXPECT_EQ(block.events[0].id, 9u);
    EXPECT_EQ(block.events[0].id2, 0u);
    EXPECT_EQ(block.events[0].ref3, 0u);
    EXPECT_EQ(block.events[1].kind, EventKind::LoopLag);
    EXPECT_EQ(block.events[1].ticks, 1);
    EXPECT_EQ(block.events[1].id2, 0u);
    EXPECT_EQ(block.events[2].id, 9u);
    EXPECT_EQ(block.events[2].outcome, 1u);
    EXPECT_EQ(block.events[2].ref1, 0u);
    EXPECT_EQ(block.events[2].ticks, 3);
    EXPECT_EQ(block.events[3].id2, 100u);
    EXPECT_EQ(block.events[3].id, 0u);
    EXPECT_EQ(block.events[3].frames_count, 0u);
    EXPECT_EQ(block.unknown_events, 0u);
}

// Integers of every width, at the limits each field accepts, and a negative dt: the common events
// and the unusual ones must decode by the same rules.
TEST(BlockCodec, IntegerWidthsAndFieldLimits) {
    BlockHeader header = sample_header(sample_stream(), 0);
    header.begin_ticks = 1000;
    std::vector<uint8_t> payload;
    CborWriter w(payload);
    w.map(1);
    w.text("events");
    w.array(4);
    w.array(7); // task_created: 1-, 2-, 4- and 8-byte arguments
    w.uint(5);
    w.uint(0xFFFF);
    w.uint(uint64_t{1} << 40);
    w.uint(23);
    w.uint(0xFFFFFFFFu);
    w.uint(24);
    w.uint(0x10000);
    w.array(5); // task_completed with the largest outcome
    w.uint(8);
    w.uint(1);
    w.uint(7);
    w.uint(255);
    w.uint(300);
    w.array(3); // a step back in time
    w.uint(7);
    w.integer(-10);
    w.uint(7);
    w.array(2); // no fields after dt
    w.uint(12);
    w.uint(0);
    const auto framed = framed_block_with_payload(header, payload, Codec::None);
    BlockDecoder decoder;
    DecodedBlock block;
    const FormatError error = decoder.decode(body_of(framed), 0, block);
    ASSERT_TRUE(error.ok()) << error.reason;
    ASSERT_EQ(block.events.size(), 4u);
    EXPECT_EQ(block.events[0].ticks, 1000 + 0xFFFF);
    EXPECT_EQ(block.events[0].id, uint64_t{1} << 40);
    EXPECT_EQ(block.events[0].id2, 23u);
    EXPECT_EQ(block.events[0].ref1, 0xFFFFFFFFu);
    EXPECT_EQ(block.events[0].ref2, 24u);
    EXPECT_EQ(block.events[0].ref3, 0x10000u);
    EXPECT_EQ(block.events[1].outcome, 255u);
    EXPECT_EQ(block.events[1].ref1, 300u);
    EXPECT_EQ(block.events[2].ticks, 1000 + 0xFFFF + 1 - 10);
    EXPECT_EQ(block.events[2].id, 7u);
    EXPECT_EQ(block.backwards_steps, 1u);
    EXPECT_EQ(block.events[3].ticks, block.events[2].ticks);

    // One past each limit is an error naming the event, alone in its payload (the general path
    // reads it) and followed by enough events for the fast path to take it first.
    const auto expect_refused = [&](auto write_bad, const std::string& reason) {
        for (const int tail : {0, 40}) {
            std::vector<uint8_t> bad;
            CborWriter b(bad);
            b.map(1);
            b.text("events");
            b.array(1 + static_cast<uint64_t>(tail));
            write_bad(b);
            for (int i = 0; i < tail; ++i) {
                b.array(3);
                b.uint(7);
                b.uint(1);
                b.uint(1000);
            }
            DecodedBlock out;
            const FormatError e = decoder.decode(body_of(framed_block_with_payload(header, bad, Codec::None)), 0, out);
            EXPECT_NE(e.reason.find(reason), std::string::npos) << e.reason << " (" << tail << " events after)";
        }
    };
    expect_refused(
        [](CborWriter& b) {
            b.array(4);
            b.uint(9);
            b.uint(1);
            b.uint(3);
            b.uint(uint64_t{1} << 32);
        },
        "event 0 (await_begin): string or location id out of the 32-bit range");
    expect_refused(
        [](CborWriter& b) {
            b.array(4);
            b.uint(8);
            b.uint(1);
            b.uint(3);
            b.uint(256);
        },
        "outcome out of range");
    expect_refused(
        [](CborWriter& b) {
            b.array(3);
            b.uint(6);
            b.uint(uint64_t{1} << 63);
            b.uint(3);
        },
        "dt: expected an int64");
    expect_refused(
        [](CborWriter& b) {
            b.array(3);
            b.uint(6);
            b.uint(1);
            b.text("x");
        },
        "field: expected a uint");
}

TEST(BlockCodec, LocationsWithMissingAndExtraFields) {
    BlockHeader header = sample_header(sample_stream(), 0);
    std::vector<uint8_t> payload;
    CborWriter w(payload);
    w.map(2);
    w.text("strings");
    w.array(1);
    w.text("main");
    w.text("locations");
    w.array(2);
    w.array(1);
    w.uint(1);
    w.array(6);
    w.uint(1);
    w.uint(0);
    w.uint(1);
    w.uint(77);
    w.text("column");
    w.uint(3);
    const auto framed = framed_block_with_payload(header, payload, Codec::Zstd);
    BlockDecoder decoder;
    DecodedBlock block;
    const FormatError error = decoder.decode(body_of(framed), 0, block);
    ASSERT_TRUE(error.ok()) << error.reason;
    ASSERT_EQ(block.locations.size(), 2u);
    EXPECT_EQ(block.string(block.locations[0].name), "main");
    EXPECT_EQ(block.locations[0].line, 0u);
    EXPECT_EQ(block.locations[1].line, 77u);
    EXPECT_EQ(block.string(block.locations[1].file), "main");
    EXPECT_EQ(block.location(0), nullptr);
    EXPECT_EQ(block.location(3), nullptr);
}

TEST(BlockCodec, EmptyBlock) {
    BlockEncoder enc;
    enc.begin(sample_header(sample_stream(), 5));
    std::vector<uint8_t> framed;
    enc.finish(framed);
    BlockDecoder decoder;
    DecodedBlock block;
    ASSERT_TRUE(decoder.decode(body_of(framed), 0, block).ok());
    EXPECT_TRUE(block.events.empty());
    EXPECT_EQ(block.header.nb_objects, 0u);
}

namespace {

// Writes `value` as a CBOR uint whose argument takes `width` bytes (0: the shortest form).
// Producers may pick any width: the Python agent writes fixed-width ids and times.
void put_uint(std::vector<uint8_t>& out, uint64_t value, unsigned width) {
    if (width == 0) {
        CborWriter(out).uint(value);
        return;
    }
    out.push_back(static_cast<uint8_t>(width == 1 ? 0x18 : width == 2 ? 0x19 : width == 4 ? 0x1a : 0x1b));
    for (unsigned i = width; i-- > 0;) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

// A random value for a field of this slot, in its range, and a width that holds it.
uint64_t random_field(std::mt19937_64& rng, weft::format::detail::Slot slot, unsigned& width) {
    using weft::format::detail::Slot;
    const uint64_t limit = slot == Slot::Outcome                     ? 255
                           : slot == Slot::Id || slot == Slot::Id2 || slot == Slot::Id3 || slot == Slot::Number
                               ? ~uint64_t{0}
                                                                     : 0xFFFFFFFFu;
    const unsigned bits = 1 + static_cast<unsigned>(rng() % 64);
    const uint64_t value = (bits == 64 ? rng() : rng() & ((uint64_t{1} << bits) - 1)) & limit;
    const unsigned needed = value < 24 ? 0 : value <= 0xFF ? 1 : value <= 0xFFFF ? 2 : value <= 0xFFFFFFFFu ? 4 : 8;
    static constexpr unsigned kWidths[] = {0, 1, 2, 4, 8};
    do {
        width = kWidths[rng() % 5];
    } while (width != 0 && width < needed);
    return value;
}

} // namespace

// Most events are read by a fast path that reads ahead of the event and so runs only while enough
// bytes follow; the last events of a payload, and a payload of one event, take the general path.
// Both must decode every kind, field count and integer width alike.
TEST(BlockCodec, FastAndGeneralPathsDecodeAlike) {
    using weft::format::detail::kEventLayouts;
    using weft::format::detail::Slot;
    BlockHeader header = sample_header(sample_stream(), 0);
    header.begin_ticks = 1000;
    std::mt19937_64 rng(11);

    struct Written {
        std::vector<uint8_t> bytes; // the event's CBOR array
        Event event;                // what it must decode to, ticks relative to the previous event
        std::vector<uint32_t> frames;
    };
    std::vector<Written> written;
    for (int i = 0; i < 4000; ++i) {
        Written x;
        const auto kind = static_cast<uint8_t>(1 + rng() % kMaxKnownEventKind);
        const auto& layout = kEventLayouts[kind];
        const unsigned fields = static_cast<unsigned>(rng() % (layout.count + 1u));
        CborWriter(x.bytes).array(2 + fields);
        CborWriter(x.bytes).uint(kind);
        unsigned width = 0;
        const uint64_t dt = random_field(rng, Slot::Ref1, width);
        put_uint(x.bytes, dt, width);
        x.event.kind = static_cast<EventKind>(kind);
        x.event.ticks = static_cast<int64_t>(dt);
        for (unsigned f = 0; f < fields; ++f) {
            const Slot slot = layout.slots[f];
            if (slot == Slot::Frames) {
                const auto count = static_cast<uint32_t>(rng() % 3);
                CborWriter(x.bytes).array(count);
                for (uint32_t k = 0; k < count; ++k) {
                    x.frames.push_back(1 + k);
                    CborWriter(x.bytes).uint(1 + k);
                }
                x.event.frames_count = static_cast<uint16_t>(count);
                continue;
            }
            const uint64_t value = random_field(rng, slot, width);
            put_uint(x.bytes, value, width);
            switch (slot) {
            case Slot::Id: x.event.id = value; break;
            case Slot::Id2: x.event.id2 = value; break;
            case Slot::Id3: x.event.id3 = value; break;
            case Slot::Number: x.event.set_counter_value(static_cast<double>(value)); break;
            case Slot::Ref1: x.event.ref1 = static_cast<uint32_t>(value); break;
            case Slot::Ref2: x.event.ref2 = static_cast<uint32_t>(value); break;
            case Slot::Ref3: x.event.ref3 = static_cast<uint32_t>(value); break;
            case Slot::Outcome: x.event.outcome = static_cast<uint8_t>(value); break;
            case Slot::Frames: break;
            }
        }
        written.push_back(std::move(x));
    }

    auto decode = [&](size_t first, size_t count, DecodedBlock& block) {
        std::vector<uint8_t> payload;
        CborWriter w(payload);
        w.map(1);
        w.text("events");
        w.array(count);
        for (size_t i = first; i < first + count; ++i)
            payload.insert(payload.end(), written[i].bytes.begin(), written[i].bytes.end());
        BlockDecoder decoder;
        return decoder.decode(body_of(framed_block_with_payload(header, payload, Codec::None)), 0, block);
    };
    auto expect_decoded = [&](const DecodedBlock& block, size_t first, size_t count) {
        ASSERT_EQ(block.events.size(), count);
        int64_t ticks = header.begin_ticks;
        size_t frames = 0;
        for (size_t i = 0; i < count; ++i) {
            Event want = written[first + i].event;
            ticks += want.ticks;
            want.ticks = ticks;
            ASSERT_TRUE(same_event(block.events[i], want)) << "event " << first + i;
            for (size_t k = 0; k < written[first + i].frames.size(); ++k)
                ASSERT_EQ(block.frames[block.events[i].frames_begin + k], written[first + i].frames[k]);
            frames += written[first + i].frames.size();
        }
        EXPECT_EQ(block.frames.size(), frames);
    };

    DecodedBlock all;
    const FormatError error = decode(0, written.size(), all);
    ASSERT_TRUE(error.ok()) << error.reason;
    expect_decoded(all, 0, written.size());
    for (size_t i = 0; i < 200; ++i) {
        DecodedBlock one;
        ASSERT_TRUE(decode(i, 1, one).ok());
        expect_decoded(one, i, 1);
    }
}

// The kinds and fields of format 1.1 go through the encoder and back, counter values of every sort
// of number included, and an older layout's reader (a 1.0 event count) is not needed to read them.
TEST(BlockCodec, MinorOneKindsRoundTrip) {
    BlockEncoder enc;
    enc.begin(sample_header(sample_stream(), 0));
    std::vector<Event> events;
    auto add = [&](Event e, std::span<const BlockLocationId> frames = {}) {
        e.ticks = 100 + static_cast<int64_t>(events.size());
        enc.add(e, frames);
        e.frames_count = static_cast<uint16_t>(frames.size());
        events.push_back(e);
    };
    const BlockStringId args = enc.intern("{\"url\":\"/index\"}");
    const BlockLocationId site = enc.intern_location("ipc", "toplevel", "", 0);
    Event span;
    span.kind = EventKind::AsyncSpanBegin;
    span.id = 7;
    span.id2 = 3;
    span.ref1 = site;
    span.ref3 = args;
    span.id3 = 0xFFFF'FFFF'FFFF'FFF0ull;
    add(span);
    Event flow;
    flow.kind = EventKind::Flow;
    flow.id = 42;
    flow.outcome = 1;
    flow.ref1 = site;
    flow.ref2 = 3;
    flow.id2 = 7;
    add(flow);
    Event instant;
    instant.kind = EventKind::Instant;
    instant.ref1 = site;
    instant.outcome = 2;
    instant.ref2 = args;
    add(instant);
    for (double v : {0.0, 1.0, 12345678.0, -1.0, -0.5, 0.25, 1e300, -0.0, 9.5e18, -9.3e18}) {
        Event counter;
        counter.kind = EventKind::Counter;
        counter.ref1 = enc.intern("memory");
        counter.ref2 = enc.intern("used");
        counter.set_counter_value(v);
        add(counter);
    }
    const BlockLocationId frames[] = {site, site};
    Event sample;
    sample.kind = EventKind::Sample;
    sample.ref1 = enc.intern("cpu");
    sample.id2 = 5;
    add(sample, frames);
    Event note;
    note.kind = EventKind::Diagnostic;
    note.ref1 = enc.intern("object events");
    note.id2 = 12;
    add(note);
    std::vector<uint8_t> framed;
    enc.finish(framed);

    {
        const EventDecoding mode = EventDecoding::Decode;
        BlockDecoder decoder;
        DecodedBlock block;
        ASSERT_TRUE(decoder.decode(body_of(framed), 0, block, mode).ok());
        ASSERT_EQ(block.events.size(), events.size());
        for (size_t i = 0; i < events.size(); ++i) {
            EXPECT_TRUE(same_event(block.events[i], events[i])) << "event " << i;
            if (events[i].kind == EventKind::Counter)
                EXPECT_EQ(std::signbit(block.events[i].counter_value()), std::signbit(events[i].counter_value()))
                    << "event " << i;
        }
        EXPECT_EQ(block.string(block.events.front().ref3), "{\"url\":\"/index\"}");
        EXPECT_EQ(block.unknown_events, 0u);
    }
}

#include "format_fixtures.h"

#include <cstdio>
#include <gtest/gtest.h>
#include <zstd.h>

namespace weft::format::testing {

Uuid make_id(uint8_t seed) {
    Uuid id{};
    for (size_t i = 0; i < id.size(); ++i)
        id[i] = static_cast<uint8_t>(seed * 17 + i);
    return id;
}

ProcessInfo sample_process() {
    ProcessInfo info;
    info.process_id = make_id(1);
    info.exe = "/usr/bin/demo";
    info.pid = 4242;
    info.hostname = "builder";
    info.start_time_ns = 1'700'000'000'000'000'000ull;
    info.start_ticks = -12345;
    info.tick_frequency = 2'400'000'000ull;
    info.properties = {{"language", "c++"}, {"agent", "weft_client"}};
    return info;
}

StreamInfo sample_stream(uint8_t seed) {
    StreamInfo info;
    info.stream_id = make_id(seed);
    info.process_id = make_id(1);
    info.thread_name = "worker-" + std::to_string(seed);
    info.thread_id = 1000u + seed;
    info.tags = {"thread", "event-loop"};
    info.properties = {{"pool", "io"}};
    return info;
}

BlockHeader sample_header(const StreamInfo& stream, int64_t begin_ticks) {
    BlockHeader header;
    header.stream_id = stream.stream_id;
    header.process_id = stream.process_id;
    header.begin_ticks = begin_ticks;
    header.end_ticks = begin_ticks;
    return header;
}

SampleEvents sample_events(BlockEncoder& enc, int64_t begin_ticks) {
    SampleEvents out;
    const BlockLocationId loc = enc.intern_location("handle", "net", "server.cpp", 42);
    const BlockLocationId outer = enc.intern_location("serve", "net", "server.cpp", 10);
    const BlockStringId name = enc.intern("request");
    const BlockStringId coro = enc.intern("handle_request()");
    const BlockStringId message = enc.intern("TimeoutError");
    const uint64_t big = 0xFEDCBA9876543210ull; // ids use all 64 bits
    int64_t t = begin_ticks;
    auto push = [&](EventKind kind, int64_t dt, uint64_t id, uint64_t id2, uint32_t r1, uint32_t r2,
                    uint32_t r3, uint8_t outcome = 0, std::vector<BlockLocationId> frames = {}) {
        t += dt;
        Event e;
        e.kind = kind;
        e.ticks = t;
        e.id = id;
        e.id2 = id2;
        e.ref1 = r1;
        e.ref2 = r2;
        e.ref3 = r3;
        e.outcome = outcome;
        e.frames_count = static_cast<uint16_t>(frames.size());
        out.events.push_back(e);
        out.frames.push_back(std::move(frames));
    };
    push(EventKind::ThreadSpanBegin, 5, 0, 0, loc, name, 0);
    push(EventKind::ThreadSpanEnd, 7, 0, 0, loc, 0, 0);
    push(EventKind::AsyncSpanBegin, 1, big, big - 1, loc, name, 0);
    push(EventKind::AsyncSpanEnd, 300, big, 0, 0, 0, 0);
    push(EventKind::TaskCreated, 2, 77, 76, name, coro, loc);
    push(EventKind::TaskRunBegin, 0, 77, 0, 0, 0, 0);
    push(EventKind::TaskRunEnd, -3, 77, 0, 0, 0, 0); // time going backwards
    push(EventKind::TaskCompleted, 9, 77, 0, message, 0, 0, 2);
    push(EventKind::AwaitBegin, 4, 78, 0, name, loc, 0);
    push(EventKind::AwaitEnd, 1'000'000'000'000ll, 78, 0, 0, 0, 0);
    push(EventKind::Blocking, 50, 78, 45, 0, 0, 0, 0, {loc, outer});
    push(EventKind::LoopLag, 6, 0, 1234, 0, 0, 0);
    push(EventKind::EventsDropped, 1, 0, 3, 0, 0, 0);
    return out;
}

std::vector<uint8_t> framed_block_with_payload(const BlockHeader& header, const std::vector<uint8_t>& payload,
                                               Codec codec) {
    BlockHeader h = header;
    h.codec = codec;
    h.payload_size = payload.size();
    std::vector<uint8_t> stored = payload;
    if (codec == Codec::Zstd) {
        stored.resize(ZSTD_compressBound(payload.size()));
        stored.resize(ZSTD_compress(stored.data(), stored.size(), payload.data(), payload.size(), 3));
    }
    std::vector<uint8_t> body, out;
    encode_block(h, stored, body);
    append_record(static_cast<uint8_t>(RecordKind::Block), body, out);
    return out;
}

std::vector<uint8_t> small_trace(int blocks, std::vector<uint64_t>* offsets, Codec codec) {
    std::vector<uint8_t> out;
    append_file_header(out);
    auto append = [&out](const std::vector<uint8_t>& framed) { out.insert(out.end(), framed.begin(), framed.end()); };
    if (offsets) offsets->push_back(out.size());
    append(frame_process_info(sample_process()));
    const StreamInfo stream = sample_stream();
    if (offsets) offsets->push_back(out.size());
    append(frame_stream_info(stream));
    BlockEncoder enc;
    int64_t begin = 1000;
    for (int b = 0; b < blocks; ++b) {
        BlockHeader header = sample_header(stream, begin);
        header.object_offset = static_cast<uint64_t>(b) * 13;
        enc.begin(header);
        const SampleEvents sample = sample_events(enc, begin);
        for (size_t i = 0; i < sample.events.size(); ++i)
            enc.add(sample.events[i], sample.frames[i]);
        if (offsets) offsets->push_back(out.size());
        enc.finish(out, codec);
        begin = sample.events.back().ticks;
    }
    return out;
}

void MemorySink::on_block(const DecodedBlock& block) {
    StoredBlock s;
    s.header = block.header;
    for (std::string_view text : block.strings)
        s.strings.emplace_back(text);
    s.locations = block.locations;
    s.events = block.events;
    s.frames = block.frames;
    s.unknown_events = block.unknown_events;
    s.backwards_steps = block.backwards_steps;
    blocks.push_back(std::move(s));
}

std::string write_temp_file(const std::string& name, const std::vector<uint8_t>& bytes) {
    const std::string path = ::testing::TempDir() + "weft_format_" + name;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) {
        ADD_FAILURE() << "cannot create " << path;
        return path;
    }
    if (!bytes.empty()) std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
    return path;
}

bool same_event(const Event& a, const Event& b) {
    return a.kind == b.kind && a.ticks == b.ticks && a.id == b.id && a.id2 == b.id2 && a.id3 == b.id3 && a.ref1 == b.ref1 &&
           a.ref2 == b.ref2 && a.ref3 == b.ref3 && a.outcome == b.outcome && a.frames_count == b.frames_count;
}

} // namespace weft::format::testing

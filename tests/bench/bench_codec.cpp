// Encode and decode throughput of blocks of typical async events (task runs, awaits, spans), with
// the compressed size per event. Reported, never asserted.

#include "format/block_encoder.h"
#include "format/framing.h"
#include "format/record_codec.h"

#include <benchmark/benchmark.h>
#include <string>
#include <vector>

using namespace weft::format;

namespace {

constexpr int kEventsPerBlock = 16384;

// A deterministic event mix shaped like an asyncio server: tasks created, run in slices, awaiting
// I/O, with async spans and the odd lag sample; dt of a few hundred to a few thousand ticks.
void add_typical_events(BlockEncoder& enc, int count) {
    BlockLocationId locations[16];
    BlockStringId names[16];
    for (int i = 0; i < 16; ++i) {
        locations[i] =
            enc.intern_location("handler_" + std::to_string(i), "app.server", "server.py", 100 + 7 * i);
        names[i] = enc.intern("task-" + std::to_string(i));
    }
    uint64_t seed = 88172645463325252ull;
    auto rnd = [&] {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        return seed;
    };
    int64_t t = 1'000'000;
    uint64_t next_task = 1;
    Event e;
    for (int n = 0; n < count;) {
        const uint64_t task = next_task++;
        const uint32_t k = static_cast<uint32_t>(task % 16);
        auto emit = [&](EventKind kind, uint64_t id, uint64_t id2, uint32_t r1, uint32_t r2, uint32_t r3) {
            t += static_cast<int64_t>(200 + rnd() % 3000);
            e = Event{};
            e.kind = kind;
            e.ticks = t;
            e.id = id;
            e.id2 = id2;
            e.ref1 = r1;
            e.ref2 = r2;
            e.ref3 = r3;
            enc.add(e);
            ++n;
        };
        emit(EventKind::TaskCreated, task, task > 1 ? task - 1 : 0, names[k], names[(k + 1) % 16],
             locations[k]);
        emit(EventKind::AsyncSpanBegin, task, 0, locations[k], 0, 0);
        for (int slice = 0; slice < 3; ++slice) {
            emit(EventKind::TaskRunBegin, task, 0, 0, 0, 0);
            emit(EventKind::AwaitBegin, task, 0, names[(k + slice) % 16], locations[(k + slice) % 16], 0);
            emit(EventKind::TaskRunEnd, task, 0, 0, 0, 0);
            emit(EventKind::AwaitEnd, task, 0, 0, 0, 0);
        }
        emit(EventKind::TaskCompleted, task, 0, 0, 0, 0);
        emit(EventKind::AsyncSpanEnd, task, 0, 0, 0, 0);
        if (task % 8 == 0) emit(EventKind::LoopLag, 0, rnd() % 50'000, 0, 0, 0);
    }
}

std::vector<uint8_t> make_block(Codec codec, int level, int count = kEventsPerBlock) {
    BlockEncoder enc(level);
    BlockHeader header;
    header.stream_id[0] = 1;
    header.process_id[0] = 2;
    header.begin_ticks = 1'000'000;
    enc.begin(header);
    add_typical_events(enc, count);
    std::vector<uint8_t> framed;
    enc.finish(framed, codec);
    return framed;
}

void BM_Encode(benchmark::State& state) {
    const auto level = static_cast<int>(state.range(0));
    BlockEncoder enc(level);
    std::vector<uint8_t> framed;
    BlockHeader header;
    header.stream_id[0] = 1;
    header.process_id[0] = 2;
    for (auto _ : state) {
        enc.begin(header);
        add_typical_events(enc, kEventsPerBlock);
        framed.clear();
        enc.finish(framed, Codec::Zstd);
        benchmark::DoNotOptimize(framed.data());
    }
    state.SetItemsProcessed(state.iterations() * kEventsPerBlock);
    state.counters["bytes/event"] = static_cast<double>(framed.size()) / kEventsPerBlock;
}
BENCHMARK(BM_Encode)->Arg(weft::format::kDefaultZstdLevel)->Arg(1)->Arg(3)->Arg(9);

void BM_Decode(benchmark::State& state) {
    const auto codec = static_cast<Codec>(state.range(0));
    const std::vector<uint8_t> framed = make_block(codec, weft::format::kDefaultZstdLevel);
    const std::span<const uint8_t> body = std::span<const uint8_t>(framed).subspan(kFrameHeaderSize);
    BlockDecoder decoder;
    DecodedBlock block;
    for (auto _ : state) {
        const FormatError error = decoder.decode(body, 0, block);
        if (!error.ok()) state.SkipWithError(error.reason.c_str());
        benchmark::DoNotOptimize(block.events.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(block.events.size()));
    state.counters["bytes/event"] = static_cast<double>(framed.size()) / kEventsPerBlock;
    state.counters["ns/event"] =
        benchmark::Counter(static_cast<double>(state.iterations()) * kEventsPerBlock,
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_Decode)->Arg(static_cast<int>(Codec::None))->Arg(static_cast<int>(Codec::Zstd));

} // namespace

BENCHMARK_MAIN();

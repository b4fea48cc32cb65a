// Replay driver for compilers without libFuzzer: runs the fuzz entry point on each file given on the
// command line, then on deterministic mutations of a valid trace built in memory.

#include "format/block_encoder.h"
#include "format/framing.h"
#include "format/record_codec.h"

#include "replay_rng.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

using namespace weft::format;

namespace {

using Rng = ReplayRng;

Uuid id(uint8_t seed) {
    Uuid u{};
    for (size_t i = 0; i < u.size(); ++i)
        u[i] = static_cast<uint8_t>(seed + i);
    return u;
}

// Record bodies of a small but complete trace, with both codecs.
std::vector<std::pair<uint8_t, std::vector<uint8_t>>> seed_records() {
    std::vector<std::pair<uint8_t, std::vector<uint8_t>>> records;
    ProcessInfo process;
    process.process_id = id(1);
    process.exe = "demo";
    process.properties = {{"language", "c++"}};
    records.push_back({1, {}});
    encode_process_info(process, records.back().second);
    StreamInfo stream;
    stream.stream_id = id(2);
    stream.process_id = id(1);
    stream.tags = {"event-loop"};
    records.push_back({2, {}});
    encode_stream_info(stream, records.back().second);

    BlockEncoder encoder;
    for (Codec codec : {Codec::None, Codec::Zstd}) {
        BlockHeader header;
        header.stream_id = stream.stream_id;
        header.process_id = stream.process_id;
        encoder.begin(header);
        const BlockLocationId loc = encoder.intern_location("run", "demo", "demo.cpp", 7);
        const BlockStringId name = encoder.intern("task");
        for (uint8_t kind = 1; kind <= kMaxKnownEventKind; ++kind) {
            Event e;
            e.kind = static_cast<EventKind>(kind);
            e.ticks = kind * 100 - (kind == 7 ? 150 : 0);
            e.id = kind;
            e.id2 = kind + 1;
            e.ref1 = name;
            e.ref2 = loc;
            e.ref3 = loc;
            const BlockLocationId frames[] = {loc, loc};
            encoder.add(e, kind == 11 ? std::span<const BlockLocationId>(frames)
                                      : std::span<const BlockLocationId>{});
        }
        std::vector<uint8_t> framed;
        encoder.finish(framed, codec);
        records.push_back({3, {framed.begin() + kFrameHeaderSize, framed.end()}});
    }
    return records;
}

std::vector<uint8_t> frame_all(const std::vector<std::pair<uint8_t, std::vector<uint8_t>>>& records) {
    std::vector<uint8_t> out;
    append_file_header(out);
    for (const auto& [kind, body] : records)
        append_record(kind, body, out);
    return out;
}

void mutate(std::vector<uint8_t>& bytes, Rng& rng) {
    static const uint8_t interesting[] = {0x00, 0xff, 0x18, 0x1b, 0x1f, 0x5f, 0x7f,
                                          0x9b, 0x9f, 0xbb, 0xbf, 0xc0, 0xf7};
    const int edits = 1 + static_cast<int>(rng.below(4));
    for (int i = 0; i < edits && !bytes.empty(); ++i) {
        const size_t at = rng.below(bytes.size());
        switch (rng.below(6)) {
        case 0:
            bytes[at] ^= static_cast<uint8_t>(1u << rng.below(8));
            break;
        case 1:
            bytes[at] = interesting[rng.below(sizeof interesting)];
            break;
        case 2:
            bytes.resize(at);
            break;
        case 3:
            bytes.erase(bytes.begin() + static_cast<long>(at));
            break;
        case 4:
            bytes.insert(bytes.begin() + static_cast<long>(at), static_cast<uint8_t>(rng.next()));
            break;
        default: { // duplicate a range elsewhere
            const size_t len = rng.below(std::min<size_t>(64, bytes.size() - at)) + 1;
            std::vector<uint8_t> piece(bytes.begin() + static_cast<long>(at),
                                       bytes.begin() + static_cast<long>(at + len));
            const size_t to = rng.below(bytes.size());
            bytes.insert(bytes.begin() + static_cast<long>(to), piece.begin(), piece.end());
        }
        }
    }
}

} // namespace

int main(int argc, char** argv) {
    size_t runs = 0;
    for (int i = 1; i < argc; ++i) {
        std::ifstream file(argv[i], std::ios::binary);
        const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)),
                                         std::istreambuf_iterator<char>());
        LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
        ++runs;
    }
    const auto records = seed_records();
    const std::vector<uint8_t> valid = frame_all(records);
    LLVMFuzzerTestOneInput(valid.data(), valid.size());
    Rng rng{0x5eed5eed12345678ull};
    for (int round = 0; round < 5000; ++round) {
        // Mutating the whole file exercises framing; mutating one body and framing it again with a
        // correct checksum gets the mutation past framing into the decoders.
        if (round % 2 == 0) {
            std::vector<uint8_t> bytes = valid;
            mutate(bytes, rng);
            LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
        } else {
            auto copy = records;
            mutate(copy[rng.below(copy.size())].second, rng);
            const std::vector<uint8_t> bytes = frame_all(copy);
            LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
        }
        ++runs;
    }
    std::printf("fuzz replay: %zu inputs, no crash\n", runs);
    return 0;
}

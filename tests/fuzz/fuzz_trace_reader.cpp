// Fuzz entry point: the input is read as a .weft file (header, framing, every record decoded) and,
// so that mutations reach the decoders without having to fix checksums, also decoded directly as
// each kind of record body. Every block is also left with its events encoded and given to a model
// builder, which then reads the events itself, as loading a file does.

#include "format/framing.h"
#include "format/record_codec.h"
#include "model/model_builder.h"

#include <cstddef>
#include <cstdint>
#include <span>

using namespace weft::format;

namespace {

// Hands a block with its events left encoded to the builder, announcing its process and stream
// first so that it is ingested whatever ids it claims.
void build_block(std::span<const uint8_t> body, uint64_t offset, BlockDecoder& decoder, DecodedBlock& block,
                 weft::ModelBuilder& builder) {
    const FormatError error = decoder.decode(body, offset, block, EventDecoding::LeaveEncoded);
    if (!error.ok() && !block.events_cut) return;
    ProcessInfo process;
    process.process_id = block.header.process_id;
    builder.on_process(process);
    StreamInfo stream;
    stream.stream_id = block.header.stream_id;
    stream.process_id = block.header.process_id;
    builder.on_stream(stream);
    builder.on_block(block);
}

void decode_record(uint8_t kind, std::span<const uint8_t> body, uint64_t offset, BlockDecoder& decoder,
                   DecodedBlock& block, weft::ModelBuilder& builder) {
    switch (kind) {
    case static_cast<uint8_t>(RecordKind::ProcessInfo):
        (void)decode_process_info(body, offset);
        break;
    case static_cast<uint8_t>(RecordKind::StreamInfo):
        (void)decode_stream_info(body, offset);
        break;
    case static_cast<uint8_t>(RecordKind::Block): {
        const FormatError error = decoder.decode(body, offset, block);
        if (error.ok()) {
            // Touch what a consumer would: resolve every reference the way the model builder does.
            volatile size_t sink = 0;
            for (const Event& e : block.events) {
                sink = sink + block.string(e.ref1).size() + (block.location(e.ref2) != nullptr);
                for (uint32_t i = 0; i < e.frames_count; ++i)
                    sink = sink + block.frames.at(e.frames_begin + i);
            }
        }
        build_block(body, offset, decoder, block, builder);
        break;
    }
    default:
        break;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::span<const uint8_t> input(data, size);
    BlockDecoder decoder;
    DecodedBlock block;
    weft::ModelBuilder builder;

    // As a file: a valid header is skipped, otherwise the whole input is taken as records.
    const bool has_header = !check_file_header(input).has_value();
    const std::span<const uint8_t> records = has_header ? input.subspan(kFileHeaderSize) : input;
    FrameReader reader(has_header ? kFileHeaderSize : 0);
    // Chunk sizes vary with the input so that partial frames are exercised too.
    const size_t chunk = size > 0 ? 1 + data[size - 1] % 64 : 1;
    for (size_t pos = 0; pos < records.size(); pos += chunk) {
        reader.append(records.subspan(pos, std::min(chunk, records.size() - pos)));
        while (auto record = reader.next())
            decode_record(record->kind, record->body, record->offset, decoder, block, builder);
    }
    reader.finish();
    while (auto record = reader.next())
        decode_record(record->kind, record->body, record->offset, decoder, block, builder);

    // As bare bodies.
    for (uint8_t kind = 1; kind <= 3; ++kind)
        decode_record(kind, input, 0, decoder, block, builder);
    (void)builder.finish();
    return 0;
}

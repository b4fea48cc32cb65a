// Loading a file, the ModelBuilder reads each block's events straight from the payload
// (format/event_decoder.h) instead of receiving them decoded. Both ways must build the same model,
// and damage inside a block's events must cost only the events from the damaged one on, however
// the events arrive.

#include "model_dump.h"

#include "format/cbor_writer.h"
#include "format/framing.h"
#include "format/record_codec.h"
#include "format/trace_reader.h"
#include "model/model_builder.h"
#include "synth/synthetic_trace.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace weft::test {
namespace {

namespace fs = std::filesystem;

std::string temp_path(const std::string& name) {
    return (fs::temp_directory_path() / ("weft-encoded-" + std::to_string(getpid()) + "-" + name)).string();
}

// Passes everything to a builder, but as a plain sink: the reader decodes the events first.
struct DecodingForwarder final : format::TraceSink {
    ModelBuilder& builder;
    explicit DecodingForwarder(ModelBuilder& b) : builder(b) {}
    void on_process(const format::ProcessInfo& info) override { builder.on_process(info); }
    void on_stream(const format::StreamInfo& info) override { builder.on_stream(info); }
    void on_block(const format::DecodedBlock& block) override {
        EXPECT_FALSE(block.events_encoded);
        builder.on_block(block);
    }
};

// Keeps what the reader hands over of each block.
struct BlockCounter final : format::TraceSink {
    std::vector<size_t> events;
    std::vector<bool> cut;
    void on_process(const format::ProcessInfo&) override {}
    void on_stream(const format::StreamInfo&) override {}
    void on_block(const format::DecodedBlock& block) override {
        events.push_back(block.events.size());
        cut.push_back(block.events_cut);
    }
};

// Generates a trace with `options` and builds it both ways.
void expect_same_model_both_ways(const synth::SynthOptions& options) {
    const std::string path = temp_path("same-" + std::to_string(options.seed) + ".weft");
    synth::SynthResult result;
    std::string error;
    ASSERT_TRUE(synth::generate_trace(options, path, result, error)) << error;

    ModelBuilder encoded_builder;
    format::ReadReport encoded_report = format::read_trace_file(path, encoded_builder);
    encoded_builder.add_read_report(encoded_report);
    const auto encoded = encoded_builder.finish();

    ModelBuilder decoded_builder;
    DecodingForwarder forward(decoded_builder);
    format::ReadReport decoded_report = format::read_trace_file(path, forward);
    decoded_builder.add_read_report(decoded_report);
    const auto decoded = decoded_builder.finish();
    fs::remove(path);

    EXPECT_TRUE(encoded_report.errors.empty());
    EXPECT_EQ(encoded_report.events, decoded_report.events);
    EXPECT_EQ(encoded_report.records, decoded_report.records);
    EXPECT_EQ(encoded->event_count, decoded->event_count);
    EXPECT_GT(encoded->event_count, 10'000u);
    EXPECT_EQ(dump_model(*encoded), dump_model(*decoded));
    EXPECT_EQ(encoded->strings, decoded->strings);
}

TEST(EncodedEvents, SameModelAsFromDecodedEvents) {
    synth::SynthOptions options;
    options.events = 40'000;
    options.threads = 4;
    options.block_events = 700;
    options.seed = 7;
    expect_same_model_both_ways(options);
}

TEST(EncodedEvents, SameModelWithTicksThatAreNotNanoseconds) {
    synth::SynthOptions options;
    options.events = 20'000;
    options.tick_frequency = 2'400'000'000; // a TSC: every time takes the clock's scaled path
    options.seed = 8;
    expect_same_model_both_ways(options);
}

// A file of one process, one stream and one uncompressed block whose events are `good` valid
// run begin/end pairs' events followed by a malformed one and then more valid ones. `block_at`
// receives the block record's offset.
std::string file_with_damaged_events(int good, uint64_t& block_at) {
    format::ProcessInfo process;
    process.process_id[0] = 1;
    process.tick_frequency = 1'000'000'000;
    format::StreamInfo stream;
    stream.stream_id[0] = 2;
    stream.process_id = process.process_id;
    stream.thread_name = "main";

    std::vector<uint8_t> payload;
    format::CborWriter w(payload);
    w.map(3);
    w.text("strings");
    w.array(0);
    w.text("locations");
    w.array(0);
    w.text("events");
    w.array(static_cast<uint64_t>(good) + 3);
    for (int i = 0; i < good; ++i) {
        w.array(3); // [task_run_begin or _end, dt, task_id]
        w.uint(i % 2 == 0 ? 6 : 7);
        w.uint(10);
        w.uint(1);
    }
    w.array(3); // the damage: a task id that is text
    w.uint(6);
    w.uint(10);
    w.text("one");
    for (int i = 0; i < 2; ++i) {
        w.array(3);
        w.uint(6 + i);
        w.uint(10);
        w.uint(1);
    }

    format::BlockHeader header;
    header.block_id[0] = 3;
    header.stream_id = stream.stream_id;
    header.process_id = process.process_id;
    header.begin_ticks = 100;
    header.end_ticks = 100000;
    header.nb_objects = static_cast<uint64_t>(good) + 3;
    header.codec = format::Codec::None;
    header.payload_size = payload.size();
    std::vector<uint8_t> body, bytes;
    format::encode_block(header, payload, body);

    format::append_file_header(bytes);
    const auto p = format::frame_process_info(process);
    bytes.insert(bytes.end(), p.begin(), p.end());
    const auto s = format::frame_stream_info(stream);
    bytes.insert(bytes.end(), s.begin(), s.end());
    block_at = bytes.size();
    format::append_record(static_cast<uint8_t>(format::RecordKind::Block), body, bytes);

    const std::string path = temp_path("damaged.weft");
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                 static_cast<std::streamsize>(bytes.size()));
    return path;
}

TEST(EncodedEvents, DamageKeepsTheEventsBeforeIt) {
    uint64_t block_at = 0;
    const std::string path = file_with_damaged_events(40, block_at); // the damage is event 40

    format::ReadReport report;
    const auto model = load_trace(path, report);
    ASSERT_TRUE(model);
    EXPECT_EQ(model->event_count, 40u);
    EXPECT_EQ(model->runs.size(), 20u);
    EXPECT_EQ(report.events, 40u);
    EXPECT_EQ(report.records, 2u); // the damaged block is not an intact record
    ASSERT_EQ(report.errors.size(), 1u);
    EXPECT_EQ(report.errors[0].offset, block_at);
    EXPECT_NE(report.errors[0].reason.find("event 40"), std::string::npos) << report.errors[0].reason;
    EXPECT_EQ(model->diagnostics.damaged_records, 1u);
    ASSERT_EQ(model->diagnostics.messages.size(), 1u);
    EXPECT_NE(model->diagnostics.messages[0].find("event 40"), std::string::npos);

    // A reader that decodes the events hands over the same 40, marked as cut, and the same error.
    BlockCounter counter;
    const format::ReadReport decoded_report = format::read_trace_file(path, counter);
    ASSERT_EQ(counter.events.size(), 1u);
    EXPECT_EQ(counter.events[0], 40u);
    EXPECT_TRUE(counter.cut[0]);
    ASSERT_EQ(decoded_report.errors.size(), 1u);
    EXPECT_EQ(decoded_report.errors[0].offset, block_at);
    EXPECT_EQ(decoded_report.errors[0].reason, report.errors[0].reason);
    fs::remove(path);
}

TEST(EncodedEvents, DamageCountsEvenWithoutTheReadReport) {
    uint64_t block_at = 0;
    const std::string path = file_with_damaged_events(6, block_at);
    ModelBuilder builder;
    format::read_trace_file(path, builder);
    const auto model = builder.finish(); // add_read_report was never called
    EXPECT_EQ(model->event_count, 6u);
    EXPECT_EQ(model->diagnostics.damaged_records, 1u);
    fs::remove(path);
}

TEST(EncodedEvents, DamageAtTheFirstEventKeepsNothingAndCrashesNothing) {
    uint64_t block_at = 0;
    const std::string path = file_with_damaged_events(0, block_at);
    format::ReadReport report;
    const auto model = load_trace(path, report);
    ASSERT_TRUE(model);
    EXPECT_EQ(model->event_count, 0u);
    ASSERT_EQ(report.errors.size(), 1u);
    EXPECT_NE(report.errors[0].reason.find("event 0"), std::string::npos) << report.errors[0].reason;
    fs::remove(path);
}

} // namespace
} // namespace weft::test

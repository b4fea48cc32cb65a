// Writing and reading whole .weft files.

#include "format/trace_writer.h"
#include "format_fixtures.h"

#include <atomic>
#include <gtest/gtest.h>

using namespace weft::format;
using namespace weft::format::testing;

TEST(TraceFile, WriterAndReaderRoundTrip) {
    const std::string path = ::testing::TempDir() + "weft_format_roundtrip.weft";
    const ProcessInfo process = sample_process();
    const StreamInfo a = sample_stream(2), b = sample_stream(3);
    TraceWriter writer;
    ASSERT_TRUE(writer.open(path)) << writer.error();
    ASSERT_TRUE(writer.write_process_info(process));
    ASSERT_TRUE(writer.write_stream_info(a));
    ASSERT_TRUE(writer.write_stream_info(b));
    BlockEncoder enc_a, enc_b(5);
    enc_a.begin(sample_header(a, 0));
    enc_b.begin(sample_header(b, 0));
    std::vector<uint8_t> framed;
    for (int block = 0; block < 3; ++block) {
        for (BlockEncoder* enc : {&enc_a, &enc_b}) {
            const SampleEvents s = sample_events(*enc, block * 10'000);
            for (size_t i = 0; i < s.events.size(); ++i)
                enc->add(s.events[i], s.frames[i]);
            framed.clear();
            enc->finish(framed, block == 1 ? Codec::None : Codec::Zstd);
            ASSERT_TRUE(writer.write_framed(framed));
        }
    }
    ASSERT_TRUE(writer.close()) << writer.error();

    MemorySink sink;
    std::vector<std::pair<uint64_t, uint64_t>> progress;
    ReadOptions options;
    options.progress = [&](uint64_t done, uint64_t total) { progress.emplace_back(done, total); };
    const ReadReport report = read_trace_file(path, sink, options);
    EXPECT_FALSE(report.fatal);
    EXPECT_TRUE(report.errors.empty()) << to_string(report.errors.front());
    EXPECT_EQ(report.records, 9u);
    EXPECT_EQ(report.events, 6u * 13);
    EXPECT_EQ(report.skipped_bytes, 0u);
    ASSERT_EQ(sink.processes.size(), 1u);
    EXPECT_EQ(sink.processes[0].hostname, process.hostname);
    ASSERT_EQ(sink.streams.size(), 2u);
    ASSERT_EQ(sink.blocks.size(), 6u);
    EXPECT_EQ(sink.blocks[0].header.stream_id, a.stream_id);
    EXPECT_EQ(sink.blocks[1].header.stream_id, b.stream_id);
    EXPECT_EQ(sink.blocks[2].header.object_offset, 13u);
    EXPECT_EQ(sink.blocks[4].header.object_offset, 26u);
    EXPECT_EQ(sink.blocks[2].header.codec, Codec::None);
    EXPECT_EQ(sink.blocks[5].events[4].ticks, 20'000 + 5 + 7 + 1 + 300 + 2);
    ASSERT_FALSE(progress.empty());
    EXPECT_EQ(progress.back().first, report.file_size);
    EXPECT_EQ(progress.back().second, report.file_size);
}

TEST(TraceFile, UnknownRecordKindsAreCountedAndSkipped) {
    std::vector<uint8_t> bytes = small_trace(1);
    append_record(42, std::vector<uint8_t>{1, 2, 3}, bytes);
    std::vector<uint8_t> more = small_trace(1);
    bytes.insert(bytes.end(), more.begin() + kFileHeaderSize, more.end());
    MemorySink sink;
    const ReadReport report = read_trace_file(write_temp_file("unknown_kind.weft", bytes), sink);
    EXPECT_TRUE(report.errors.empty());
    EXPECT_EQ(report.unknown_records, 1u);
    EXPECT_EQ(sink.blocks.size(), 2u);
}

TEST(TraceFile, BlockBeforeItsStreamInfoIsReportedAndIgnored) {
    std::vector<uint8_t> bytes, body;
    append_file_header(bytes);
    encode_process_info(sample_process(), body);
    append_record(1, body, bytes);
    BlockEncoder enc;
    enc.begin(sample_header(sample_stream(5), 0));
    const uint64_t block_offset = bytes.size();
    enc.finish(bytes);
    MemorySink sink;
    const ReadReport report = read_trace_file(write_temp_file("orphan_block.weft", bytes), sink);
    EXPECT_TRUE(sink.blocks.empty());
    ASSERT_EQ(report.errors.size(), 1u);
    EXPECT_EQ(report.errors[0].offset, block_offset);
    EXPECT_NE(report.errors[0].reason.find("stream info"), std::string::npos);
}

TEST(TraceFile, CancelStopsBetweenRecords) {
    std::atomic<bool> cancel{true};
    ReadOptions options;
    options.cancel = &cancel;
    MemorySink sink;
    const ReadReport report = read_trace_file(write_temp_file("cancel.weft", small_trace(3)), sink, options);
    EXPECT_TRUE(report.cancelled);
    EXPECT_TRUE(sink.processes.empty());
    EXPECT_TRUE(sink.blocks.empty());
}

TEST(TraceFile, MissingFileIsFatal) {
    MemorySink sink;
    const ReadReport report = read_trace_file(::testing::TempDir() + "no_such_dir/none.weft", sink);
    EXPECT_TRUE(report.fatal);
    ASSERT_EQ(report.errors.size(), 1u);
    EXPECT_NE(report.errors[0].reason.find("cannot open"), std::string::npos);
}

TEST(TraceFile, WriterReportsUncreatableFile) {
    TraceWriter writer;
    EXPECT_FALSE(writer.open(::testing::TempDir() + "no_such_dir/out.weft"));
    EXPECT_FALSE(writer.error().empty());
    EXPECT_FALSE(writer.write_process_info(sample_process()));
}

TEST(TraceFile, FlushMakesTheRecordsSoFarReadableWhileWriting) {
    const std::string path = ::testing::TempDir() + "weft_format_flush.weft";
    TraceWriter writer;
    ASSERT_TRUE(writer.open(path)) << writer.error();
    ASSERT_TRUE(writer.write_process_info(sample_process()));
    ASSERT_TRUE(writer.write_stream_info(sample_stream(2)));
    ASSERT_TRUE(writer.flush()) << writer.error();

    MemorySink sink;
    const ReadReport report = read_trace_file(path, sink); // the writer is still open
    EXPECT_TRUE(report.errors.empty());
    EXPECT_EQ(report.records, 2u);
    ASSERT_TRUE(writer.close());
}

#include "format/trace_reader.h"
#include "synth/synthetic_trace.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace weft {
namespace {

namespace fs = std::filesystem;
using format::EventKind;

class SyntheticTrace : public testing::Test {
protected:
    void SetUp() override {
        std::string templ = (fs::temp_directory_path() / "weft-synth-XXXXXX").string();
        ASSERT_NE(mkdtemp(templ.data()), nullptr);
        m_dir = templ;
    }
    void TearDown() override { fs::remove_all(m_dir); }

    std::string generate(const synth::SynthOptions& options, const char* name, synth::SynthResult* out = nullptr) {
        const std::string path = (m_dir / name).string();
        synth::SynthResult result;
        std::string error;
        EXPECT_TRUE(synth::generate_trace(options, path, result, error)) << error;
        if (out) *out = result;
        return path;
    }
    static std::string bytes(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }

    fs::path m_dir;
};

// Checks what a consumer relies on while reading: per-stream order, offsets, pairing across streams.
struct CheckingSink final : format::TraceSink {
    std::set<format::Uuid> streams;
    std::map<format::Uuid, int64_t> last_ticks;
    std::map<format::Uuid, uint64_t> next_offset;
    std::map<uint64_t, format::Uuid> span_begin_stream;
    std::map<int, uint64_t> kinds;
    uint64_t out_of_order = 0, offset_gaps = 0, unknown_stream_blocks = 0, cross_thread_spans = 0;
    uint64_t long_blocking = 0, blocking_without_frames = 0, messages = 0;

    void on_process(const format::ProcessInfo&) override {}
    void on_stream(const format::StreamInfo& s) override { streams.insert(s.stream_id); }
    void on_block(const format::DecodedBlock& b) override {
        const format::Uuid& sid = b.header.stream_id;
        if (!streams.count(sid)) ++unknown_stream_blocks;
        if (b.header.object_offset != next_offset[sid]) ++offset_gaps;
        next_offset[sid] = b.header.object_offset + b.events.size();
        auto [it, fresh] = last_ticks.emplace(sid, INT64_MIN);
        for (const format::Event& e : b.events) {
            if (e.ticks < it->second) ++out_of_order;
            it->second = e.ticks;
            ++kinds[static_cast<int>(e.kind)];
            if (e.kind == EventKind::AsyncSpanBegin) span_begin_stream[e.id] = sid;
            if (e.kind == EventKind::AsyncSpanEnd && span_begin_stream.count(e.id) && span_begin_stream[e.id] != sid)
                ++cross_thread_spans;
            if (e.kind == EventKind::Blocking) {
                if (e.id2 >= 100'000'000) ++long_blocking;
                if (e.frames_count == 0) ++blocking_without_frames;
            }
            if (e.kind == EventKind::TaskCompleted && e.outcome != 0 && !b.string(e.ref1).empty()) ++messages;
        }
    }
};

TEST_F(SyntheticTrace, SameSeedGivesIdenticalBytes) {
    synth::SynthOptions options;
    options.events = 20'000;
    options.seed = 7;
    const std::string a = generate(options, "a.weft");
    const std::string b = generate(options, "b.weft");
    options.seed = 8;
    const std::string c = generate(options, "c.weft");
    EXPECT_EQ(bytes(a), bytes(b));
    EXPECT_NE(bytes(a), bytes(c));
}

TEST_F(SyntheticTrace, StopsNearTheEventTarget) {
    for (uint64_t target : {1'000ull, 50'000ull}) {
        synth::SynthOptions options;
        options.events = target;
        synth::SynthResult result;
        generate(options, "t.weft", &result);
        EXPECT_GE(result.events, target);
        EXPECT_LE(result.events, target + 64);
    }
}

TEST_F(SyntheticTrace, TaskLimitBoundsTasks) {
    synth::SynthOptions options;
    options.events = 1'000'000;
    options.tasks = 50;
    synth::SynthResult result;
    generate(options, "t.weft", &result);
    EXPECT_EQ(result.tasks, 50u);
    EXPECT_LT(result.events, options.events);
}

TEST_F(SyntheticTrace, ReadsBackCleanWithEveryFeature) {
    synth::SynthOptions options;
    options.events = 300'000;
    options.threads = 4;
    options.block_events = 1000;
    synth::SynthResult result;
    const std::string path = generate(options, "full.weft", &result);
    CheckingSink sink;
    const format::ReadReport report = format::read_trace_file(path, sink);
    EXPECT_TRUE(report.errors.empty());
    EXPECT_FALSE(report.fatal);
    EXPECT_EQ(report.events, result.events);
    EXPECT_EQ(sink.streams.size(), 4u);
    EXPECT_EQ(sink.out_of_order, 0u);
    EXPECT_EQ(sink.offset_gaps, 0u);
    EXPECT_EQ(sink.unknown_stream_blocks, 0u);
    for (int kind = 1; kind < format::kFirstMinor1EventKind; ++kind) EXPECT_GT(sink.kinds[kind], 0u) << "kind " << kind;
    EXPECT_GT(sink.cross_thread_spans, 0u);
    EXPECT_GT(sink.long_blocking, 0u);
    EXPECT_EQ(sink.blocking_without_frames, 0u);
    EXPECT_GT(sink.messages, 0u);
    EXPECT_EQ(sink.kinds[int(EventKind::ThreadSpanBegin)], sink.kinds[int(EventKind::ThreadSpanEnd)]);
}

TEST_F(SyntheticTrace, SingleThreadRunsEverythingOnTheLoop) {
    synth::SynthOptions options;
    options.events = 20'000;
    options.threads = 1;
    const std::string path = generate(options, "one.weft");
    CheckingSink sink;
    const format::ReadReport report = format::read_trace_file(path, sink);
    EXPECT_TRUE(report.errors.empty());
    EXPECT_EQ(sink.streams.size(), 1u);
    EXPECT_EQ(sink.out_of_order, 0u);
    EXPECT_EQ(sink.cross_thread_spans, 0u);
}

TEST_F(SyntheticTrace, UnwritablePathIsAnError) {
    synth::SynthOptions options;
    synth::SynthResult result;
    std::string error;
    EXPECT_FALSE(synth::generate_trace(options, (m_dir / "missing" / "x.weft").string(), result, error));
    EXPECT_FALSE(error.empty());
}

} // namespace
} // namespace weft

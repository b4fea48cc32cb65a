// load_trace decodes and builds on two threads when it can. The model must be exactly the one a
// single thread builds from the same file, and cancelling must stop it cleanly.

#include "model_dump.h"

#include "format/trace_reader.h"
#include "model/model_builder.h"
#include "synth/synthetic_trace.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace weft::test {
namespace {

namespace fs = std::filesystem;

class LoadPipeline : public ::testing::Test {
protected:
    void SetUp() override {
        m_path = (fs::temp_directory_path() / ("weft-pipeline-" + std::to_string(getpid()) + ".weft")).string();
        synth::SynthOptions options;
        options.events = 60'000;
        options.threads = 5;
        options.block_events = 512; // many blocks, so the ring of slots wraps many times
        options.seed = 99;
        synth::SynthResult result;
        std::string error;
        ASSERT_TRUE(synth::generate_trace(options, m_path, result, error)) << error;
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove(m_path, ec);
    }
    std::string m_path;
};

TEST_F(LoadPipeline, SameModelAsOneThread) {
    ModelBuilder builder;
    format::ReadReport direct_report = format::read_trace_file(m_path, builder);
    builder.add_read_report(direct_report);
    const auto direct = builder.finish();

    format::ReadReport report;
    const auto loaded = load_trace(m_path, report);
    ASSERT_TRUE(loaded);
    EXPECT_FALSE(report.fatal);
    EXPECT_FALSE(report.cancelled);
    EXPECT_EQ(report.events, direct_report.events);
    EXPECT_EQ(report.records, direct_report.records);
    EXPECT_GT(loaded->event_count, 50'000u);
    EXPECT_EQ(dump_model(*loaded), dump_model(*direct));
    // Ids too, not only content: strings, locations and tasks come out in the same order.
    EXPECT_EQ(loaded->strings, direct->strings);
    ASSERT_EQ(loaded->tasks.size(), direct->tasks.size());
    for (size_t i = 0; i < loaded->tasks.size(); ++i) ASSERT_EQ(loaded->tasks[i].task_id, direct->tasks[i].task_id);
}

TEST_F(LoadPipeline, CancelStopsAndSaysSo) {
    std::atomic<bool> cancel{true};
    format::ReadOptions options;
    options.cancel = &cancel;
    format::ReadReport report;
    const auto model = load_trace(m_path, report, options);
    ASSERT_TRUE(model);
    EXPECT_TRUE(report.cancelled);
    EXPECT_LT(model->event_count, 60'000u);
}

TEST_F(LoadPipeline, MissingFileIsFatalNotACrash) {
    format::ReadReport report;
    const auto model = load_trace(m_path + ".missing", report);
    ASSERT_TRUE(model);
    EXPECT_TRUE(report.fatal);
    EXPECT_EQ(model->event_count, 0u);
}

} // namespace
} // namespace weft::test

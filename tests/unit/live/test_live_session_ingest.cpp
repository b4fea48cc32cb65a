// LiveSession against a real LiveServer in this process: blocks made with BlockEncoder go over a Unix
// socket, the session decodes them into a growing model, publishes snapshots, pauses, saves its
// capture and reports how the session ended.

#include "format/block_encoder.h"
#include "format/framing.h"
#include "format/live_server.h"
#include "format/record_codec.h"
#include "live/live_session.h"
#include "model/model_builder.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>
#include <unistd.h>

using namespace weft;
using namespace std::chrono_literals;

namespace {

constexpr format::Uuid kProcess{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
constexpr format::Uuid kStream{9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 1};

std::vector<uint8_t> process_record() {
    format::ProcessInfo info;
    info.process_id = kProcess;
    info.exe = "ingest-test";
    info.pid = static_cast<uint64_t>(::getpid());
    info.start_time_ns = 1'700'000'000'000'000'000ull;
    return format::frame_process_info(info);
}

std::vector<uint8_t> stream_record() {
    format::StreamInfo info;
    info.stream_id = kStream;
    info.process_id = kProcess;
    info.thread_name = "loop";
    info.tags = {"event-loop"};
    return format::frame_stream_info(info);
}

// Block `n` creates, runs and completes tasks [n*tasks_per_block + 1, ...]: 4 events per task.
struct BlockMaker {
    uint64_t object_offset = 0;
    int64_t ticks = 1000;
    uint64_t next_task = 1;

    std::vector<uint8_t> make(int tasks) {
        format::BlockEncoder encoder;
        format::BlockHeader header;
        header.stream_id = kStream;
        header.process_id = kProcess;
        header.begin_ticks = ticks;
        header.object_offset = object_offset;
        encoder.begin(header);
        const auto name = encoder.intern("worker");
        for (int i = 0; i < tasks; ++i, ++next_task) {
            auto add = [&](format::EventKind kind) {
                format::Event e;
                e.kind = kind;
                e.ticks = ticks;
                e.id = next_task;
                if (kind == format::EventKind::TaskCreated) e.ref1 = name;
                encoder.add(e);
                ticks += 100;
            };
            add(format::EventKind::TaskCreated);
            add(format::EventKind::TaskRunBegin);
            add(format::EventKind::TaskRunEnd);
            add(format::EventKind::TaskCompleted);
        }
        object_offset += encoder.event_count();
        std::vector<uint8_t> out;
        encoder.finish(out);
        return out;
    }
};

// What the session hands over, collected for the test thread.
struct Collector {
    std::mutex mutex;
    std::condition_variable changed;
    std::shared_ptr<const Model> latest;
    int snapshots = 0;
    std::optional<live::LiveEnd> end;

    void attach(live::LiveSession& session) {
        session.on_snapshot([this](std::shared_ptr<const Model> model) {
            std::lock_guard lock(mutex);
            latest = std::move(model);
            ++snapshots;
            changed.notify_all();
        });
        session.on_end([this](const live::LiveEnd& e) {
            std::lock_guard lock(mutex);
            end = e;
            changed.notify_all();
        });
    }
    template <class Pred>
    bool wait(Pred pred) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, 30s, [&] { return pred(); });
    }
    bool wait_tasks(size_t n) {
        return wait([&] { return latest && latest->tasks.size() >= n; });
    }
    bool wait_end() {
        return wait([&] { return end.has_value(); });
    }
};

bool wait_until(const std::function<bool()>& pred) {
    for (int i = 0; i < 3000 && !pred(); ++i) std::this_thread::sleep_for(10ms);
    return pred();
}

struct LiveIngestTest : ::testing::Test {
    std::filesystem::path dir;
    format::live::LiveServer server;
    BlockMaker maker;

    void SetUp() override {
        dir = std::filesystem::temp_directory_path() / ("weft-ingest-test-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        ::setenv("XDG_RUNTIME_DIR", dir.c_str(), 1);
        std::string error;
        auto address = format::live::parse_address("unix", static_cast<uint64_t>(::getpid()), error);
        ASSERT_TRUE(address) << error;
        format::live::LiveServer::Options options;
        options.address = *address;
        options.pid = static_cast<uint64_t>(::getpid());
        options.exe = "ingest-test";
        ASSERT_TRUE(server.start(options, error)) << error;
        server.set_process_info(process_record());
        server.add_stream(stream_record());
    }
    void TearDown() override {
        server.stop();
        std::filesystem::remove_all(dir);
        ::unsetenv("XDG_RUNTIME_DIR");
    }
    live::AttachTarget target() {
        live::AttachTarget t;
        t.address = server.address();
        t.token = server.discovery().token;
        t.pid = static_cast<uint64_t>(::getpid());
        return t;
    }
    live::LiveSession::Options options() {
        live::LiveSession::Options o;
        o.min_interval = 20ms;
        o.capture_dir = dir.string();
        return o;
    }
};

} // namespace

TEST_F(LiveIngestTest, ModelGrowsAsBlocksArrive) {
    server.publish(maker.make(5)); // flight-recorder history
    Collector c; // outlives the session, whose threads call into it until they stop
    live::LiveSession session(options());
    c.attach(session);
    std::string error;
    ASSERT_TRUE(session.start(target(), error)) << error;
    ASSERT_TRUE(c.wait_tasks(5));
    for (int i = 0; i < 4; ++i) server.publish(maker.make(10));
    ASSERT_TRUE(c.wait_tasks(45));

    std::shared_ptr<const Model> model;
    {
        std::lock_guard lock(c.mutex);
        model = c.latest;
        EXPECT_GE(c.snapshots, 2);
    }
    EXPECT_EQ(model->tasks.size(), 45u);
    EXPECT_EQ(model->event_count, 180u);
    EXPECT_EQ(model->threads.size(), 1u);
    const live::LiveCounters counters = session.counters();
    EXPECT_TRUE(counters.attached);
    EXPECT_EQ(counters.blocks, 5u);
    EXPECT_EQ(counters.events, 180u);
    EXPECT_EQ(counters.lost_events, 0u);
    EXPECT_EQ(counters.bad_records, 0u);
}

TEST_F(LiveIngestTest, PauseKeepsReceivingButStopsPublishing) {
    Collector c; // outlives the session, whose threads call into it until they stop
    live::LiveSession session(options());
    c.attach(session);
    std::string error;
    ASSERT_TRUE(session.start(target(), error)) << error;
    server.publish(maker.make(3));
    ASSERT_TRUE(c.wait_tasks(3));

    session.set_paused(true);
    int before = 0;
    {
        std::lock_guard lock(c.mutex);
        before = c.snapshots;
    }
    server.publish(maker.make(7));
    ASSERT_TRUE(wait_until([&] { return session.counters().events >= 40; }));
    {
        std::lock_guard lock(c.mutex);
        // A snapshot already under way when pausing may still land, but never one with the new data.
        EXPECT_LE(c.snapshots, before + 1);
        EXPECT_EQ(c.latest->tasks.size(), 3u);
    }
    session.set_paused(false);
    ASSERT_TRUE(c.wait_tasks(10));
}

TEST_F(LiveIngestTest, ProducerExitEndsWithMessageAndCaptureSaves) {
    server.publish(maker.make(4));
    server.publish(maker.make(6));
    auto session = std::make_unique<live::LiveSession>(options());
    Collector c;
    c.attach(*session);
    std::string error;
    ASSERT_TRUE(session->start(target(), error)) << error;
    ASSERT_TRUE(c.wait_tasks(10));
    server.stop();
    ASSERT_TRUE(c.wait_end());
    EXPECT_EQ(c.end->reason, live::LiveEnd::Reason::ProducerExited);
    EXPECT_FALSE(c.end->message.empty());
    EXPECT_TRUE(session->counters().ended);

    const std::string capture = session->capture_path();
    ASSERT_TRUE(std::filesystem::exists(capture));
    const std::string saved = (dir / "saved.weft").string();
    ASSERT_TRUE(session->save_capture(saved, error)) << error;
    format::ReadReport report;
    auto model = load_trace(saved, report);
    ASSERT_TRUE(model);
    EXPECT_TRUE(report.errors.empty());
    EXPECT_EQ(model->event_count, 40u);
    EXPECT_EQ(model->tasks.size(), 10u);

    session.reset();
    EXPECT_FALSE(std::filesystem::exists(capture)) << "the temporary capture is removed with the session";
    EXPECT_TRUE(std::filesystem::exists(saved));
}

TEST_F(LiveIngestTest, SaveWhileReceivingGivesACompleteFile) {
    Collector c; // outlives the session, whose threads call into it until they stop
    live::LiveSession session(options());
    c.attach(session);
    std::string error;
    ASSERT_TRUE(session.start(target(), error)) << error;
    server.publish(maker.make(2));
    ASSERT_TRUE(c.wait_tasks(2));
    const std::string saved = (dir / "partial.weft").string();
    ASSERT_TRUE(session.save_capture(saved, error)) << error;
    server.publish(maker.make(2)); // arrives after the save: not in the file
    ASSERT_TRUE(c.wait_tasks(4));
    format::ReadReport report;
    auto model = load_trace(saved, report);
    ASSERT_TRUE(model);
    EXPECT_TRUE(report.errors.empty());
    EXPECT_EQ(model->tasks.size(), 2u);
}

TEST_F(LiveIngestTest, DetachEndsTheSessionAndKeepsTheData) {
    Collector c; // outlives the session, whose threads call into it until they stop
    live::LiveSession session(options());
    c.attach(session);
    std::string error;
    ASSERT_TRUE(session.start(target(), error)) << error;
    server.publish(maker.make(3));
    ASSERT_TRUE(c.wait_tasks(3));
    session.detach();
    ASSERT_TRUE(c.wait_end());
    EXPECT_EQ(c.end->reason, live::LiveEnd::Reason::Detached);
    std::lock_guard lock(c.mutex);
    EXPECT_EQ(c.latest->tasks.size(), 3u);
}

TEST_F(LiveIngestTest, WrongTokenIsReportedAsRefused) {
    Collector c; // outlives the session, whose threads call into it until they stop
    live::LiveSession session(options());
    c.attach(session);
    auto bad = target();
    bad.token = "0123456789abcdef0123456789abcdef";
    std::string error;
    ASSERT_TRUE(session.start(bad, error)) << error;
    ASSERT_TRUE(c.wait_end());
    EXPECT_EQ(c.end->reason, live::LiveEnd::Reason::Refused);
    EXPECT_NE(c.end->message.find("wrong token"), std::string::npos) << c.end->message;
    std::lock_guard lock(c.mutex);
    EXPECT_EQ(c.snapshots, 0);
}

TEST_F(LiveIngestTest, LostBlocksAreCounted) {
    Collector c; // outlives the session, whose threads call into it until they stop
    live::LiveSession session(options());
    c.attach(session);
    std::string error;
    ASSERT_TRUE(session.start(target(), error)) << error;
    server.publish(maker.make(2));
    (void)maker.make(5); // recorded by the producer but never sent: 20 events lost
    server.publish(maker.make(1));
    ASSERT_TRUE(wait_until([&] { return session.counters().blocks >= 2; }));
    EXPECT_EQ(session.counters().lost_events, 20u);
}

// Live serving from weft_client: records reach an attached LiveClient as well as the file, a quiet
// thread's events are flushed without filling a buffer, and a failed listen does not stop recording.

#include "client_fixture.h"

#include "format/record_codec.h"
#include "live/capture_stats.h"
#include "live/live_client.h"

#include <cstdlib>
#include <filesystem>
#include <future>

namespace weft::client_test {
namespace {

// A private XDG_RUNTIME_DIR for the test's discovery files; restores the old value after.
class RuntimeDir {
public:
    RuntimeDir() {
        if (const char* old = std::getenv("XDG_RUNTIME_DIR")) m_old = old;
        char templ[] = "/tmp/weft-client-live-XXXXXX";
        m_path = ::mkdtemp(templ);
        ::setenv("XDG_RUNTIME_DIR", m_path.c_str(), 1);
    }
    ~RuntimeDir() {
        if (m_old.empty()) ::unsetenv("XDG_RUNTIME_DIR");
        else ::setenv("XDG_RUNTIME_DIR", m_old.c_str(), 1);
        std::filesystem::remove_all(m_path);
    }
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
    std::string m_old;
};

// Attaches to the running session's live address and counts what arrives, on its own thread.
class Viewer {
public:
    bool attach(std::string& error) {
        auto target = live::resolve_target(client::stats().listen_address, "", error);
        return target && m_client.attach(*target, error);
    }
    void start() {
        m_thread = std::thread([this] {
            m_end = m_client.run([this](const format::RecordView& record, std::span<const uint8_t>) {
                std::lock_guard lock(m_mutex);
                m_stats.on_record(record);
                if (record.kind == static_cast<uint8_t>(format::RecordKind::Block) &&
                    m_decoder.decode(record.body, record.offset, m_block).reason.empty())
                    for (const format::Event& e : m_block.events) m_lag_values.push_back(e.id2);
            });
        });
    }
    void join() {
        if (m_thread.joinable()) m_thread.join();
    }
    void stop() { m_client.stop(); }
    // Waits (bounded) until `events` events have arrived.
    bool wait_for_events(uint64_t events) {
        for (int i = 0; i < 1000; ++i) {
            {
                std::lock_guard lock(m_mutex);
                if (m_stats.events() >= events) return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return false;
    }
    live::CaptureStats stats() {
        std::lock_guard lock(m_mutex);
        return m_stats;
    }
    std::vector<uint64_t> lag_values() {
        std::lock_guard lock(m_mutex);
        return m_lag_values;
    }
    live::LiveClient::End end() const { return m_end; }

private:
    live::LiveClient m_client;
    std::thread m_thread;
    std::mutex m_mutex;
    live::CaptureStats m_stats;
    format::BlockDecoder m_decoder;
    format::DecodedBlock m_block;
    std::vector<uint64_t> m_lag_values;
    live::LiveClient::End m_end;
};

TEST(ClientLive, FileAndViewerGetEveryEventAndFilesGoAtShutdown) {
    RuntimeDir runtime;
    TempTrace trace("live-tee");
    client::Options options;
    options.output = trace.path;
    options.listen = "unix";
    options.buffer_events = 1024;
    options.buffer_count = 64;
    ASSERT_TRUE(client::init(std::move(options)));
    const std::string address = client::stats().listen_address;
    ASSERT_EQ(address, "unix:" + runtime.path() + "/weft/" + std::to_string(getpid()) + ".sock");
    const std::string discovery = runtime.path() + "/weft/" + std::to_string(getpid()) + ".json";
    EXPECT_TRUE(std::filesystem::exists(discovery));

    // History first (held by the flight recorder), then events while attached, from two threads.
    constexpr int kBefore = 3000, kAfter = 5000;
    std::thread([] {
        for (int i = 0; i < kBefore; ++i) client::loop_lag(i);
    }).join();
    Viewer viewer;
    std::string error;
    ASSERT_TRUE(viewer.attach(error)) << error;
    viewer.start();
    std::thread([] {
        for (int i = 0; i < kAfter; ++i) client::loop_lag(kBefore + i);
    }).join();
    client::shutdown();
    viewer.join();

    const client::Stats stats = client::stats();
    EXPECT_EQ(stats.events, uint64_t(kBefore + kAfter));
    EXPECT_EQ(stats.dropped, 0u);
    EXPECT_EQ(stats.live_attachments, 1u);
    EXPECT_EQ(stats.live_blocks_dropped, 0u);
    ASSERT_EQ(stats.per_stream.size(), 2u);
    EXPECT_EQ(stats.per_stream[0].events, uint64_t(kBefore));
    EXPECT_EQ(stats.per_stream[1].events, uint64_t(kAfter));

    EXPECT_EQ(viewer.end().reason, live::LiveClient::End::Reason::PeerClosed) << viewer.end().message;
    const live::CaptureStats seen = viewer.stats();
    EXPECT_EQ(seen.process_infos(), 1u);
    EXPECT_EQ(seen.stream_infos(), 2u);
    EXPECT_EQ(seen.events(), stats.events);
    EXPECT_EQ(seen.lost_events(), 0u);
    std::vector<uint64_t> values = viewer.lag_values();
    std::sort(values.begin(), values.end());
    ASSERT_EQ(values.size(), size_t(kBefore + kAfter));
    for (size_t i = 0; i < values.size(); ++i) ASSERT_EQ(values[i], i);

    auto model = load(trace.path);
    ASSERT_TRUE(model);
    EXPECT_EQ(model->lag.size(), size_t(kBefore + kAfter));
    EXPECT_FALSE(std::filesystem::exists(discovery));
    EXPECT_FALSE(std::filesystem::exists(runtime.path() + "/weft/" + std::to_string(getpid()) + ".sock"));
}

TEST(ClientLive, AQuietThreadReachesTheViewerWithoutFillingABuffer) {
    RuntimeDir runtime;
    client::Options options;
    options.listen = "unix";
    options.flush_interval = std::chrono::seconds(30); // capped while live
    ASSERT_TRUE(client::init(std::move(options)));
    Viewer viewer;
    std::string error;
    ASSERT_TRUE(viewer.attach(error)) << error;
    viewer.start();
    for (int i = 0; i < 3; ++i) client::loop_lag(i); // far less than a buffer
    EXPECT_TRUE(viewer.wait_for_events(3));
    viewer.stop();
    viewer.join();
    client::shutdown();
    EXPECT_EQ(viewer.end().reason, live::LiveClient::End::Reason::Stopped);
}

TEST(ClientLive, AnAddressThatCannotBeServedLeavesTheFileRecording) {
    RuntimeDir runtime;
    TempTrace trace("live-refused");
    client::Options options;
    options.output = trace.path;
    options.listen = "tcp:192.0.2.1:7878"; // not loopback: refused
    ASSERT_TRUE(client::init(std::move(options)));
    client::loop_lag(1);
    client::shutdown();
    EXPECT_TRUE(client::stats().listen_address.empty());
    auto model = load(trace.path);
    ASSERT_TRUE(model);
    EXPECT_EQ(model->lag.size(), 1u);
}

TEST(ClientLive, ListenOffMeansNoServer) {
    RuntimeDir runtime;
    client::Options options;
    options.listen = "off";
    EXPECT_FALSE(client::serves_live(options));
    options.listen = "unix";
    EXPECT_TRUE(client::serves_live(options));
    options.listen.clear();
    ::setenv("WEFT_LISTEN", "unix", 1);
    EXPECT_TRUE(client::serves_live(options));
    ::setenv("WEFT_LISTEN", "off", 1);
    EXPECT_FALSE(client::serves_live(options));
    ::unsetenv("WEFT_LISTEN");
    EXPECT_FALSE(client::serves_live(options));
}

} // namespace
} // namespace weft::client_test

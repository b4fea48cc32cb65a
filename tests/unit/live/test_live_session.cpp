// A LiveServer and a LiveClient talking over real sockets: attach, history, refusals, bounds.

#include "format/framing.h"
#include "format/live_server.h"
#include "live/live_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace weft;
using namespace weft::format::live;
using namespace std::chrono_literals;

namespace {

std::vector<uint8_t> framed(uint8_t kind, size_t body_size, uint8_t fill) {
    std::vector<uint8_t> body(body_size, fill);
    std::vector<uint8_t> out;
    format::append_record(kind, body, out);
    return out;
}

// Collects what a client receives on its own thread.
struct Receiver {
    live::LiveClient client;
    std::thread thread;
    std::mutex mutex;
    std::vector<std::pair<uint8_t, uint8_t>> records; // (kind, first body byte)
    live::LiveClient::End end;
    std::atomic<bool> done{false};

    void start() {
        thread = std::thread([this] {
            end = client.run([this](const format::RecordView& r, std::span<const uint8_t> bytes) {
                EXPECT_EQ(bytes.size(), format::kFrameHeaderSize + r.body.size());
                std::lock_guard lock(mutex);
                records.emplace_back(r.kind, r.body.empty() ? 0 : r.body[0]);
            });
            done = true;
        });
    }
    size_t count() {
        std::lock_guard lock(mutex);
        return records.size();
    }
    bool wait_for(size_t n) {
        for (int i = 0; i < 500 && count() < n; ++i) std::this_thread::sleep_for(10ms);
        return count() >= n;
    }
    ~Receiver() {
        client.stop();
        if (thread.joinable()) thread.join();
    }
};

struct LiveSessionTest : ::testing::Test {
    std::filesystem::path dir;
    LiveServer server;

    void SetUp() override {
        dir = std::filesystem::temp_directory_path() / ("weft-session-test-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        ::setenv("XDG_RUNTIME_DIR", dir.c_str(), 1);
    }
    void TearDown() override {
        server.stop();
        std::filesystem::remove_all(dir);
        ::unsetenv("XDG_RUNTIME_DIR");
    }
    void start(const std::string& address_text, size_t recorder_bytes = 1u << 20) {
        std::string error;
        auto address = parse_address(address_text, static_cast<uint64_t>(::getpid()), error);
        ASSERT_TRUE(address) << error;
        LiveServer::Options options;
        options.address = *address;
        options.pid = static_cast<uint64_t>(::getpid());
        options.exe = "test";
        options.flight_recorder_bytes = recorder_bytes;
        ASSERT_TRUE(server.start(options, error)) << error;
        server.set_process_info(framed(1, 8, 0xA0));
        server.add_stream(framed(2, 8, 0xB0));
    }
    live::AttachTarget target() {
        live::AttachTarget t;
        t.address = server.address();
        t.token = server.discovery().token;
        return t;
    }
};

} // namespace

TEST_F(LiveSessionTest, AttachReceivesHistoryThenNewBlocksInOrder) {
    start("unix");
    for (uint8_t i = 0; i < 3; ++i) server.publish(framed(3, 100, i));

    Receiver r;
    std::string error;
    ASSERT_TRUE(r.client.attach(target(), error)) << error;
    r.start();
    ASSERT_TRUE(r.wait_for(5));
    for (uint8_t i = 3; i < 10; ++i) server.publish(framed(3, 100, i));
    ASSERT_TRUE(r.wait_for(12));

    std::lock_guard lock(r.mutex);
    EXPECT_EQ(r.records[0], std::make_pair(uint8_t{1}, uint8_t{0xA0}));
    EXPECT_EQ(r.records[1], std::make_pair(uint8_t{2}, uint8_t{0xB0}));
    for (uint8_t i = 0; i < 10; ++i) EXPECT_EQ(r.records[2 + i], std::make_pair(uint8_t{3}, i));
}

TEST_F(LiveSessionTest, ProducerExitEndsTheSessionCleanly) {
    start("unix");
    server.publish(framed(3, 10, 1));
    Receiver r;
    std::string error;
    ASSERT_TRUE(r.client.attach(target(), error)) << error;
    r.start();
    ASSERT_TRUE(r.wait_for(3));
    server.stop();
    for (int i = 0; i < 300 && !r.done; ++i) std::this_thread::sleep_for(10ms);
    ASSERT_TRUE(r.done);
    EXPECT_EQ(r.end.reason, live::LiveClient::End::Reason::PeerClosed);
}

TEST_F(LiveSessionTest, WrongTokenIsRefusedAndTheServerKeepsServing) {
    start("unix");
    auto bad = target();
    bad.token = "not-the-token";
    live::LiveClient client;
    std::string error;
    EXPECT_FALSE(client.attach(bad, error));
    EXPECT_NE(error.find("wrong token"), std::string::npos) << error;

    Receiver r;
    ASSERT_TRUE(r.client.attach(target(), error)) << error;
    r.start();
    EXPECT_TRUE(r.wait_for(2));
    EXPECT_EQ(server.stats().refused, 1u);
}

TEST_F(LiveSessionTest, SecondViewerIsToldSomeoneIsAttached) {
    start("unix");
    Receiver first;
    std::string error;
    ASSERT_TRUE(first.client.attach(target(), error)) << error;
    first.start();
    ASSERT_TRUE(first.wait_for(2));
    live::LiveClient second;
    EXPECT_FALSE(second.attach(target(), error));
    EXPECT_NE(error.find("another viewer"), std::string::npos) << error;
}

TEST_F(LiveSessionTest, GarbageAndSilentPeersAreRefusedWithoutHarm) {
    start("tcp:127.0.0.1:0");
    EXPECT_NE(server.address().port, 0);
    {
        std::string error;
        const int fd = connect_to(server.address(), 1000, error);
        ASSERT_GE(fd, 0) << error;
        const char junk[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        ASSERT_GT(::send(fd, junk, sizeof junk, MSG_NOSIGNAL), 0);
        uint8_t answer[64];
        EXPECT_GE(::recv(fd, answer, sizeof answer, 0), 0); // refused answer or close, never a hang
        ::close(fd);
    }
    for (int i = 0; i < 100 && server.stats().refused < 1; ++i) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(server.stats().refused, 1u);
    EXPECT_NE(server.stats().last_refusal.find("WEFTLIVE"), std::string::npos) << server.stats().last_refusal;

    Receiver r;
    std::string error;
    ASSERT_TRUE(r.client.attach(target(), error)) << error;
    r.start();
    EXPECT_TRUE(r.wait_for(2));
}

TEST_F(LiveSessionTest, FlightRecorderKeepsOnlyTheNewestBytes) {
    start("unix", 10 * 1024);
    for (int i = 0; i < 100; ++i) server.publish(framed(3, 1000, static_cast<uint8_t>(i)));
    Receiver r;
    std::string error;
    ASSERT_TRUE(r.client.attach(target(), error)) << error;
    r.start();
    ASSERT_TRUE(r.wait_for(3));
    std::this_thread::sleep_for(100ms);
    std::lock_guard lock(r.mutex);
    const size_t blocks = r.records.size() - 2;
    EXPECT_GE(blocks, 5u);
    EXPECT_LE(blocks, 10u); // 10 KiB of ~1 KiB blocks
    EXPECT_EQ(r.records.back().second, 99); // the newest survived
}

TEST_F(LiveSessionTest, DetachAndReattach) {
    start("unix");
    server.publish(framed(3, 10, 7));
    std::string error;
    {
        Receiver r;
        ASSERT_TRUE(r.client.attach(target(), error)) << error;
        r.start();
        ASSERT_TRUE(r.wait_for(3));
    } // detaches
    for (int i = 0; i < 100 && server.stats().attached; ++i) std::this_thread::sleep_for(10ms);
    server.publish(framed(3, 10, 8));
    Receiver again;
    ASSERT_TRUE(again.client.attach(target(), error)) << error;
    again.start();
    ASSERT_TRUE(again.wait_for(4));
    EXPECT_EQ(server.stats().attachments, 2u);
}

TEST_F(LiveSessionTest, PeerThatNeverSpeaksDelaysNobodyAndIsDroppedAfterTheTimeout) {
    start("unix");
    std::string error;
    const int silent = connect_to(server.address(), 1000, error);
    ASSERT_GE(silent, 0) << error;

    // While the silent peer's handshake is pending, a real viewer attaches at once.
    Receiver r;
    const auto before = std::chrono::steady_clock::now();
    ASSERT_TRUE(r.client.attach(target(), error, 2000)) << error;
    EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::milliseconds(kHandshakeTimeoutMs));
    r.start();
    EXPECT_TRUE(r.wait_for(2));
    EXPECT_EQ(server.stats().refused, 0u);

    // The silent peer is refused once its handshake time is up; the viewer stays attached.
    for (int i = 0; i < 800 && server.stats().refused < 1; ++i) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(server.stats().refused, 1u);
    EXPECT_NE(server.stats().last_refusal.find("timed out"), std::string::npos) << server.stats().last_refusal;
    EXPECT_TRUE(server.stats().attached);
    ::close(silent);
}

TEST_F(LiveSessionTest, HelloArrivingByteByByteIsAccepted) {
    start("unix");
    std::string error;
    const int fd = connect_to(server.address(), 1000, error);
    ASSERT_GE(fd, 0) << error;
    Hello hello;
    hello.token = server.discovery().token;
    for (uint8_t byte : encode_hello(hello)) {
        ASSERT_EQ(::send(fd, &byte, 1, MSG_NOSIGNAL), 1);
        std::this_thread::sleep_for(1ms);
    }
    std::vector<uint8_t> answer_bytes(kAnswerFixedSize);
    ASSERT_TRUE(read_exact(fd, answer_bytes, 2000, error)) << error;
    EXPECT_EQ(answer_bytes[12], static_cast<uint8_t>(Status::Accepted));
    ::close(fd);
}

// Session lifecycle: drops when the pool runs dry, nothing lost at shutdown or exit, run-time switch.

#include "client_fixture.h"

#include "weft/detail/block_writer.h"

#include <latch>
#include <sys/wait.h>

namespace weft::client_test {
namespace {

TEST(ClientLifecycle, PoolExhaustionDropsAndCountsInsteadOfBlocking) {
    TempTrace trace("drops");
    // Two tiny buffers: a thread emitting flat out outruns the writer.
    ASSERT_TRUE(start_session(trace.path, 64, 2));
    constexpr uint64_t kEvents = 200'000;
    std::thread producer([] {
        for (uint64_t i = 0; i < kEvents; ++i) client::loop_lag(static_cast<int64_t>(i));
    });
    producer.join();
    client::shutdown();

    const client::Stats stats = client::stats();
    EXPECT_GT(stats.dropped, 0u);
    auto model = load(trace.path);
    ASSERT_TRUE(model);
    const Model& m = *model;
    // Every event is either in the trace or counted as dropped there.
    EXPECT_EQ(m.lag.size() + m.diagnostics.dropped_events, kEvents);
    EXPECT_EQ(m.diagnostics.dropped_events, stats.dropped);
    ASSERT_EQ(m.threads.size(), 1u);
    EXPECT_EQ(m.threads[0].dropped_events, stats.dropped);
}

TEST(ClientLifecycle, ShutdownWritesWhatLiveAndExitedThreadsRecorded) {
    TempTrace trace("shutdown");
    ASSERT_TRUE(start_session(trace.path, 1024, 16));
    constexpr int kLive = 777;   // less than a buffer: only the shutdown drain can write them
    constexpr int kExited = 555;
    std::latch recorded(1);
    std::latch release(1);
    std::thread live([&] {
        for (int i = 0; i < kLive; ++i) client::loop_lag(i);
        recorded.count_down();
        release.wait(); // still alive while shutdown() runs
    });
    std::thread exited([] {
        for (int i = 0; i < kExited; ++i) client::loop_lag(i);
    });
    exited.join();
    recorded.wait();
    for (int i = 0; i < 3; ++i) client::loop_lag(i); // the main thread too
    client::shutdown();
    release.count_down();
    live.join();

    auto model = load(trace.path);
    ASSERT_TRUE(model);
    EXPECT_EQ(model->lag.size(), size_t(kLive + kExited + 3));
    EXPECT_EQ(model->threads.size(), 3u);
    EXPECT_EQ(model->diagnostics.dropped_events, 0u);
}

TEST(ClientLifecycle, ProcessExitFlushesWithoutShutdown) {
    TempTrace trace("exit");
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // The child records and leaves through exit(): the atexit hook must write everything.
        if (!start_session(trace.path)) _exit(3);
        std::thread worker([] {
            for (int i = 0; i < 1000; ++i) client::loop_lag(i);
        });
        worker.join();
        for (int i = 0; i < 250; ++i) client::loop_lag(i);
        std::exit(0);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0);
    auto model = load(trace.path);
    ASSERT_TRUE(model);
    EXPECT_EQ(model->lag.size(), 1250u);
}

TEST(ClientLifecycle, DisabledAtRunTimeRecordsNothing) {
    TempTrace trace("disabled");
    // Before any session: calls are harmless no-ops.
    client::loop_lag(1);
    { WEFT_SCOPE("before"); }
    EXPECT_FALSE(client::enabled());

    ASSERT_TRUE(start_session(trace.path));
    EXPECT_TRUE(client::enabled());
    client::set_enabled(false);
    EXPECT_FALSE(client::enabled());
    std::thread other([] {
        for (int i = 0; i < 100; ++i) {
            WEFT_SCOPE("off");
            client::loop_lag(i);
        }
    });
    other.join();
    for (int i = 0; i < 100; ++i) client::task_run_begin(1);
    client::set_enabled(true);
    client::loop_lag(42); // the only event
    client::shutdown();
    EXPECT_FALSE(client::enabled());
    client::loop_lag(2); // after the session: ignored

    auto model = load(trace.path);
    ASSERT_TRUE(model);
    EXPECT_EQ(model->event_count, 1u);
    ASSERT_EQ(model->lag.size(), 1u);
    EXPECT_EQ(client::stats().events, 1u);
}

TEST(ClientLifecycle, SessionsCanFollowEachOther) {
    for (int round = 0; round < 3; ++round) {
        TempTrace trace("rounds");
        ASSERT_TRUE(start_session(trace.path));
        EXPECT_FALSE(client::init()); // one session at a time
        for (int i = 0; i <= round; ++i) client::loop_lag(i);
        client::shutdown();
        auto model = load(trace.path);
        ASSERT_TRUE(model);
        EXPECT_EQ(model->lag.size(), size_t(round + 1));
        EXPECT_EQ(model->threads.size(), 1u);
    }
}

TEST(ClientLifecycle, UnwritableOutputFailsInit) {
    client::Options options;
    options.output = "/nonexistent-dir/x/trace.weft";
    EXPECT_FALSE(client::init(std::move(options)));
    EXPECT_FALSE(client::enabled());
}

struct NameCase {
    const char* pretty;
    const char* clean;
};

TEST(ClientLifecycle, FunctionNamesAreShortened) {
    const NameCase cases[] = {
        {"void f()", "f"},
        {"int ns::Class::method(int, char) const", "ns::Class::method"},
        {"weft::client::Task<std::vector<int> > demo::load(std::string)", "demo::load"},
        {"void {anonymous}::helper()", "{anonymous}::helper"},
        {"static void (anonymous namespace)::helper(int)", "(anonymous namespace)::helper"},
        {"main", "main"},
    };
    for (const auto& c : cases) EXPECT_EQ(client::detail::clean_function_name(c.pretty), c.clean) << c.pretty;
}

} // namespace
} // namespace weft::client_test

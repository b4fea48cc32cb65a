// Several threads record through the raw API; the trace's model must match what they recorded.

#include "client_fixture.h"

#include <barrier>
#include <map>

namespace weft::client_test {
namespace {

constexpr int kThreads = 4;
constexpr int kTasksPerThread = 300;

struct Emitted {
    uint64_t root = 0;
    std::vector<uint64_t> tasks;
    std::vector<uint64_t> spans;
    uint64_t events = 0;
};

Outcome outcome_for(int i) {
    if (i % 7 == 3) return Outcome::Cancelled;
    if (i % 5 == 1) return Outcome::Error;
    return Outcome::Ok;
}

TEST(ClientRecording, ConcurrentThreadsProduceTheModelTheyRecorded) {
    TempTrace trace("concurrent");
    // Small buffers: every thread fills many of them, so hand-off and ordering are exercised. The
    // pool holds every event even if the writer never gets the CPU, so nothing may be dropped.
    ASSERT_TRUE(start_session(trace.path, 256, 512));

    std::vector<Emitted> emitted(kThreads);
    std::barrier sync(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            client::set_thread_name("rec-" + std::to_string(t), {"worker"});
            Emitted& mine = emitted[static_cast<size_t>(t)];
            mine.root = client::new_task_id();
            client::task_created(mine.root, 0, "root");
            client::task_run_begin(mine.root);
            client::task_run_end(mine.root); // one task runs at a time on a thread
            mine.events += 3;
            // Phase 1: create tasks, run their first slice here, suspend them, begin their spans.
            for (int i = 0; i < kTasksPerThread; ++i) {
                const uint64_t id = client::new_task_id();
                const uint64_t span = client::new_span_id();
                client::task_created(id, mine.root, "child");
                client::task_run_begin(id);
                {
                    WEFT_SCOPE("outer");
                    WEFT_SCOPE("inner");
                }
                client::async_span_begin(span, 0, "op");
                client::await_begin(id, "io");
                client::task_run_end(id);
                mine.events += 9;
                mine.tasks.push_back(id);
                mine.spans.push_back(span);
            }
            sync.arrive_and_wait();
            // Phase 2: finish the tasks of the next thread: each of them migrates.
            const Emitted& other = emitted[static_cast<size_t>((t + 1) % kThreads)];
            for (int i = 0; i < kTasksPerThread; ++i) {
                const uint64_t id = other.tasks[static_cast<size_t>(i)];
                client::await_end(id);
                client::task_run_begin(id);
                client::async_span_end(other.spans[static_cast<size_t>(i)]);
                client::task_completed(id, outcome_for(i), outcome_for(i) == Outcome::Error ? "boom" : "");
                client::task_run_end(id);
                mine.events += 5;
            }
            sync.arrive_and_wait();
            client::task_run_begin(mine.root);
            client::task_completed(mine.root, Outcome::Ok);
            client::task_run_end(mine.root);
            mine.events += 3;
        });
    }
    for (auto& th : threads) th.join();
    client::shutdown();

    uint64_t total = 0;
    for (const auto& e : emitted) total += e.events;
    const client::Stats stats = client::stats();
    EXPECT_EQ(stats.events, total);
    EXPECT_EQ(stats.dropped, 0u);

    auto model = load(trace.path);
    ASSERT_TRUE(model);
    const Model& m = *model;
    EXPECT_EQ(m.event_count, total);
    ASSERT_EQ(m.processes.size(), 1u);
    EXPECT_EQ(m.threads.size(), size_t(kThreads));
    EXPECT_EQ(m.tasks.size(), size_t(kThreads * (kTasksPerThread + 1)));
    EXPECT_EQ(m.async_spans.size(), size_t(kThreads * kTasksPerThread));
    EXPECT_EQ(m.thread_spans.size(), size_t(kThreads * kTasksPerThread * 2));
    EXPECT_EQ(m.awaits.size(), size_t(kThreads * kTasksPerThread));
    EXPECT_EQ(m.runs.size(), size_t(kThreads * (2 * kTasksPerThread + 2)));
    const Diagnostics& d = m.diagnostics;
    EXPECT_EQ(d.total(), 0u) << "unfinished tasks/runs/awaits/async/thread " << d.unfinished_tasks << ' '
                             << d.unfinished_runs << ' ' << d.unfinished_awaits << ' ' << d.unfinished_async_spans << ' '
                             << d.unfinished_thread_spans << " orphans " << d.orphan_run_ends << ' '
                             << d.orphan_await_ends << ' ' << d.orphan_async_span_ends << ' '
                             << d.orphan_thread_span_ends << " unknown tasks " << d.events_for_unknown_tasks
                             << " backwards " << d.time_backwards << " dropped " << d.dropped_events;

    std::map<TaskState, size_t> expected_states;
    for (int i = 0; i < kTasksPerThread; ++i) {
        const Outcome o = outcome_for(i);
        expected_states[o == Outcome::Ok ? TaskState::Ok : o == Outcome::Error ? TaskState::Error : TaskState::Cancelled] +=
            kThreads;
    }
    expected_states[TaskState::Ok] += kThreads; // the roots
    for (auto [state, n] : expected_states) EXPECT_EQ(count_state(m, state), n);

    size_t roots = 0;
    for (const Task& task : m.tasks) {
        if (task.depth == 0) {
            ++roots;
            EXPECT_EQ(m.string(task.name), "root");
            EXPECT_EQ(task.children.count, uint32_t(kTasksPerThread));
            EXPECT_EQ(task.thread_count, 1);
        } else {
            EXPECT_EQ(task.depth, 1);
            ASSERT_TRUE(task.parent.valid());
            EXPECT_EQ(m.string(m.task(task.parent).name), "root");
            EXPECT_EQ(task.thread_count, 2) << "task " << task.task_id << " ran on both threads";
            EXPECT_EQ(task.polls, 2u);
            if (task.state == TaskState::Error) EXPECT_EQ(m.string(task.error_message), "boom");
        }
    }
    EXPECT_EQ(roots, size_t(kThreads));
    for (const AsyncSpan& span : m.async_spans) {
        EXPECT_FALSE(span.unfinished);
        EXPECT_NE(span.begin_thread, span.end_thread);
    }
    for (const ThreadSpan& span : m.thread_spans) EXPECT_EQ(m.string(span.name), span.depth == 0 ? "outer" : "inner");
    std::vector<std::string> names;
    for (const Thread& th : m.threads) {
        names.push_back(th.name);
        EXPECT_NE(std::find(th.tags.begin(), th.tags.end(), "worker"), th.tags.end());
    }
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"rec-0", "rec-1", "rec-2", "rec-3"}));
}

TEST(ClientRecording, BlockingAndLagEventsKeepFramesAndDurations) {
    TempTrace trace("blocking");
    ASSERT_TRUE(start_session(trace.path));
    std::thread loop([] {
        client::set_thread_name("loop", {"event-loop"});
        WEFT_SCOPE("dispatch");
        {
            WEFT_SCOPE("slow_call");
            client::blocking(client::ticks_from(std::chrono::milliseconds(150)));
        }
        client::loop_lag(client::ticks_from(std::chrono::milliseconds(3)));
        client::loop_lag(client::ticks_from(std::chrono::milliseconds(140)));
    });
    loop.join();
    client::shutdown();

    auto model = load(trace.path);
    ASSERT_TRUE(model);
    const Model& m = *model;
    ASSERT_EQ(m.threads.size(), 1u);
    EXPECT_TRUE(m.threads[0].event_loop);
    ASSERT_EQ(m.blocking.size(), 1u);
    const BlockingEvent& b = m.blocking[0];
    EXPECT_NEAR(double(b.duration()), 150e6, 1e6);
    ASSERT_EQ(b.frames.count, 2u);
    EXPECT_EQ(m.string(m.location(m.frames[b.frames.first]).name), "slow_call"); // innermost first
    EXPECT_EQ(m.string(m.location(m.frames[b.frames.first + 1]).name), "dispatch");
    EXPECT_EQ(m.lag.size(), 2u);
    Time max_lag = 0;
    for (const LagSample& s : m.lag) max_lag = std::max(max_lag, s.lag);
    EXPECT_NEAR(double(max_lag), 140e6, 1e6);
}

TEST(ClientRecording, LongMessagesAreTruncatedNotLost) {
    TempTrace trace("message");
    ASSERT_TRUE(start_session(trace.path));
    const std::string long_message(1000, 'x');
    const uint64_t id = client::new_task_id();
    client::task_created(id, 0, "t");
    client::task_completed(id, Outcome::Error, long_message);
    client::shutdown();
    auto model = load(trace.path);
    ASSERT_TRUE(model);
    ASSERT_EQ(model->tasks.size(), 1u);
    const std::string_view message = model->string(model->tasks[0].error_message);
    EXPECT_GT(message.size(), 100u);
    EXPECT_EQ(message, std::string_view(long_message).substr(0, message.size()));
}

} // namespace
} // namespace weft::client_test

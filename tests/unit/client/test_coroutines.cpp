// weft::client::Task: creation with parent, run slices per resumption, await points, outcomes.

#include "client_fixture.h"

#include "weft/task.h"

#include <stdexcept>

namespace weft::client_test {
namespace {

using client::Task;

Task<int> leaf(TestPool& pool, int value) {
    co_await pool.schedule(); // a second run slice, possibly on another thread
    if (value < 0) throw std::runtime_error("negative input");
    co_return value * 2;
}

Task<void> cancellable(TestPool& pool, client::CancelToken token) {
    co_await pool.schedule();
    token.throw_if_cancelled();
}

Task<int> parent(TestPool& pool) {
    co_await client::named(pool.schedule(), "hop");
    int sum = co_await leaf(pool, 1);              // started inline
    auto a = client::spawn(pool, leaf(pool, 2));    // started on the pool
    auto b = client::spawn(pool, leaf(pool, 3));
    sum += co_await std::move(a);
    sum += co_await std::move(b);
    try {
        co_await leaf(pool, -1);
    } catch (const std::runtime_error&) {
        sum += 100;
    }
    client::CancelToken token;
    token.cancel();
    try {
        co_await cancellable(pool, token);
    } catch (const client::Cancelled&) {
        sum += 1000;
    }
    co_return sum;
}

TEST(ClientCoroutines, TasksRecordHierarchyRunsAwaitsAndOutcomes) {
    TempTrace trace("coroutines");
    ASSERT_TRUE(start_session(trace.path));
    int result = 0;
    {
        TestPool pool(2);
        result = client::block_on(parent(pool));
        pool.stop();
    }
    client::shutdown();
    EXPECT_EQ(result, 2 + 4 + 6 + 100 + 1000);

    auto model = load(trace.path);
    ASSERT_TRUE(model);
    const Model& m = *model;
    ASSERT_EQ(m.tasks.size(), 6u); // parent, four leaves, cancellable
    EXPECT_EQ(m.diagnostics.total(), 0u);
    const weft::Task* root = nullptr;
    for (const weft::Task& t : m.tasks)
        if (t.depth == 0) root = &t;
    ASSERT_NE(root, nullptr);
    EXPECT_EQ(m.string(root->name), "weft::client_test::{anonymous}::parent");
    EXPECT_EQ(root->children.count, 5u);
    EXPECT_EQ(root->state, TaskState::Ok);
    EXPECT_GE(root->polls, 2u);
    EXPECT_EQ(count_state(m, TaskState::Error), 1u);
    EXPECT_EQ(count_state(m, TaskState::Cancelled), 1u);
    EXPECT_EQ(count_state(m, TaskState::Ok), 4u);
    for (const weft::Task& t : m.tasks) {
        if (t.state == TaskState::Error) EXPECT_EQ(m.string(t.error_message), "negative input");
        if (&t != root) {
            EXPECT_EQ(t.depth, 1);
            EXPECT_EQ(t.polls, 2u) << "first slice, then one after pool.schedule()";
        }
    }
    // Await points name their awaitable and point at the co_await line of this file.
    bool saw_hop = false;
    for (const AwaitPoint& a : m.awaits) {
        const std::string_view name = m.string(a.awaitable);
        saw_hop |= name == "hop";
        EXPECT_TRUE(name == "hop" || name == "task" || name == "test.schedule") << name;
        EXPECT_NE(m.location_label(a.location).find("test_coroutines.cpp:"), std::string::npos);
        EXPECT_FALSE(a.unfinished);
    }
    EXPECT_TRUE(saw_hop);
    // The pool has two threads: over many hops at least one task usually moves, but the schedule
    // is not ours to force, so only the bound is checked.
    for (const weft::Task& t : m.tasks) EXPECT_LE(t.thread_count, 3);
}

TEST(ClientCoroutines, TasksRunUntracedWhenNoSessionIsActive) {
    TestPool pool(1);
    EXPECT_EQ(client::block_on(leaf(pool, 21)), 42);
    EXPECT_THROW(client::block_on(leaf(pool, -1)), std::runtime_error);
}

TEST(ClientCoroutines, ANeverStartedTaskIsRecordedAsCancelled) {
    TempTrace trace("never");
    ASSERT_TRUE(start_session(trace.path));
    {
        TestPool pool(1);
        auto unused = leaf(pool, 5);
        (void)unused;
    }
    client::shutdown();
    auto model = load(trace.path);
    ASSERT_TRUE(model);
    ASSERT_EQ(model->tasks.size(), 1u);
    EXPECT_EQ(model->tasks[0].state, TaskState::Cancelled);
}

} // namespace
} // namespace weft::client_test

// Which task an await waited on: named by the awaitable, found by the completion that woke it.

#include "analysis/awaited_task.h"

#include "../query/query_fixture.h"

#include <gtest/gtest.h>

using namespace weft;

TEST(AwaitedTask, TheLabelIsWhatTaskAngleBracketsHold) {
    EXPECT_EQ(analysis::awaited_task_label("Task<fetch_user>"), "fetch_user");
    EXPECT_EQ(analysis::awaited_task_label("Task<Server.handle>"), "Server.handle");
    EXPECT_EQ(analysis::awaited_task_label("Task<>"), "");
    EXPECT_EQ(analysis::awaited_task_label("Queue.get"), "");
    EXPECT_EQ(analysis::awaited_task_label("gather"), "");
}

TEST(AwaitedTask, TheNamedTaskThatCompletedLastWithinTheAwait) {
    auto m = test::small_model();
    // A awaits [100, 400] on "Task<B>"; B completes at 390, inside it.
    m->awaits[0].awaitable = test::intern(*m, "Task<B>");
    m->tasks[1].completed = 390;
    EXPECT_EQ(analysis::awaited_task(*m, 0), TaskIndex{1});
    // Completed after the await ended: not what woke it.
    m->tasks[1].completed = 450;
    EXPECT_FALSE(analysis::awaited_task(*m, 0).valid());
    // A default-named task is known by its coroutine, as the agent labels it.
    m->tasks[1].completed = 390;
    m->tasks[1].name = test::intern(*m, "Task-2");
    m->tasks[1].coro_name = test::intern(*m, "B");
    EXPECT_EQ(analysis::awaited_task(*m, 0), TaskIndex{1});
    // Not a task's await, or an index past the table.
    m->awaits[0].awaitable = test::intern(*m, "Queue.get");
    EXPECT_FALSE(analysis::awaited_task(*m, 0).valid());
    EXPECT_FALSE(analysis::awaited_task(*m, 99).valid());
}

TEST(AwaitedTask, OfSeveralCandidatesTheLastToCompleteBeforeTheEnd) {
    auto m = test::small_model();
    m->awaits[0].awaitable = test::intern(*m, "Task<worker>");
    m->tasks[1].name = test::intern(*m, "worker");
    m->tasks[1].completed = 200;
    m->tasks[2].name = test::intern(*m, "worker");
    m->tasks[2].completed = 380;
    EXPECT_EQ(analysis::awaited_task(*m, 0), TaskIndex{2});
    // A task of another process does not count.
    m->tasks[2].process = ProcessIndex{7};
    EXPECT_EQ(analysis::awaited_task(*m, 0), TaskIndex{1});
}

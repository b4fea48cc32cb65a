// What a task is called: asyncio's default "Task-N" gives way to the coroutine's name.

#include "query/task_names.h"

#include "query_fixture.h"

#include <gtest/gtest.h>

using namespace weft;

TEST(TaskNames, DefaultNamesAreTaskDashDigits) {
    EXPECT_TRUE(is_default_task_name("Task-1"));
    EXPECT_TRUE(is_default_task_name("Task-123456"));
    EXPECT_FALSE(is_default_task_name("Task-"));
    EXPECT_FALSE(is_default_task_name("Task-12a"));
    EXPECT_FALSE(is_default_task_name("task-12"));
    EXPECT_FALSE(is_default_task_name("MyTask-1"));
    EXPECT_FALSE(is_default_task_name("handle_request"));
}

TEST(TaskNames, ADefaultNameGivesWayToTheCoroutine) {
    auto m = test::small_model();
    Task& t = m->tasks[0];
    t.name = test::intern(*m, "Task-7");
    t.coro_name = test::intern(*m, "Server.handle_request");
    EXPECT_EQ(task_display_name(*m, TaskIndex{0}), "Server.handle_request");
    EXPECT_EQ(task_replaced_name(*m, TaskIndex{0}), "Task-7");
    // A name of its own is kept, and nothing is replaced.
    t.name = test::intern(*m, "fetch users");
    EXPECT_EQ(task_display_name(*m, TaskIndex{0}), "fetch users");
    EXPECT_EQ(task_replaced_name(*m, TaskIndex{0}), "");
    // Without a coroutine name the default name stays; without either, the id.
    t.name = test::intern(*m, "Task-7");
    t.coro_name = StringId{0};
    EXPECT_EQ(task_display_name(*m, TaskIndex{0}), "Task-7");
    EXPECT_EQ(task_replaced_name(*m, TaskIndex{0}), "");
    t.name = StringId{0};
    EXPECT_EQ(task_display_name(*m, TaskIndex{0}), "task " + std::to_string(t.task_id));
    EXPECT_EQ(task_display_name(*m, TaskIndex{999}), "");
}

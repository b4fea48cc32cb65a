// Hand-computed busy / scheduled / awaiting / idle / polls on small traces.

#include "event_dsl.h"
#include "model_dump.h"

#include <gtest/gtest.h>

namespace weft::test {
namespace {

TEST(ModelBuilderGolden, MigratingTaskFromTheFormatExample) {
    auto m = build_model(R"(
        thread T1 loop
        thread T2
        T1 0   create 1 name=main
        T1 10  run 1
        T1 20  await 1 sleep at=app.py:12
        T1 25  end 1
        T2 40  resume 1
        T2 41  run 1
        T2 50  done 1 ok
        T2 50  end 1
    )");
    ASSERT_EQ(m->tasks.size(), 1u);
    const Task& t = m->tasks[0];
    EXPECT_EQ(m->string(t.name), "main");
    EXPECT_EQ(t.created, 0);
    EXPECT_EQ(t.first_run, 10);
    EXPECT_EQ(t.completed, 50);
    EXPECT_EQ(t.state, TaskState::Ok);
    EXPECT_EQ(t.busy, 24);      // [10,25] + [41,50]
    EXPECT_EQ(t.polls, 2u);
    EXPECT_EQ(t.awaiting, 20);  // [20,40]
    EXPECT_EQ(t.scheduled, 11); // 0->10 and 40->41
    EXPECT_EQ(t.idle, 15);      // 50 - 24 - 11
    EXPECT_EQ(t.thread_count, 2);
    EXPECT_TRUE(t.migrated());
    ASSERT_EQ(t.awaits.count, 1u);
    const AwaitPoint& a = m->awaits_of(t)[0];
    EXPECT_EQ(a.begin, 20);
    EXPECT_EQ(a.end, 40);
    EXPECT_EQ(m->string(a.awaitable), "sleep");
    EXPECT_EQ(m->location_label(a.location), "app.py:12");
    EXPECT_FALSE(a.unfinished);
    EXPECT_EQ(m->begin, 0);
    EXPECT_EQ(m->end, 50);
    EXPECT_EQ(m->event_count, 8u);
    EXPECT_EQ(m->diagnostics.total(), 0u);
}

TEST(ModelBuilderGolden, ParentChildYieldAndError) {
    auto m = build_model(R"(
        thread T1 loop
        T1 0  create 1 name=main
        T1 5  run 1
        T1 6  create 2 parent=1 name=child coro=work at=spawn@app.py:6
        T1 8  await 1 gather at=app.py:3
        T1 10 end 1
        T1 12 run 2
        T1 15 end 2
        T1 20 run 2
        T1 22 await 2 sleep at=app.py:9
        T1 23 end 2
        T1 40 resume 2
        T1 45 run 2
        T1 47 done 2 ok
        T1 47 end 2
        T1 50 resume 1
        T1 52 run 1
        T1 60 done 1 error msg=boom
        T1 60 end 1
    )", 4);
    const Task& main = m->task(find_task(*m, 1));
    EXPECT_EQ(main.busy, 13);
    EXPECT_EQ(main.polls, 2u);
    EXPECT_EQ(main.awaiting, 42);
    EXPECT_EQ(main.scheduled, 7);
    EXPECT_EQ(main.idle, 40);
    EXPECT_EQ(main.state, TaskState::Error);
    EXPECT_EQ(m->string(main.error_message), "boom");
    EXPECT_EQ(main.depth, 0);
    ASSERT_EQ(main.children.count, 1u);
    EXPECT_EQ(m->children(main)[0], find_task(*m, 2));

    const Task& child = m->task(find_task(*m, 2));
    EXPECT_EQ(child.parent, find_task(*m, 1));
    EXPECT_EQ(child.depth, 1);
    EXPECT_EQ(m->string(child.coro_name), "work");
    EXPECT_EQ(m->string(m->location(child.spawn_location).name), "spawn");
    EXPECT_EQ(child.created, 6);
    EXPECT_EQ(child.busy, 8);
    EXPECT_EQ(child.polls, 3u);
    EXPECT_EQ(child.awaiting, 18);
    EXPECT_EQ(child.scheduled, 16); // 6->12, 15->20 (a yield), 40->45
    EXPECT_EQ(child.idle, 17);      // 41 - 8 - 16
    EXPECT_EQ(child.thread_count, 1);
    EXPECT_FALSE(child.migrated());

    ASSERT_EQ(m->processes.size(), 1u);
    ASSERT_EQ(m->processes[0].root_tasks.size(), 1u);
    EXPECT_EQ(m->processes[0].root_tasks[0], find_task(*m, 1));
    EXPECT_EQ(m->diagnostics.total(), 0u);
}

TEST(ModelBuilderGolden, ChildrenAreInCreationOrderAcrossThreads) {
    auto m = build_model(R"(
        thread A
        thread B
        A 0 create 1
        B 30 create 4 parent=1
        A 10 create 3 parent=1
        B 20 create 2 parent=1
        B 25 create 5 parent=4
    )");
    const Task& root = m->task(find_task(*m, 1));
    ASSERT_EQ(root.children.count, 3u);
    EXPECT_EQ(m->tasks[m->children(root)[0].value].task_id, 3u);
    EXPECT_EQ(m->tasks[m->children(root)[1].value].task_id, 2u);
    EXPECT_EQ(m->tasks[m->children(root)[2].value].task_id, 4u);
    // Task 5 names a parent created later (a skewed clock): still its child, one level deeper.
    EXPECT_EQ(m->task(find_task(*m, 5)).depth, 2);
    EXPECT_EQ(m->diagnostics.unfinished_tasks, 5u);
}

TEST(ModelBuilderGolden, ThreadRunLaneIsSortedWithTaskSlices) {
    auto m = build_model(R"(
        thread T1
        T1 0 create 1
        T1 1 create 2
        T1 2 run 1
        T1 4 end 1
        T1 5 run 2
        T1 9 end 2
        T1 10 run 1
        T1 11 end 1
    )", 2);
    const Thread& th = m->thread(find_thread(*m, "T1"));
    ASSERT_EQ(th.run_slices.count, 3u);
    EXPECT_EQ(m->runs.begin[th.run_slices.first + 1], 5);
    EXPECT_EQ(m->runs.task[th.run_slices.first + 1], find_task(*m, 2));
    const Task& t1 = m->task(find_task(*m, 1));
    ASSERT_EQ(t1.slices.count, 2u);
    EXPECT_EQ(m->runs.begin[m->slices_of(t1)[0]], 2);
    EXPECT_EQ(m->runs.begin[m->slices_of(t1)[1]], 10);
    EXPECT_EQ(t1.scheduled, 2 + 6); // created->first run, then a yield from 4 to 10
    EXPECT_EQ(t1.idle, 0);           // unfinished: ends at the trace end, 11
}

} // namespace
} // namespace weft::test

#pragma once
// A small hand-built model for the query tests. One process, two threads, three tasks:
//
//   thread 0 "main":   A [0,100]   B [200,300]   A [400,500]     span "parse" [0,90] > "inner" [10,20]
//                      blocking [420,480], lag sample at 500 (30 ns late)
//   thread 1 "worker": B [350,450]                                 (B migrates from main to worker)
//   tasks: A (id 1, root) spawns B (id 2) at 50 and C (id 3) at 60; C never runs, never finishes.
//   A awaits [100,400]; B awaits [300,350]; A holds async spans "request" [20,250] > "db" [30,80].

#include "model/model.h"

#include <memory>
#include <string>

namespace weft::test {

inline StringId intern(Model& m, const std::string& s) {
    m.strings.push_back(s);
    return StringId{static_cast<uint32_t>(m.strings.size() - 1)};
}

inline void add_run(Model& m, Time b, Time e, uint32_t task) {
    m.runs.begin.push_back(b);
    m.runs.end.push_back(e);
    m.runs.task.push_back(TaskIndex{task});
}

inline std::shared_ptr<Model> small_model() {
    auto m = std::make_shared<Model>();
    m->strings = {""};
    m->locations.resize(1);
    m->begin = 0;
    m->end = 600;
    Process& p = m->processes.emplace_back();
    p.pid = 42;
    p.exe = "server";
    p.threads = {ThreadIndex{0}, ThreadIndex{1}};
    p.root_tasks = {TaskIndex{0}};

    add_run(*m, 0, 100, 0);   // 0: A on main
    add_run(*m, 200, 300, 1); // 1: B on main
    add_run(*m, 400, 500, 0); // 2: A on main
    add_run(*m, 350, 450, 1); // 3: B on worker

    Thread& main = m->threads.emplace_back();
    main.process = ProcessIndex{0};
    main.name = "main";
    main.os_thread_id = 101;
    main.event_loop = true;
    main.run_slices = {0, 3};
    main.span_depths = {{0, 1}, {1, 1}};
    main.blocking = {0, 1};
    main.lag = {0, 1};
    Thread& worker = m->threads.emplace_back();
    worker.process = ProcessIndex{0};
    worker.name = "worker";
    worker.os_thread_id = 102;
    worker.run_slices = {3, 1};

    m->thread_spans.push_back({0, 90, LocationId{0}, intern(*m, "parse"), StringId{0}, 0, false});
    m->thread_spans.push_back({10, 20, LocationId{0}, intern(*m, "inner"), StringId{0}, 1, false});
    m->blocking.push_back({420, 480, ThreadIndex{0}, TaskIndex{0}, {}});
    m->lag.push_back({500, 30, ThreadIndex{0}});

    const StringId awaitable = intern(*m, "queue.get");
    m->awaits.push_back({100, 400, TaskIndex{0}, awaitable, LocationId{0}, false});
    m->awaits.push_back({300, 350, TaskIndex{1}, awaitable, LocationId{0}, false});

    AsyncSpan request;
    request.span_id = 7;
    request.begin = 20;
    request.end = 250;
    request.name = intern(*m, "request");
    request.task = TaskIndex{0};
    AsyncSpan db = request;
    db.span_id = 8;
    db.begin = 30;
    db.end = 80;
    db.parent = AsyncSpanIndex{0};
    db.depth = 1;
    db.name = intern(*m, "db");
    m->async_spans = {request, db};
    m->task_spans = {AsyncSpanIndex{0}, AsyncSpanIndex{1}};

    Task a;
    a.task_id = 1;
    a.process = ProcessIndex{0};
    a.name = intern(*m, "A");
    a.created = 0;
    a.first_run = 0;
    a.completed = 600;
    a.state = TaskState::Ok;
    a.thread_count = 1;
    a.children = {0, 2};
    a.slices = {0, 2};
    a.awaits = {0, 1};
    a.spans = {0, 2};
    Task b;
    b.task_id = 2;
    b.process = ProcessIndex{0};
    b.parent = TaskIndex{0};
    b.name = intern(*m, "B");
    b.created = 50;
    b.first_run = 200;
    b.completed = 450;
    b.depth = 1;
    b.thread_count = 2;
    b.slices = {2, 2};
    b.awaits = {1, 1};
    Task c;
    c.task_id = 3;
    c.process = ProcessIndex{0};
    c.parent = TaskIndex{0};
    c.name = intern(*m, "C");
    c.created = 60;
    c.depth = 1;
    m->tasks = {a, b, c};
    m->task_children = {TaskIndex{1}, TaskIndex{2}};
    m->task_slices = {0, 2, 1, 3};
    m->event_count = 30;
    return m;
}

} // namespace weft::test

#include "small_model.h"

namespace weft::test {

namespace {

StringId add_string(Model& m, std::string s) {
    m.strings.push_back(std::move(s));
    return StringId{static_cast<uint32_t>(m.strings.size() - 1)};
}

LocationId add_location(Model& m, const char* name, const char* file, uint32_t line) {
    Location loc;
    loc.name = add_string(m, name);
    loc.file = add_string(m, file);
    loc.line = line;
    m.locations.push_back(loc);
    return LocationId{static_cast<uint32_t>(m.locations.size() - 1)};
}

} // namespace

std::shared_ptr<const Model> make_small_model() {
    auto m = std::make_shared<Model>();
    m->origin_ns = 1'700'000'000'000'000'000ull;
    m->begin = 0;
    m->end = 2'000'000'000; // 2 s
    m->event_count = 42;
    m->strings = {""};
    m->locations = {Location{}};

    const LocationId spawn = add_location(*m, "serve", "app/server.py", 12);
    const LocationId sleep_site = add_location(*m, "poll", "app/poll.py", 30);
    const LocationId frame_inner = add_location(*m, "recv", "socket.py", 0);
    const LocationId scope = add_location(*m, "parse", "app/codec.py", 7);

    Process p;
    p.process_id = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    p.exe = "server";
    p.pid = 4242;
    p.hostname = "host";
    p.start_time_ns = m->origin_ns;
    p.tick_frequency = 1'000'000'000;
    p.properties = {{"language", "python"}};
    p.threads = {ThreadIndex{0}, ThreadIndex{1}};
    p.root_tasks = {TaskIndex{0}};
    m->processes.push_back(p);

    Thread loop;
    loop.name = "event-loop";
    loop.tags = {"thread", "event-loop"};
    loop.event_loop = true;
    loop.process = ProcessIndex{0};
    loop.run_slices = {0, 2};
    loop.span_depths = {{0, 1}, {1, 1}};
    loop.blocking = {0, 1};
    loop.lag = {0, 3};
    loop.events = 30;
    Thread worker;
    worker.name = "worker-1";
    worker.tags = {"thread", "worker"};
    worker.process = ProcessIndex{0};
    worker.run_slices = {2, 2};
    worker.events = 12;
    worker.dropped_events = 5;
    m->threads = {loop, worker};

    // runs: loop [0.1, 0.2] task 0, [0.5, 0.6] task 1; worker [0.3, 0.4] task 1, [0.7, 0.8] task 2.
    m->runs.begin = {100'000'000, 500'000'000, 300'000'000, 700'000'000};
    m->runs.end = {200'000'000, 600'000'000, 400'000'000, 800'000'000};
    m->runs.task = {TaskIndex{0}, TaskIndex{1}, TaskIndex{1}, TaskIndex{2}};

    Task root;
    root.task_id = 1;
    root.process = ProcessIndex{0};
    root.name = add_string(*m, "handle_request");
    root.coro_name = add_string(*m, "app.handle_request");
    root.spawn_location = spawn;
    root.created = 50'000'000;
    root.first_run = 100'000'000;
    root.completed = 1'000'000'000;
    root.busy = 100'000'000;
    root.polls = 1;
    root.state = TaskState::Ok;
    root.children = {0, 2};
    root.slices = {0, 1};
    Task failing;
    failing.task_id = 2;
    failing.process = ProcessIndex{0};
    failing.parent = TaskIndex{0};
    failing.depth = 1;
    failing.name = add_string(*m, "fetch\xff" "bad");
    failing.error_message = add_string(*m, "ValueError: boom");
    failing.created = 150'000'000;
    failing.first_run = 300'000'000;
    failing.completed = 600'000'000;
    failing.busy = 200'000'000;
    failing.polls = 2;
    failing.thread_count = 2;
    failing.state = TaskState::Error;
    failing.slices = {1, 2};
    failing.awaits = {0, 1};
    Task pending;
    pending.task_id = 3;
    pending.process = ProcessIndex{0};
    pending.parent = TaskIndex{0};
    pending.depth = 1;
    pending.created = 160'000'000;
    pending.first_run = 700'000'000;
    pending.busy = 100'000'000;
    pending.polls = 1;
    pending.thread_count = 1;
    pending.state = TaskState::Unfinished;
    pending.slices = {3, 1};
    pending.awaits = {1, 1};
    m->tasks = {root, failing, pending};
    m->task_children = {TaskIndex{1}, TaskIndex{2}};
    m->task_slices = {0, 2, 1, 3}; // root: run 0; failing: runs 2 (worker) then 1 (loop); pending: run 3

    const StringId sleep_name = add_string(*m, "asyncio.sleep");
    m->awaits.push_back(AwaitPoint{400'000'000, 500'000'000, TaskIndex{1}, sleep_name, sleep_site, false});
    m->awaits.push_back(AwaitPoint{800'000'000, 2'000'000'000, TaskIndex{2}, sleep_name, sleep_site, true});

    m->frames = {frame_inner, spawn};
    BlockingEvent b;
    b.begin = 1'100'000'000;
    b.end = 1'250'000'000;
    b.thread = ThreadIndex{0};
    b.task = TaskIndex{0};
    b.frames = {0, 2};
    m->blocking.push_back(b);

    m->lag = {LagSample{10'000'000, 1'000'000, ThreadIndex{0}}, LagSample{20'000'000, 3'000'000, ThreadIndex{0}},
              LagSample{30'000'000, 2'000'000, ThreadIndex{0}}};

    AsyncSpan request;
    request.span_id = 7;
    request.begin = 100'000'000;
    request.end = 1'000'000'000;
    request.process = ProcessIndex{0};
    request.name = add_string(*m, "request");
    request.location = spawn;
    request.begin_thread = ThreadIndex{0};
    request.end_thread = ThreadIndex{0};
    request.task = TaskIndex{0};
    AsyncSpan rpc = request;
    rpc.span_id = 8;
    rpc.parent = AsyncSpanIndex{0};
    rpc.depth = 1;
    rpc.begin = 300'000'000;
    rpc.end = 2'000'000'000;
    rpc.end_thread = ThreadIndex{};
    rpc.begin_thread = ThreadIndex{1};
    rpc.task = TaskIndex{1};
    rpc.unfinished = true;
    m->async_spans = {request, rpc};

    m->thread_spans.push_back(ThreadSpan{110'000'000, 150'000'000, scope, m->location(scope).name, StringId{0}, 0, false});
    m->thread_spans.push_back(ThreadSpan{120'000'000, 130'000'000, scope, m->location(scope).name, StringId{0}, 1, false});

    m->diagnostics.unfinished_tasks = 1;
    m->diagnostics.unfinished_awaits = 1;
    m->diagnostics.damaged_records = 1;
    m->diagnostics.messages = {"offset 4096: checksum mismatch"};
    return m;
}

} // namespace weft::test

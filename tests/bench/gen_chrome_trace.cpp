// Writes a large trace-event JSON file shaped like what Chrome writes, for the import benchmark
// (bench_chrome_import.cpp):
//
//   gen_chrome_trace --bytes N [--seed S] [--gzip] -o out.json
//     --bytes  size of the JSON text to write, in bytes (suffixes k, M, G: powers of 1000; 1.5G)
//     --seed   the same seed writes the same file (default 1)
//     --gzip   compress the output (gzip, level 1); --bytes still counts the uncompressed text
//
// What it writes: five processes (browser, two renderers, GPU, network service) of 2-5 threads,
// their process_name / process_sort_index / thread_name / thread_sort_index metadata first, then
// the events in roughly the order a tracer writes them: each thread runs tasks, a task is a
// complete event (X) over a tree of properly nested X slices and some B/E pairs, and a complete
// event is written when it ends (after its children), a B when it begins. Inside the tasks: v1
// flows (s, then f with "bp": "e" in a later task of another thread, often of another process),
// thread- and process-scoped instants, and the starts of nestable async requests (b/e with
// id2.local) whose nested spans begin and end on other threads of the same process. Counters (C)
// every 2-5 ms per process. Times are microseconds with three decimals; about half of the slices
// carry args, about a quarter thread times (tts, tdur). Everything comes from one seeded
// generator, so a seed always gives the same file.

#include "chrome_trace_vocabulary.h"
#include "text_output.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <queue>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace weft::bench;

// xoshiro256**, seeded through splitmix64: the same stream on every platform (std's distributions
// are not specified bit for bit).
uint64_t splitmix64(uint64_t& x) {
    uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

class Rng {
public:
    explicit Rng(uint64_t seed) {
        for (uint64_t& s : m_s)
            s = splitmix64(seed);
    }
    uint64_t next() {
        const uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }
    uint32_t below(uint32_t n) { return static_cast<uint32_t>(((next() >> 32) * n) >> 32); }
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return unit() < p; }
    // Log-uniform in [lo, hi]: durations spread over orders of magnitude, as in real traces.
    int64_t log_uniform(double lo, double hi) {
        return static_cast<int64_t>(lo * std::exp(unit() * std::log(hi / lo)));
    }
    template <class T, size_t N> const T& pick(const T (&items)[N]) { return items[below(N)]; }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t m_s[4];
};

// ---- The simulated processes ----

struct PendingAsync { // a b or e another thread of the process writes at its time
    int64_t ts;
    uint64_t order; // ties: creation order, so the file does not depend on the heap's layout
    uint64_t id;
    const char* cat;
    const char* name;
    char ph;
    bool operator>(const PendingAsync& o) const { return ts != o.ts ? ts > o.ts : order > o.order; }
};

struct PendingFlow { // an f that this thread writes in its next task after `ts`
    int64_t ts;
    uint64_t id;
    const char* name;
};

struct Thread {
    uint32_t process = 0;
    uint64_t tid = 0;
    const char* name = "";
    Flavor flavor = Flavor::Worker;
    double busy = 1;      // shorter idle gaps on busier threads
    int64_t next_ns = 0;  // when its next task starts
    int64_t last_end = 0; // when its last task ended
    int64_t cpu_ns = 0;   // thread time at the start of its current task
    std::priority_queue<PendingAsync, std::vector<PendingAsync>, std::greater<>> async;
    std::deque<PendingFlow> flows;
};

struct Process {
    uint64_t pid = 0;
    const char* name = "";
    const RequestKind* requests = nullptr;
    CounterKind counter{};
    double counter_value[2] = {0, 0};
    int64_t next_counter_ns = 0;
    std::vector<uint32_t> threads;
};

struct Counts {
    uint64_t by_phase[128] = {};
    uint64_t total() const {
        uint64_t n = 0;
        for (uint64_t c : by_phase)
            n += c;
        return n;
    }
};

class Generator {
public:
    Generator(uint64_t seed, TextOutput& out) : m_rng(seed), m_out(out) { setup(); }

    void run(uint64_t target_bytes);
    const Counts& counts() const { return m_counts; }

private:
    void setup();
    void add_process(uint64_t pid, const char* name, const RequestKind* requests, CounterKind counter,
                     std::initializer_list<std::pair<const char*, Flavor>> threads);
    void write_metadata();
    void run_task(uint32_t t);
    int64_t slice(uint32_t t, int depth, int64_t begin, int& budget);
    void start_request(uint32_t t, int64_t ts);
    void start_flow(uint32_t t, int64_t ts);
    void write_counter(Process& p);
    void drain_async(Thread& th, int64_t before);

    // Event writing: the separator, the common head in Chrome's field order, then the rest.
    char* begin_event();
    char* head(const Thread& th, int64_t ts, char ph, const char* cat, const char* name);
    char* args(char* p, Args kind);
    int64_t cpu_at(const Thread& th, int64_t task_begin, int64_t ts) const {
        return th.cpu_ns + (ts - task_begin) * 7 / 8;
    }
    void done(char* end, char ph) {
        m_out.advance(end);
        ++m_counts.by_phase[static_cast<unsigned char>(ph)];
    }

    Rng m_rng;
    TextOutput& m_out;
    std::vector<Process> m_processes;
    std::vector<Thread> m_threads;
    Counts m_counts;
    uint64_t m_async_order = 0;
    uint64_t m_next_id = 1;
    int64_t m_task_begin = 0;    // of the task being written
    bool m_winding_down = false; // no new flows or requests: what is open gets closed
    bool m_first = true;         // no event written yet: no separator before the next
};

void Generator::add_process(uint64_t pid, const char* name, const RequestKind* requests, CounterKind counter,
                            std::initializer_list<std::pair<const char*, Flavor>> threads) {
    Process p;
    p.pid = pid;
    p.name = name;
    p.requests = requests;
    p.counter = counter;
    p.counter_value[0] = 1e6 + m_rng.below(5'000'000);
    p.counter_value[1] = 2e6 + m_rng.below(5'000'000);
    const auto index = static_cast<uint32_t>(m_processes.size());
    uint64_t tid = pid;
    for (const auto& [thread_name, flavor] : threads) {
        Thread th;
        th.process = index;
        th.tid = tid;
        th.name = thread_name;
        th.flavor = flavor;
        th.busy = flavor == Flavor::RendererMain || flavor == Flavor::BrowserMain || flavor == Flavor::GpuMain
                      ? 4
                  : flavor == Flavor::Worker ? 0.7
                                             : 1.5;
        p.threads.push_back(static_cast<uint32_t>(m_threads.size()));
        m_threads.push_back(std::move(th));
        tid += 3 + m_rng.below(40);
    }
    m_processes.push_back(std::move(p));
}

void Generator::setup() {
    using F = Flavor;
    add_process(41233, "Browser", &kBrowserRequests,
                {"disabled-by-default-memory-infra", "ThreadPool.ForegroundTasks", {"value", nullptr}},
                {{"CrBrowserMain", F::BrowserMain},
                 {"Chrome_IOThread", F::Io},
                 {"ThreadPoolForegroundWorker", F::Worker},
                 {"ThreadPoolForegroundWorker", F::Worker},
                 {"ThreadPoolBackgroundWorker", F::Worker}});
    add_process(
        41251, "GPU Process", nullptr, {"gpu", "GpuMemoryUsage", {"value", nullptr}},
        {{"CrGpuMain", F::GpuMain}, {"VizCompositorThread", F::Viz}, {"Chrome_ChildIOThread", F::Io}});
    add_process(41260, "Service: network.mojom.NetworkService", &kNetworkRequests,
                {"net", "URLRequestCount", {"value", nullptr}},
                {{"CrUtilityMain", F::NetworkMain},
                 {"Chrome_ChildIOThread", F::Io},
                 {"ThreadPoolForegroundWorker", F::Worker}});
    add_process(41290, "Renderer", &kRendererRequests, {"v8", "V8.Heap", {"used_size", "total_size"}},
                {{"CrRendererMain", F::RendererMain},
                 {"Compositor", F::Compositor},
                 {"Chrome_ChildIOThread", F::Io},
                 {"ThreadPoolForegroundWorker", F::Worker},
                 {"DedicatedWorker thread", F::RendererMain}});
    add_process(41317, "Renderer", &kRendererRequests, {"v8", "V8.Heap", {"used_size", "total_size"}},
                {{"CrRendererMain", F::RendererMain},
                 {"Compositor", F::Compositor},
                 {"Chrome_ChildIOThread", F::Io}});
    // Monotonic clock of a machine up for a few days, in ns.
    const int64_t start = 351'826'735'613'000 + m_rng.below(1'000'000'000);
    for (Thread& th : m_threads) {
        th.next_ns = start + m_rng.log_uniform(1'000, 2'000'000);
        th.cpu_ns = m_rng.log_uniform(1'000'000, 900'000'000);
    }
    for (Process& p : m_processes)
        p.next_counter_ns = start + m_rng.log_uniform(1'000, 3'000'000);
}

char* Generator::begin_event() {
    char* p = m_out.cursor();
    if (!m_first) p = put(p, ", \n"); // one event per line, as Chrome writes them
    m_first = false;
    return p;
}

char* Generator::head(const Thread& th, int64_t ts, char ph, const char* cat, const char* name) {
    char* p = begin_event();
    p = put(p, "{\"pid\":");
    p = put_u64(p, m_processes[th.process].pid);
    p = put(p, ",\"tid\":");
    p = put_u64(p, th.tid);
    p = put(p, ",\"ts\":");
    p = put_micros(p, ts);
    p = put(p, ",\"ph\":\"");
    *p++ = ph;
    p = put(p, "\",\"cat\":\"");
    p = put(p, cat);
    p = put(p, "\",\"name\":\"");
    p = put(p, name);
    *p++ = '"';
    return p;
}

char* Generator::args(char* p, Args kind) {
    switch (kind) {
    case Args::Src: {
        const SrcLocation& s = m_rng.pick(kSources);
        p = put(p, ",\"args\":{\"src_file\":\"");
        p = put(p, s.file);
        p = put(p, "\",\"src_func\":\"");
        p = put(p, s.func);
        return put(p, "\"}");
    }
    case Args::V8:
        p = put(p, ",\"args\":{\"data\":{\"functionName\":\"");
        p = put(p, m_rng.pick(kFunctions));
        p = put(p, "\",\"url\":\"https://www.example.com/static/js/");
        p = put(p, m_rng.pick(kScripts));
        p = put(p, "\",\"lineNumber\":");
        p = put_u64(p, 1 + m_rng.below(4000));
        p = put(p, ",\"columnNumber\":");
        p = put_u64(p, 1 + m_rng.below(120));
        return put(p, "}}");
    case Args::Layout:
        p = put(p, ",\"args\":{\"beginData\":{\"dirtyObjects\":");
        p = put_u64(p, 1 + m_rng.below(60));
        p = put(p, ",\"totalObjects\":");
        p = put_u64(p, 200 + m_rng.below(3000));
        p = put(p, ",\"partialLayout\":false,\"frame\":\"");
        p = put(p,
                m_rng.chance(0.8) ? "A1F0D2C47B3E9A55E3D1B2C0F9E8D7C6" : "5C3B2A19F0E8D7C6B5A4938271605F4E");
        return put(p, "\"}}");
    case Args::Frame:
        p = put(p, ",\"args\":{\"frame\":\"");
        p = put(p,
                m_rng.chance(0.8) ? "A1F0D2C47B3E9A55E3D1B2C0F9E8D7C6" : "5C3B2A19F0E8D7C6B5A4938271605F4E");
        return put(p, "\"}");
    case Args::Mojo:
        p = put(p, ",\"args\":{\"chrome_mojo_event_info\":{\"mojo_interface_tag\":\"");
        p = put(p, m_rng.pick(kMojoInterfaces));
        p = put(p, "\",\"ipc_hash\":");
        p = put_u64(p, 1'000'000 + m_rng.below(64) * 7919);
        return put(p, "}}");
    case Args::Gpu:
        p = put(p, ",\"args\":{\"route_id\":");
        p = put_u64(p, 1 + m_rng.below(8));
        p = put(p, ",\"sequence_number\":");
        p = put_u64(p, m_next_id++);
        return put(p, "}");
    case Args::Net:
        p = put(p, ",\"args\":{\"source_type\":\"URL_REQUEST\",\"source_id\":");
        p = put_u64(p, 1000 + m_rng.below(20000));
        return put(p, "}");
    }
    return p;
}

// One slice and its children, nested; returns its end. Complete events are written at their end,
// after their children; a B/E pair's B before them.
int64_t Generator::slice(uint32_t t, int depth, int64_t begin, int& budget) {
    Thread& th = m_threads[t];
    const bool top = depth == 0;
    const bool begin_end = !top && m_rng.chance(0.05);
    const auto [names, n_names] = vocabulary(th.flavor);
    const SliceName& name = top         ? (th.flavor == Flavor::Worker
                                               ? SliceName{"toplevel", "ThreadPool_RunTask", Args::Src}
                                               : SliceName{"toplevel", "ThreadControllerImpl::RunTask", Args::Src})
                            : begin_end ? m_rng.pick(kBeginEnd)
                                        : names[m_rng.below(n_names)];
    const bool with_args = m_rng.chance(0.5);
    const bool thread_time = m_rng.chance(0.25);
    --budget;
    if (begin_end) {
        char* p = head(th, begin, 'B', name.cat, name.name);
        if (thread_time) p = put_micros(put(p, ",\"tts\":"), cpu_at(th, m_task_begin, begin));
        if (with_args) p = args(p, name.args);
        done(put(p, "}"), 'B');
    }
    int64_t t_now = begin + m_rng.log_uniform(200, 5'000);
    if (top && !th.flows.empty() && th.flows.front().ts < begin) {
        // The task a flow posted: its end binds to this RunTask ("bp": "e").
        const PendingFlow f = th.flows.front();
        th.flows.pop_front();
        char* p = head(th, t_now, 'f', "toplevel.flow", f.name);
        p = put(p, ",\"id\":\"");
        p = put_hex(p, f.id);
        done(put(p, "\",\"bp\":\"e\"}"), 'f');
        t_now += m_rng.log_uniform(100, 2'000);
    }
    // Children: many tasks are leaves; others hold a few levels of work.
    const int max_children = depth >= 14 ? 0 : depth == 0 ? 6 : depth < 4 ? 4 : 2;
    int children = budget > 0 && max_children > 0
                       ? static_cast<int>(m_rng.below(static_cast<uint32_t>(max_children) + 1))
                       : 0;
    if (top && children == 0 && m_rng.chance(0.5)) children = 1;
    if (children == 0) t_now += m_rng.log_uniform(800, 400'000);
    for (int c = 0; c < children && budget > 0; ++c) {
        const uint32_t what = m_rng.below(100);
        if (what < 4) {
            const InstantName& in = m_rng.pick(kInstants);
            char* p = head(th, t_now, 'i', in.cat, in.name);
            done(put(put(p, in.scope == 'p' ? ",\"s\":\"p\"" : ",\"s\":\"t\""), "}"), 'i');
            --budget;
        } else if (what < 8 && !m_winding_down) {
            start_flow(t, t_now);
            --budget;
        } else if (what < 10 && !m_winding_down && m_processes[th.process].requests) {
            start_request(t, t_now);
            --budget;
        } else {
            t_now = slice(t, depth + 1, t_now, budget);
        }
        t_now += m_rng.log_uniform(100, 20'000);
    }
    const int64_t end = t_now + m_rng.log_uniform(200, 5'000);
    if (begin_end) {
        char* p = head(th, end, 'E', name.cat, name.name);
        if (thread_time) p = put_micros(put(p, ",\"tts\":"), cpu_at(th, m_task_begin, end));
        done(put(p, "}"), 'E');
    } else {
        char* p = head(th, begin, 'X', name.cat, name.name);
        p = put_micros(put(p, ",\"dur\":"), end - begin);
        if (thread_time) {
            const int64_t cpu = cpu_at(th, m_task_begin, begin);
            p = put_micros(put(p, ",\"tdur\":"), cpu_at(th, m_task_begin, end) - cpu);
            p = put_micros(put(p, ",\"tts\":"), cpu);
        }
        if (with_args) p = args(p, name.args);
        done(put(p, "}"), 'X');
    }
    return end;
}

// An s here, bound to the slice around it; its f goes to a later task of another thread.
void Generator::start_flow(uint32_t t, int64_t ts) {
    const Thread& th = m_threads[t];
    uint32_t to = t;
    if (m_rng.chance(0.7)) {
        const std::vector<uint32_t>& mates = m_processes[th.process].threads;
        to = mates[m_rng.below(static_cast<uint32_t>(mates.size()))];
    }
    if (to == t) to = m_rng.below(static_cast<uint32_t>(m_threads.size()));
    if (to == t) to = (t + 1) % static_cast<uint32_t>(m_threads.size());
    uint64_t seed = m_next_id++;
    const uint64_t id = splitmix64(seed);
    const char* name = m_rng.pick(kFlowNames);
    char* p = head(th, ts, 's', "toplevel.flow", name);
    p = put(p, ",\"id\":\"");
    p = put_hex(p, id);
    done(put(p, "\"}"), 's');
    // Posting a task wakes the thread it is posted to: it runs soon after its current task.
    Thread& target = m_threads[to];
    target.flows.push_back({ts, id, name});
    const int64_t wake = std::max(target.last_end, ts) + m_rng.log_uniform(2'000, 300'000);
    target.next_ns = std::min(target.next_ns, wake);
}

// The outer b here; its steps, each nested in it and some with a nested step of their own, begin
// and end on threads of the same process; the outer e too.
void Generator::start_request(uint32_t t, int64_t ts) {
    const Thread& th = m_threads[t];
    const Process& proc = m_processes[th.process];
    const RequestKind& kind = *proc.requests;
    uint64_t seed = m_next_id++ ^ (uint64_t{th.process} << 56);
    const uint64_t id = splitmix64(seed) >> 16;
    char* p = head(th, ts, 'b', kind.cat, kind.outer);
    p = put(p, ",\"id2\":{\"local\":\"");
    p = put_hex(p, id);
    p = put(p, "\"},\"args\":{\"url\":\"https://www.example.com/api/items/");
    p = put_u64(p, m_rng.below(100'000));
    done(put(p, "\"}}"), 'b');

    auto other_thread = [&] { return proc.threads[m_rng.below(static_cast<uint32_t>(proc.threads.size()))]; };
    auto later = [&](uint32_t on, int64_t at, char ph, const char* name) {
        m_threads[on].async.push({at, m_async_order++, id, kind.cat, name, ph});
    };
    int64_t at = ts + m_rng.log_uniform(300'000, 3'000'000);
    const uint32_t steps = 1 + m_rng.below(4);
    for (uint32_t s = 0; s < steps; ++s) {
        const char* step = kind.steps[m_rng.below(5)];
        const int64_t step_end = at + m_rng.log_uniform(20'000, 8'000'000);
        later(other_thread(), at, 'b', step);
        if (m_rng.chance(0.3)) {
            const char* inner = kind.steps[m_rng.below(5)];
            const int64_t inner_begin = at + (step_end - at) / 4;
            const int64_t inner_end = at + (step_end - at) / 2;
            later(other_thread(), inner_begin, 'b', inner);
            later(other_thread(), inner_end, 'e', inner);
        }
        later(other_thread(), step_end, 'e', step);
        at = step_end + m_rng.log_uniform(5'000, 2'000'000);
    }
    later(m_rng.chance(0.5) ? t : other_thread(), at, 'e', kind.outer);
}

void Generator::drain_async(Thread& th, int64_t before) {
    while (!th.async.empty() && th.async.top().ts < before) {
        const PendingAsync a = th.async.top();
        th.async.pop();
        char* p = head(th, a.ts, a.ph, a.cat, a.name);
        p = put(p, ",\"id2\":{\"local\":\"");
        p = put_hex(p, a.id);
        done(put(p, "\"}}"), a.ph);
    }
}

void Generator::run_task(uint32_t t) {
    Thread& th = m_threads[t];
    drain_async(th, th.next_ns);
    // Most tasks are small; a few (frames, script runs) hold hundreds of slices.
    const uint32_t size = m_rng.below(100);
    int budget = size < 55   ? 1 + static_cast<int>(m_rng.below(4))
                 : size < 90 ? 4 + static_cast<int>(m_rng.below(24))
                             : 30 + static_cast<int>(m_rng.below(250));
    m_task_begin = th.next_ns;
    const int64_t end = slice(t, 0, th.next_ns, budget);
    th.cpu_ns += (end - m_task_begin) * 7 / 8;
    th.last_end = end;
    th.next_ns =
        end + static_cast<int64_t>(static_cast<double>(m_rng.log_uniform(2'000, 6'000'000)) / th.busy);
}

void Generator::write_counter(Process& p) {
    const Thread& main = m_threads[p.threads.front()];
    char* o = head(main, p.next_counter_ns, 'C', p.counter.cat, p.counter.name);
    o = put(o, ",\"args\":{");
    for (int k = 0; k < 2 && p.counter.keys[k]; ++k) {
        p.counter_value[k] = std::max(0.0, p.counter_value[k] + (m_rng.unit() - 0.48) * 40'000);
        if (k) *o++ = ',';
        *o++ = '"';
        o = put(o, p.counter.keys[k]);
        o = put(o, "\":");
        o = put_u64(o, static_cast<uint64_t>(p.counter_value[k]));
    }
    done(put(o, "}}"), 'C');
    p.next_counter_ns += m_rng.log_uniform(2'000'000, 5'000'000);
}

void Generator::write_metadata() {
    auto meta = [&](const Process& p, uint64_t tid, const char* name, std::string_view arg_key,
                    const char* text, int64_t number) {
        char* o = begin_event();
        o = put(o, "{\"pid\":");
        o = put_u64(o, p.pid);
        o = put(o, ",\"tid\":");
        o = put_u64(o, tid);
        o = put(o, ",\"ts\":0,\"ph\":\"M\",\"cat\":\"__metadata\",\"name\":\"");
        o = put(o, name);
        o = put(o, "\",\"args\":{\"");
        o = put(o, arg_key);
        o = put(o, "\":");
        if (text) {
            *o++ = '"';
            o = put(o, text);
            *o++ = '"';
        } else {
            if (number < 0) *o++ = '-';
            o = put_u64(o, static_cast<uint64_t>(number < 0 ? -number : number));
        }
        done(put(o, "}}"), 'M');
    };
    for (size_t i = 0; i < m_processes.size(); ++i) {
        const Process& p = m_processes[i];
        meta(p, 0, "process_name", "name", p.name, 0);
        meta(p, 0, "process_sort_index", "sort_index", nullptr, static_cast<int64_t>(i));
        for (size_t k = 0; k < p.threads.size(); ++k) {
            const Thread& th = m_threads[p.threads[k]];
            meta(p, th.tid, "thread_name", "name", th.name, 0);
            if (k == 0) meta(p, th.tid, "thread_sort_index", "sort_index", nullptr, -1);
        }
    }
}

void Generator::run(uint64_t target_bytes) {
    m_out.text("{\"traceEvents\":[\n");
    write_metadata();
    // Sources in time order: each thread's next task, each process's next counter sample. A task
    // is written whole, as a tracer's per-thread buffer chunk would be.
    auto step = [&](bool counters) {
        uint32_t best = 0;
        int64_t best_ns = INT64_MAX;
        bool is_counter = false;
        for (uint32_t t = 0; t < m_threads.size(); ++t)
            if (m_threads[t].next_ns < best_ns) best = t, best_ns = m_threads[t].next_ns;
        for (uint32_t i = 0; counters && i < m_processes.size(); ++i)
            if (m_processes[i].next_counter_ns < best_ns)
                best = i, best_ns = m_processes[i].next_counter_ns, is_counter = true;
        if (is_counter)
            write_counter(m_processes[best]);
        else
            run_task(best);
    };
    while (m_out.bytes() < target_bytes)
        step(true);
    // Wind down: no new flows or requests; tasks run until every posted flow has arrived.
    m_winding_down = true;
    for (int rounds = 0; rounds < 100'000; ++rounds) {
        bool pending = false;
        for (const Thread& th : m_threads)
            pending = pending || !th.flows.empty();
        if (!pending) break;
        step(false);
    }
    for (Thread& th : m_threads)
        drain_async(th, INT64_MAX);
    m_out.text(
        "\n],\n\"metadata\":{\"clock-domain\":\"LINUX_CLOCK_MONOTONIC\",\"cpu-brand\":\"AMD EPYC\","
        "\"highres-ticks\":true,\"network-type\":\"Ethernet\",\"num-cpus\":8,\"os-arch\":\"x86_64\","
        "\"os-name\":\"Linux\",\"product-version\":\"Chrome/120.0.6099.129\",\"trace-capture-datetime\":"
        "\"2026-12-01 10:00:00\",\"user-agent\":\"Mozilla/5.0 (X11; Linux x86_64) "
        "Chrome/120.0.6099.129\"}}\n");
}

} // namespace

namespace {

bool parse_bytes(const char* text, uint64_t& bytes) {
    char* end = nullptr;
    const double v = std::strtod(text, &end);
    double scale = 1;
    if (*end == 'k' || *end == 'K')
        scale = 1e3, ++end;
    else if (*end == 'M')
        scale = 1e6, ++end;
    else if (*end == 'G')
        scale = 1e9, ++end;
    if (end == text || *end != '\0' || !(v > 0)) return false;
    bytes = static_cast<uint64_t>(v * scale);
    return true;
}

int usage() {
    std::fprintf(stderr, "usage: gen_chrome_trace --bytes N[k|M|G] [--seed S] [--gzip] -o out.json\n");
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    uint64_t bytes = 0, seed = 1;
    bool gzip = false;
    const char* path = nullptr;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--bytes" && i + 1 < argc) {
            if (!parse_bytes(argv[++i], bytes)) return usage();
        } else if (arg == "--seed" && i + 1 < argc) {
            seed = std::strtoull(argv[++i], nullptr, 10);
        } else if (arg == "--gzip") {
            gzip = true;
        } else if (arg == "-o" && i + 1 < argc) {
            path = argv[++i];
        } else {
            return usage();
        }
    }
    if (!path || bytes == 0) return usage();
    const auto start = std::chrono::steady_clock::now();
    TextOutput out;
    if (!out.open(path, gzip)) {
        std::fprintf(stderr, "gen_chrome_trace: cannot write %s\n", path);
        return 1;
    }
    Generator generator(seed, out);
    generator.run(bytes);
    const uint64_t written = out.bytes();
    if (!out.close()) {
        std::fprintf(stderr, "gen_chrome_trace: writing %s failed\n", path);
        return 1;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const Counts& c = generator.counts();
    std::fprintf(stderr, "%s: %llu bytes of JSON, %llu events in %.2f s (%.0f MB/s)\n", path,
                 static_cast<unsigned long long>(written), static_cast<unsigned long long>(c.total()),
                 seconds, static_cast<double>(written) / seconds / 1e6);
    std::fprintf(stderr, "  by phase:");
    for (int ph = 0; ph < 128; ++ph)
        if (c.by_phase[ph])
            std::fprintf(stderr, " %c %llu", static_cast<char>(ph),
                         static_cast<unsigned long long>(c.by_phase[ph]));
    std::fprintf(stderr, "\n");
    return 0;
}

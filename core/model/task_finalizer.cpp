// Finishing passes for processes, threads order and tasks: canonical order (so the Model does not
// depend on how streams were interleaved), the task tree, awaits and per-task time accounting.
// Sums of durations add with TickClock::saturating_add: a damaged or hostile file can make them
// overflow.

#include "model/builder_state.h"
#include "model/radix_sort.h"

#include <algorithm>
#include <charconv>
#include <numeric>

namespace weft::detail {

namespace {

// -1, 0 or 1 as `a` sorts before, with or after `b`, runs of digits compared by their value
// ("worker-2" before "worker-10").
int natural_compare(std::string_view a, std::string_view b) {
    size_t i = 0, j = 0;
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    while (i < a.size() && j < b.size()) {
        if (digit(a[i]) && digit(b[j])) {
            size_t ie = i, je = j;
            while (ie < a.size() && a[ie] == '0') ++ie; // leading zeros do not count
            while (je < b.size() && b[je] == '0') ++je;
            size_t ae = ie, be = je;
            while (ae < a.size() && digit(a[ae])) ++ae;
            while (be < b.size() && digit(b[be])) ++be;
            if (ae - ie != be - je) return ae - ie < be - je ? -1 : 1;
            if (const int c = a.substr(ie, ae - ie).compare(b.substr(je, be - je))) return c < 0 ? -1 : 1;
            i = ae;
            j = be;
            continue;
        }
        if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]) ? -1 : 1;
        ++i;
        ++j;
    }
    if (i < a.size()) return 1;
    if (j < b.size()) return -1;
    return 0;
}

// A process's or thread's "sort_index" property (a trace's own lane order: Chrome's sort index
// metadata); 0 when absent or not an integer, so listed lanes sort around unlisted ones.
int64_t sort_index(const std::map<std::string, std::string>& properties) {
    const auto it = properties.find("sort_index");
    if (it == properties.end()) return 0;
    int64_t value = 0;
    const char* first = it->second.data();
    const char* last = first + it->second.size();
    const auto [end, error] = std::from_chars(first, last, value);
    return error == std::errc() && end == last ? value : 0;
}

} // namespace

void order_processes_and_threads(BuilderState& st, Canonical& c) {
    Model& m = st.model;
    std::vector<uint32_t> order(st.processes.size());
    std::iota(order.begin(), order.end(), 0u);
    std::vector<int64_t> process_rank(st.processes.size());
    for (size_t k = 0; k < st.processes.size(); ++k) process_rank[k] = sort_index(st.processes[k].properties);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        const auto& pa = st.processes[a];
        const auto& pb = st.processes[b];
        if (process_rank[a] != process_rank[b]) return process_rank[a] < process_rank[b];
        if (pa.start_time_ns != pb.start_time_ns) return pa.start_time_ns < pb.start_time_ns;
        return pa.process_id < pb.process_id;
    });
    c.process_new.assign(order.size(), kNone);
    m.processes.reserve(order.size());
    for (uint32_t old : order) {
        c.process_new[old] = static_cast<uint32_t>(m.processes.size());
        const format::ProcessInfo& info = st.processes[old];
        Process p;
        p.process_id = info.process_id;
        p.exe = info.exe;
        p.hostname = info.hostname;
        p.pid = info.pid;
        p.start_time_ns = info.start_time_ns;
        p.tick_frequency = info.tick_frequency;
        p.properties = info.properties;
        m.processes.push_back(std::move(p));
    }

    // Threads by process, then by sort index (a trace's own order), then event loops first, then by
    // name (digits compared as numbers: worker-2 before worker-10), then by their first event,
    // then by stream id.
    std::vector<uint32_t> streams(st.streams.size());
    std::iota(streams.begin(), streams.end(), 0u);
    std::vector<int64_t> thread_rank(st.streams.size());
    for (size_t k = 0; k < st.streams.size(); ++k) thread_rank[k] = sort_index(st.streams[k].info.properties);
    std::vector<char> is_loop(st.streams.size());
    for (size_t k = 0; k < st.streams.size(); ++k) {
        const auto& tags = st.streams[k].info.tags;
        is_loop[k] = std::find(tags.begin(), tags.end(), "event-loop") != tags.end();
    }
        auto first_event = [&](uint32_t s) {
        return st.streams[s].has_events ? st.streams[s].min_time : std::numeric_limits<Time>::max();
    };
    std::sort(streams.begin(), streams.end(), [&](uint32_t a, uint32_t b) {
        const uint32_t pa = c.process_new[st.streams[a].process];
        const uint32_t pb = c.process_new[st.streams[b].process];
        if (pa != pb) return pa < pb;
        if (thread_rank[a] != thread_rank[b]) return thread_rank[a] < thread_rank[b];
        if (is_loop[a] != is_loop[b]) return is_loop[a] != 0;
        if (const int by_name = natural_compare(st.streams[a].info.thread_name, st.streams[b].info.thread_name))
            return by_name < 0;
        if (first_event(a) != first_event(b)) return first_event(a) < first_event(b);
        return st.streams[a].info.stream_id < st.streams[b].info.stream_id;
    });
    c.stream_new.assign(st.streams.size(), kNone);
    c.stream_of = streams;
    m.threads.reserve(streams.size());
    for (uint32_t s : streams) {
        const StreamState& ss = st.streams[s];
        const auto index = static_cast<uint32_t>(m.threads.size());
        c.stream_new[s] = index;
        Thread t;
        t.stream_id = ss.info.stream_id;
        t.process = ProcessIndex{c.process_new[ss.process]};
        t.name = ss.info.thread_name;
        t.os_thread_id = ss.info.thread_id;
        t.tags = ss.info.tags;
        t.event_loop = std::find(t.tags.begin(), t.tags.end(), "event-loop") != t.tags.end();
        t.events = ss.events;
        t.dropped_events = ss.dropped;
        m.processes[t.process.value].threads.push_back(ThreadIndex{index});
        m.threads.push_back(std::move(t));
    }
}

std::vector<uint16_t> forest_depths(std::vector<uint32_t>& parent) {
    constexpr uint16_t kUnknown = 0xFFFF;
    constexpr uint16_t kVisiting = 0xFFFE;
    constexpr uint16_t kMaxDepth = 0xFFFD;
    const size_t n = parent.size();
    std::vector<uint16_t> depth = filled_vector<uint16_t>(n, kUnknown);
    std::vector<uint32_t> chain;
    for (size_t i = 0; i < n; ++i) {
        if (depth[i] != kUnknown) continue;
        // Nodes come in creation order, so a parent nearly always comes before its child, and its
        // depth is known by now: no cycle can pass through an edge to an earlier node alone.
        if (const uint32_t p = parent[i]; p < i) {
            depth[i] = depth[p] >= kMaxDepth ? kMaxDepth : static_cast<uint16_t>(depth[p] + 1);
            continue;
        }
        // Walk up until a node of known depth or a root, then assign on the way back down.
        chain.clear();
        auto node = static_cast<uint32_t>(i);
        uint16_t base = 0;
        bool have_base = false;
        while (true) {
            if (depth[node] == kVisiting) {
                // A cycle closes at `node`: the most recently pushed node becomes a root.
                const uint32_t breaker = chain.back();
                parent[breaker] = kNone;
                chain.pop_back();
                depth[breaker] = 0;
                base = 0;
                have_base = true;
                break;
            }
            if (depth[node] != kUnknown) {
                base = depth[node];
                have_base = true;
                break;
            }
            depth[node] = kVisiting;
            chain.push_back(node);
            if (parent[node] == kNone || parent[node] >= n) {
                parent[node] = kNone;
                break;
            }
            node = parent[node];
        }
        // chain.back() is either a root (no base) or the child of a node at depth `base`.
        for (size_t k = chain.size(); k-- > 0;) {
            const uint32_t v = chain[k];
            if (k + 1 == chain.size() && !have_base) {
                depth[v] = 0;
            } else {
                const uint16_t up = k + 1 == chain.size() ? base : depth[chain[k + 1]];
                depth[v] = up >= kMaxDepth ? kMaxDepth : static_cast<uint16_t>(up + 1);
            }
        }
    }
    return depth;
}

void build_tasks(BuilderState& st, Canonical& c) {
    Model& m = st.model;
    const size_t n = st.tasks.size();
    // Placeholders (created_seen false) already hold their first mention as their creation time.
    // Canonical order: by creation time, then process, then id. (process, id) is unique, so the
    // order is total. Builder order is nearly that already, and sorting flat keys rather than
    // indices into the records keeps the comparisons in cache.
    struct Key {
        Time created;
        uint32_t process;
        uint32_t index;
        uint64_t id;
    };
    PodBuffer<Key> keys;
    keys.resize_for_overwrite(n);
    for (size_t i = 0; i < n; ++i) {
        const TaskRecord& r = st.tasks[i];
        keys[i] = Key{r.created, c.process_new[r.process], static_cast<uint32_t>(i), r.task_id};
    }
    auto less = [](const Key& a, const Key& b) {
        if (a.created != b.created) return a.created < b.created;
        if (a.process != b.process) return a.process < b.process;
        return a.id < b.id;
    };
    sort_by_keys(keys, less, [](const Key& k) { return ordered_bits(k.created); });
    c.task_new = filled_vector<uint32_t>(n, kNone);
    c.task_old = filled_vector<uint32_t>(n, 0);
    for (size_t k = 0; k < n; ++k) {
        c.task_new[keys[k].index] = static_cast<uint32_t>(k);
        c.task_old[k] = keys[k].index;
    }
    keys.release();
    const std::vector<uint32_t>& order = c.task_old;

    // One pass over the records, in canonical order: they are large and mostly out of cache.
    reserve_exact(m.tasks, n);
    std::vector<uint32_t> parent = filled_vector<uint32_t>(n, kNone);
    uint64_t unknown_refs = 0;
    for (size_t k = 0; k < n; ++k) {
        const uint32_t old = order[k];
        if (k + kPrefetchAhead < n) prefetch(&st.tasks[order[k + kPrefetchAhead]]);
        const TaskRecord& r = st.tasks[old];
        Task t;
        t.task_id = r.task_id;
        t.name = r.name;
        t.coro_name = r.coro_name;
        t.spawn_location = r.spawn_location;
        t.error_message = r.error_message;
        t.created = r.created;
        t.completed = r.completed;
        t.state = r.state;
        t.created_seen = r.created_seen;
        t.process = ProcessIndex{c.process_new[r.process]};
        if (!t.created_seen) unknown_refs += r.refs;
        if (t.created_seen && r.parent_id != 0) {
            const uint32_t p = st.task_ids.find(r.process, r.parent_id);
            if (p != IdTable::kNone && p != old) parent[k] = c.task_new[p];
        }
        m.tasks.push_back(t);
    }
    m.diagnostics.events_for_unknown_tasks += unknown_refs;

    c.depth = forest_depths(parent);

    // Children grouped by parent, each group in creation order (tasks are already in that order).
    // The tasks themselves get their parent, depth and children, and the processes their roots, in
    // build_awaits_and_times.
    c.child_first = filled_vector<uint32_t>(n + 1, 0);
    std::vector<uint32_t>& first = c.child_first;
    for (size_t k = 0; k < n; ++k)
        if (parent[k] != kNone) ++first[parent[k] + 1];
    for (size_t k = 0; k < n; ++k) first[k + 1] += first[k];
    reserve_exact(m.task_children, first[n]);
    m.task_children.resize(first[n]);
    std::vector<uint32_t> fill = copied_vector(first.begin(), first.end() - 1);
    for (size_t k = 0; k < n; ++k)
        if (parent[k] != kNone) m.task_children[fill[parent[k]]++] = TaskIndex{static_cast<uint32_t>(k)};
    c.parent = std::move(parent);
}

namespace {

// Pairs one task's await events (sorted by time, ends before begins at equal times) into awaits.
void pair_awaits(std::span<const RawAwait> events, uint32_t task, Time trace_end, Model& m, Time& awaiting) {
    Diagnostics& diag = m.diagnostics;
    bool open = false;
    AwaitPoint current;
    auto emit = [&](Time end, bool unfinished) {
        current.end = std::max(end, current.begin);
        current.unfinished = unfinished;
        awaiting = TickClock::saturating_add(awaiting, current.end - current.begin);
        m.awaits.push_back(current);
        open = false;
    };
    for (size_t k = 0; k < events.size(); ++k) {
        const RawAwait& e = events[k];
        if (e.is_begin) {
            if (open) {
                // A task suspends once at a time: a second begin means the first one's end was lost.
                ++diag.unfinished_awaits;
                emit(e.time, true);
            }
            current = AwaitPoint{};
            current.begin = e.time;
            current.task = TaskIndex{task};
            current.awaitable = e.awaitable;
            current.location = e.location;
            open = true;
        } else if (open) {
            emit(e.time, false);
        } else if (k + 1 < events.size() && events[k + 1].is_begin && events[k + 1].time == e.time) {
            // An instantaneous await whose end sorted before its begin.
            const RawAwait& b = events[++k];
            current = AwaitPoint{};
            current.begin = b.time;
            current.task = TaskIndex{task};
            current.awaitable = b.awaitable;
            current.location = b.location;
            emit(e.time, false);
        } else {
            ++diag.orphan_await_ends;
        }
    }
    if (open) {
        ++diag.unfinished_awaits;
        emit(trace_end, true);
    }
}

// Ready-but-not-running time: from creation to the first slice, and from the end of each slice (or
// of the await that was open when it ended) to the next slice; a trailing ready period counts until
// completion or the end of the trace.
Time scheduled_time(const Task& t, const Model& m, Time trace_end) {
    Time ready_from = t.created_seen ? t.created : kNoTime;
    Time total = 0;
    const auto slices = m.slices_of(t);
    const auto awaits = m.awaits_of(t);
    size_t a = 0;
    for (uint32_t s : slices) {
        const Time b = m.runs.begin[s];
        const Time e = m.runs.end[s];
        if (ready_from != kNoTime && b > ready_from) total = TickClock::saturating_add(total, b - ready_from);
        bool any = false;
        size_t last = 0;
        while (a < awaits.size() && awaits[a].begin <= e) {
            last = a++;
            any = true;
        }
        if (any && (awaits[last].end > e || awaits[last].unfinished))
            ready_from = awaits[last].unfinished ? kNoTime : awaits[last].end;
        else
            ready_from = e;
    }
    if (ready_from != kNoTime) {
        const Time limit = t.end_or(trace_end);
        if (limit > ready_from) total = TickClock::saturating_add(total, limit - ready_from);
    }
    return total;
}

// A task's slices (task_slices[r], in run order, thread by thread) and what follows from them:
// polls, busy time, the threads it ran on, its first run; then the slices go into begin order.
// `thread_end` holds where each thread's runs end, in thread order.
void finish_slices(Task& task, Range r, Model& m, std::span<const uint32_t> thread_end) {
    task.slices = r;
    task.polls = r.count;
    if (r.empty()) return;
    const auto slices = std::span(m.task_slices).subspan(r.first, r.count);
    Time busy = 0;
    uint32_t threads = 0;
    uint32_t until = 0; // end of the runs of the thread the last slice ran on
    for (uint32_t s : slices) {
        busy = TickClock::saturating_add(busy, m.runs.end[s] - m.runs.begin[s]);
        if (s >= until) {
            ++threads;
            until = *std::upper_bound(thread_end.begin(), thread_end.end(), s);
        }
    }
    task.busy = busy;
    task.thread_count = static_cast<uint16_t>(std::min<uint32_t>(threads, 0xFFFF));
    if (task.thread_count > 1)
        std::sort(slices.begin(), slices.end(), [&](uint32_t a, uint32_t b) {
            return m.runs.begin[a] != m.runs.begin[b] ? m.runs.begin[a] < m.runs.begin[b] : a < b;
        });
    task.first_run = m.runs.begin[slices.front()];
}

} // namespace

void build_awaits_and_times(BuilderState& st, Canonical& c) {
    Model& m = st.model;
    const size_t n = m.tasks.size();
    std::vector<uint32_t> thread_end(m.threads.size());
    for (size_t ti = 0; ti < m.threads.size(); ++ti) thread_end[ti] = m.threads[ti].run_slices.end();
    // A process that recorded no run slice at all (an imported trace) says nothing of when its
    // tasks were ready to run: none of their time counts as scheduled, it is unknown (idle).
    std::vector<bool> knows_runs(m.processes.size(), false);
    for (const Thread& th : m.threads)
        if (!th.run_slices.empty() && th.process.value < knows_runs.size()) knows_runs[th.process.value] = true;

    // Group await events by (canonical) task with a counting sort, then order each group by time.
    std::vector<uint32_t> first = filled_vector<uint32_t>(n + 1, 0);
    for (RawAwait& a : st.awaits) {
        a.task = c.task_new[a.task];
        ++first[a.task + 1];
    }
    for (size_t k = 0; k < n; ++k) first[k + 1] += first[k];
    // The groups hold indices rather than copies: the events themselves are read once, from where
    // ingestion put them, and no second array of them is ever written.
    PodBuffer<uint32_t> grouped;
    grouped.resize_for_overwrite(st.awaits.size());
    size_t begins = 0;
    {
        std::vector<uint32_t> fill = copied_vector(first.begin(), first.end() - 1);
        for (size_t i = 0; i < st.awaits.size(); ++i) {
            grouped[fill[st.awaits[i].task]++] = static_cast<uint32_t>(i);
            begins += st.awaits[i].is_begin;
        }
    }

    // Every await point comes from one begin, so this is the exact size.
    reserve_exact(m.awaits, begins);
    auto by_time = [](const RawAwait& x, const RawAwait& y) {
        return x.time != y.time ? x.time < y.time : x.is_begin < y.is_begin;
    };
    std::vector<RawAwait> group;
    const size_t total = st.awaits.size();
    for (size_t k = 0; k < n; ++k) {
        group.clear();
        for (uint32_t i = first[k]; i < first[k + 1]; ++i) {
            if (i + kPrefetchAhead < total) prefetch(&st.awaits[grouped[i + kPrefetchAhead]]);
            group.push_back(st.awaits[grouped[i]]);
        }
        // The slices this loop reads a few tasks from now.
        if (k + 4 < n) {
            const uint32_t ahead = c.slice_first[k + 4], ahead_end = c.slice_first[k + 5];
            for (uint32_t i = ahead; i < ahead_end && i < ahead + 4; ++i) {
                prefetch(&m.runs.begin[m.task_slices[i]]);
                prefetch(&m.runs.end[m.task_slices[i]]);
            }
        }
        if (!std::is_sorted(group.begin(), group.end(), by_time)) std::sort(group.begin(), group.end(), by_time);
        Task& t = m.tasks[k];
        if (c.parent[k] != kNone) {
            t.parent = TaskIndex{c.parent[k]};
        } else {
            t.parent = TaskIndex{};
            if (t.process.value < m.processes.size())
                m.processes[t.process.value].root_tasks.push_back(TaskIndex{static_cast<uint32_t>(k)});
        }
        t.depth = c.depth[k];
        t.children = Range{c.child_first[k], c.child_first[k + 1] - c.child_first[k]};
        t.spans = Range{c.span_first[k], c.span_first[k + 1] - c.span_first[k]};
        if (t.completed == kNoTime) ++m.diagnostics.unfinished_tasks;
        finish_slices(t, Range{c.slice_first[k], c.slice_first[k + 1] - c.slice_first[k]}, m, thread_end);
        t.awaits.first = static_cast<uint32_t>(m.awaits.size());
        Time awaiting = 0;
        pair_awaits(group, static_cast<uint32_t>(k), c.trace_end, m, awaiting);
        t.awaits.count = static_cast<uint32_t>(m.awaits.size()) - t.awaits.first;
        t.awaiting = awaiting;
        // This task's slices and awaits were just made.
        t.scheduled = t.process.value < knows_runs.size() && knows_runs[t.process.value]
                          ? scheduled_time(t, m, c.trace_end)
                          : 0;
        const Time lifetime = t.end_or(c.trace_end) - t.created;
        const Time unbusy = TickClock::saturating_add(lifetime, -t.busy);
        t.idle = std::max<Time>(0, TickClock::saturating_add(unbusy, -t.scheduled));
    }
    st.awaits.release();
}

} // namespace weft::detail

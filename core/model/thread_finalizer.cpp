// Finishing pass for per-thread lanes: run slices, thread spans by depth, blocking and lag, then
// each task's slices. Lanes come out sorted by begin and non-overlapping even when a damaged clock
// went backwards, because every lane query (model/lane.h) relies on it.

#include "model/builder_state.h"

#include <algorithm>
#include <numeric>

namespace weft::detail {

namespace {

// Sorts a thread's run slices by begin (they usually are) and clips overlaps so the lane is flat.
void order_runs(StreamState& s) {
    const size_t n = s.run_begin.size();
    if (!std::is_sorted(s.run_begin.begin(), s.run_begin.end())) {
        std::vector<uint32_t> perm = filled_vector<uint32_t>(n, 0);
        std::iota(perm.begin(), perm.end(), 0u);
        std::stable_sort(perm.begin(), perm.end(), [&](uint32_t a, uint32_t b) { return s.run_begin[a] < s.run_begin[b]; });
        PodBuffer<Time> b, e;
        PodBuffer<uint32_t> t;
        b.reserve(n);
        e.reserve(n);
        t.reserve(n);
        for (size_t i = 0; i < n; ++i) {
            b.push_back(s.run_begin[perm[i]]);
            e.push_back(s.run_end[perm[i]]);
            t.push_back(s.run_task[perm[i]]);
        }
        s.run_begin = std::move(b);
        s.run_end = std::move(e);
        s.run_task = std::move(t);
    }
    for (size_t i = 0; i < n; ++i) {
        if (i > 0 && s.run_begin[i] < s.run_end[i - 1]) s.run_begin[i] = s.run_end[i - 1];
        if (s.run_end[i] < s.run_begin[i]) s.run_end[i] = s.run_begin[i];
    }
}

void flatten_lane(std::span<ThreadSpan> lane) {
    auto by_begin = [](const ThreadSpan& a, const ThreadSpan& b) { return a.begin < b.begin; };
    if (!std::is_sorted(lane.begin(), lane.end(), by_begin)) std::stable_sort(lane.begin(), lane.end(), by_begin);
    for (size_t i = 0; i < lane.size(); ++i) {
        if (i > 0 && lane[i].begin < lane[i - 1].end) lane[i].begin = lane[i - 1].end;
        if (lane[i].end < lane[i].begin) lane[i].end = lane[i].begin;
    }
}

void build_thread_spans(StreamState& s, Thread& thread, Model& m, Time trace_end) {
    // Scopes still open at the end of the trace end there, innermost last.
    for (size_t d = 0; d < s.span_stack.size(); ++d) {
        ThreadSpan span;
        span.begin = s.span_stack[d].begin;
        span.end = std::max(trace_end, span.begin);
        span.location = s.span_stack[d].location;
        span.name = s.span_stack[d].name;
        span.depth = static_cast<uint16_t>(d);
        span.unfinished = true;
        s.spans.push_back(span);
        ++m.diagnostics.unfinished_thread_spans;
    }
    if (s.spans.empty()) return;
    size_t depths = 0;
    for (const ThreadSpan& span : s.spans) depths = std::max<size_t>(depths, span.depth + 1u);
    std::vector<uint32_t> first(depths + 1, 0);
    for (const ThreadSpan& span : s.spans) ++first[span.depth + 1u];
    for (size_t d = 0; d < depths; ++d) first[d + 1] += first[d];
    const auto base = static_cast<uint32_t>(m.thread_spans.size());
    prepare_next(m.thread_spans, s.spans.size());
    m.thread_spans.resize(base + s.spans.size()); // reserved exactly by build_threads
    std::vector<uint32_t> fill = copied_vector(first.begin(), first.end() - 1);
    // Spans of one depth end in begin order, so a stable placement keeps each depth nearly sorted.
    for (const ThreadSpan& span : s.spans) m.thread_spans[base + fill[span.depth]++] = span;
    thread.span_depths.resize(depths);
    for (size_t d = 0; d < depths; ++d) {
        thread.span_depths[d] = Range{base + first[d], first[d + 1] - first[d]};
        flatten_lane(std::span(m.thread_spans).subspan(base + first[d], first[d + 1] - first[d]));
    }
}

} // namespace

void build_threads(BuilderState& st, Canonical& c) {
    Model& m = st.model;
    size_t runs = 0, blocking = 0, frames = 0, lag = 0, spans = 0;
    for (StreamState& s : st.streams) {
        if (s.open_task != kNone) {
            ++m.diagnostics.unfinished_runs;
            s.run_begin.push_back(s.open_begin);
            s.run_end.push_back(std::max(c.trace_end, s.open_begin));
            s.run_task.push_back(s.open_task);
            s.open_task = kNone;
        }
        runs += s.run_begin.size();
        blocking += s.blocking.size();
        frames += s.frames.size();
        lag += s.lag.size();
        spans += s.spans.size() + s.span_stack.size();
    }
    // The lanes are filled thread by thread, each thread's buffers freed once copied: preparing
    // each part of the arrays only when its thread comes keeps the peak of resident memory to the
    // arrays so far plus one thread's buffers.
    reserve_in_parts(m.runs.begin, runs);
    reserve_in_parts(m.runs.end, runs);
    reserve_in_parts(m.runs.task, runs);
    reserve_in_parts(m.thread_spans, spans);
    reserve_exact(m.blocking, blocking);
    reserve_exact(m.frames, frames);
    reserve_exact(m.lag, lag);
    c.frame_base.assign(c.stream_of.size(), 0);

    for (uint32_t ti = 0; ti < c.stream_of.size(); ++ti) {
        StreamState& s = st.streams[c.stream_of[ti]];
        Thread& thread = m.threads[ti];

        order_runs(s);
        prepare_next(m.runs.begin, s.run_begin.size());
        prepare_next(m.runs.end, s.run_begin.size());
        prepare_next(m.runs.task, s.run_begin.size());
        thread.run_slices.first = static_cast<uint32_t>(m.runs.size());
        m.runs.begin.insert(m.runs.begin.end(), s.run_begin.begin(), s.run_begin.end());
        m.runs.end.insert(m.runs.end.end(), s.run_end.begin(), s.run_end.end());
        for (uint32_t task : s.run_task) m.runs.task.push_back(TaskIndex{c.task_new[task]});
        thread.run_slices.count = static_cast<uint32_t>(s.run_begin.size());
        s.run_begin.release();
        s.run_end.release();
        s.run_task.release();

        build_thread_spans(s, thread, m, c.trace_end);
        s.spans.release();

        std::stable_sort(s.blocking.begin(), s.blocking.end(),
                         [](const BlockingEvent& a, const BlockingEvent& b) { return a.begin < b.begin; });
        thread.blocking.first = static_cast<uint32_t>(m.blocking.size());
        // The stream's frames, of its blocking events and of its samples (build_instants_and_samples).
        const auto frame_base = static_cast<uint32_t>(m.frames.size());
        c.frame_base[ti] = frame_base;
        m.frames.insert(m.frames.end(), s.frames.begin(), s.frames.end());
        for (BlockingEvent b : s.blocking) {
            b.thread = ThreadIndex{ti};
            if (b.task.valid()) b.task = TaskIndex{c.task_new[b.task.value]};
            b.frames.first += frame_base;
            m.blocking.push_back(b);
        }
        thread.blocking.count = static_cast<uint32_t>(s.blocking.size());
        std::vector<BlockingEvent>().swap(s.blocking);
        std::vector<LocationId>().swap(s.frames);

        std::stable_sort(s.lag.begin(), s.lag.end(), [](const LagSample& a, const LagSample& b) { return a.time < b.time; });
        thread.lag.first = static_cast<uint32_t>(m.lag.size());
        for (LagSample l : s.lag) {
            l.thread = ThreadIndex{ti};
            m.lag.push_back(l);
        }
        thread.lag.count = static_cast<uint32_t>(s.lag.size());
        std::vector<LagSample>().swap(s.lag);
    }

    // Each task's slices: a counting sort by task over the thread-ordered runs, so each task's
    // slices come out in run order, thread by thread. Per-task totals are left to
    // build_awaits_and_times(), which visits every task once anyway and reads these slices there.
    const size_t n = m.tasks.size();
    c.slice_first = filled_vector<uint32_t>(n + 1, 0);
    std::vector<uint32_t>& first = c.slice_first;
    for (TaskIndex t : m.runs.task) ++first[t.value + 1];
    for (size_t k = 0; k < n; ++k) first[k + 1] += first[k];
    reserve_exact(m.task_slices, m.runs.size());
    m.task_slices.resize(m.runs.size());
    std::vector<uint32_t> fill = copied_vector(first.begin(), first.end() - 1);
    for (uint32_t i = 0; i < m.runs.size(); ++i) {
        if (i + kPrefetchAhead < m.runs.size()) prefetch(&fill[m.runs.task[i + kPrefetchAhead].value]);
        m.task_slices[fill[m.runs.task[i].value]++] = i;
    }
}

} // namespace weft::detail

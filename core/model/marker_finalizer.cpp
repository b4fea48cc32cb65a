// Finishing passes for what imported traces add to threads and processes: instants, sampled
// stacks and counters. Each comes out sorted by time within its owner, as lane queries need.

#include "model/builder_state.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace weft::detail {

namespace {

bool by_time(const Instant& a, const Instant& b) { return a.time < b.time; }

} // namespace

void build_instants_and_samples(BuilderState& st, Canonical& c) {
    Model& m = st.model;
    std::vector<Instant> process_scoped, global;
    size_t instants = 0, samples = 0;
    for (const StreamState& s : st.streams) {
        instants += s.instants.size();
        samples += s.samples.size();
    }
    if (instants == 0 && samples == 0) return;
    reserve_exact(m.instants, instants);
    reserve_exact(m.samples, samples);

    for (uint32_t ti = 0; ti < c.stream_of.size(); ++ti) {
        StreamState& s = st.streams[c.stream_of[ti]];
        Thread& thread = m.threads[ti];
        std::stable_sort(s.instants.begin(), s.instants.end(), by_time);
        thread.instants.first = static_cast<uint32_t>(m.instants.size());
        for (Instant i : s.instants) {
            i.thread = ThreadIndex{ti};
            if (i.scope == InstantScope::Thread)
                m.instants.push_back(i);
            else
                (i.scope == InstantScope::Process ? process_scoped : global).push_back(i);
        }
        thread.instants.count = static_cast<uint32_t>(m.instants.size()) - thread.instants.first;
        std::vector<Instant>().swap(s.instants);

        std::stable_sort(s.samples.begin(), s.samples.end(),
                         [](const Sample& a, const Sample& b) { return a.time < b.time; });
        thread.samples.first = static_cast<uint32_t>(m.samples.size());
        for (Sample x : s.samples) {
            x.thread = ThreadIndex{ti};
            x.frames.first += c.frame_base[ti]; // build_threads moved the stream's frames there
            m.samples.push_back(x);
        }
        thread.samples.count = static_cast<uint32_t>(s.samples.size());
        std::vector<Sample>().swap(s.samples);
    }

    // Process-scoped instants by process (threads are in process order already), then global ones.
    std::stable_sort(process_scoped.begin(), process_scoped.end(), [&](const Instant& a, const Instant& b) {
        const uint32_t pa = m.threads[a.thread.value].process.value;
        const uint32_t pb = m.threads[b.thread.value].process.value;
        return pa != pb ? pa < pb : a.time < b.time;
    });
    for (size_t k = 0; k < process_scoped.size();) {
        const ProcessIndex p = m.threads[process_scoped[k].thread.value].process;
        Process& process = m.processes[p.value];
        process.instants.first = static_cast<uint32_t>(m.instants.size());
        for (; k < process_scoped.size() && m.threads[process_scoped[k].thread.value].process == p; ++k)
            m.instants.push_back(process_scoped[k]);
        process.instants.count = static_cast<uint32_t>(m.instants.size()) - process.instants.first;
    }
    std::stable_sort(global.begin(), global.end(), by_time);
    m.global_instants = Range{static_cast<uint32_t>(m.instants.size()), static_cast<uint32_t>(global.size())};
    m.instants.insert(m.instants.end(), global.begin(), global.end());
}

void build_counters(BuilderState& st, Canonical& c) {
    Model& m = st.model;
    struct Keyed {
        uint32_t process;
        uint32_t order; // of stream, then within the stream: ties in time keep recording order
        RawCounter sample;
    };
    std::vector<Keyed> all;
    size_t n = 0;
    for (const StreamState& s : st.streams) n += s.counters.size();
    if (n == 0) return;
    all.reserve(n);
    uint32_t order = 0;
    for (uint32_t ti = 0; ti < c.stream_of.size(); ++ti) {
        StreamState& s = st.streams[c.stream_of[ti]];
        for (const RawCounter& x : s.counters) all.push_back(Keyed{m.threads[ti].process.value, order++, x});
        std::vector<RawCounter>().swap(s.counters);
    }
    // Tracks by process, then by name and series as text (what a user reads), samples by time.
    std::stable_sort(all.begin(), all.end(), [&](const Keyed& a, const Keyed& b) {
        if (a.process != b.process) return a.process < b.process;
        if (a.sample.name != b.sample.name) return m.string(a.sample.name) < m.string(b.sample.name);
        if (a.sample.series != b.sample.series) return m.string(a.sample.series) < m.string(b.sample.series);
        if (a.sample.time != b.sample.time) return a.sample.time < b.sample.time;
        return a.order < b.order;
    });
    reserve_exact(m.counter_samples.time, n);
    reserve_exact(m.counter_samples.value, n);
    for (size_t k = 0; k < all.size();) {
        CounterTrack track;
        track.process = ProcessIndex{all[k].process};
        track.name = all[k].sample.name;
        track.series = all[k].sample.series;
        track.samples.first = static_cast<uint32_t>(m.counter_samples.size());
        track.min = std::numeric_limits<double>::infinity();
        track.max = -std::numeric_limits<double>::infinity();
        for (; k < all.size() && all[k].process == track.process.value && all[k].sample.name == track.name &&
               all[k].sample.series == track.series;
             ++k) {
            const double v = all[k].sample.value;
            m.counter_samples.time.push_back(all[k].sample.time);
            m.counter_samples.value.push_back(v);
            if (v == v) { // NaN takes no part in the range
                track.min = std::min(track.min, v);
                track.max = std::max(track.max, v);
            }
        }
        track.samples.count = static_cast<uint32_t>(m.counter_samples.size()) - track.samples.first;
        if (track.min > track.max) track.min = track.max = 0;
        m.counters.push_back(track);
    }
    for (uint32_t k = 0; k < m.counters.size();) {
        Process& process = m.processes[m.counters[k].process.value];
        process.counters.first = k;
        while (k < m.counters.size() && &m.processes[m.counters[k].process.value] == &process) ++k;
        process.counters.count = k - process.counters.first;
    }
}

} // namespace weft::detail

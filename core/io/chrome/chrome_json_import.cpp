#include "io/chrome/chrome_json_import.h"

#include "io/chrome/async_slices.h"
#include "io/chrome/flow_links.h"
#include "io/chrome/group_members.h"
#include "io/chrome/json_input.h"
#include "io/chrome/slice_nesting.h"
#include "io/chrome/stream_emitter.h"
#include "io/chrome/trace_collector.h"
#include "io/chrome/trace_text_reader.h"
#include "model/radix_sort.h"

#include <algorithm>

namespace weft::chrome {

namespace {

// By time, file order at equal times: radix passes on the time (stable, and events were appended
// in file order), which real traces, nearly in order, mostly skip.
void sort_events(detail::PodBuffer<RawEvent>& events) {
    auto earlier = [](const RawEvent& a, const RawEvent& b) { return a.ts != b.ts ? a.ts < b.ts : a.seq < b.seq; };
    detail::sort_by_keys(events, earlier, [](const RawEvent& e) { return detail::ordered_bits(e.ts); });
}

// A thread that only carries what belongs to its whole process (counters, process and global
// instants: written with the pid alone, or from a thread that did nothing else) would show as an
// empty lane: its events go to another thread of the process instead.
void merge_process_level_threads(ImportState& st) {
    auto process_level = [](const RawEvent& e) {
        return e.ph == 'C' || (e.ph == 'i' && (e.flags & (kScopeProcess | kScopeGlobal)) != 0);
    };
    for (const ProcessRecord& p : st.processes) {
        uint32_t keeper = ~0u;
        std::vector<uint32_t> merged;
        for (uint32_t t : p.threads) {
            const ThreadRecord& th = st.threads[t];
            if (th.events.empty()) continue;
            const bool only_process_level = th.name == 0 && th.tid_name == 0 && !th.sort_index &&
                                            std::all_of(th.events.begin(), th.events.end(), process_level);
            if (only_process_level)
                merged.push_back(t);
            else if (keeper == ~0u)
                keeper = t;
        }
        if (keeper == ~0u) continue;
        auto& into = st.threads[keeper].events;
        for (uint32_t t : merged) {
            auto& from = st.threads[t].events;
            for (const RawEvent& e : from) into.push_back(e);
            from.release();
        }
    }
}

} // namespace

format::ReadReport import_chrome_json(const std::string& path, format::TraceSink& sink, const format::ReadOptions& options,
                                      const ImportTuning& tuning) {
    format::ReadReport report;
    report.path = path;
    JsonInput input;
    if (!input.open(path)) {
        report.errors.push_back({0, input.error()});
        report.fatal = true;
        return report;
    }
    report.file_size = input.file_size();

    ImportState st;
    TraceCollector collector(st);
    TextReadResult text = read_trace_text(input, collector, options, tuning.read_chunk);
    report.errors = std::move(text.errors);
    report.errors.insert(report.errors.end(), collector.problems().begin(), collector.problems().end());
    if (collector.skipped_events() > collector.problems().size()) {
        const uint64_t more = collector.skipped_events() - collector.problems().size();
        report.errors.push_back({collector.problems().back().offset,
                                 std::to_string(more) + " more events skipped for such reasons (the first " +
                                     std::to_string(collector.problems().size()) + " are listed)"});
    }
    std::stable_sort(report.errors.begin(), report.errors.end(),
                     [](const format::FormatError& a, const format::FormatError& b) { return a.offset < b.offset; });
    report.events = collector.events();
    report.records = collector.events() - collector.skipped_events();
    if (text.repaired_utf8) st.note("events with bytes that are not UTF-8: read with '?' in their place", text.repaired_utf8);
    if (text.fatal) {
        report.fatal = true;
        return report;
    }
    if (text.cancelled) {
        report.cancelled = true;
        return report;
    }

    // V8 profile samples are timed from their profile's start, known only now.
    for (const V8Sample& s : st.v8_samples) {
        const Nanos t = st.profiles[s.profile].start + s.offset;
        st.min_ts = std::min(st.min_ts, t);
        st.max_ts = std::max(st.max_ts, t);
    }
    merge_process_level_threads(st);
    for (ThreadRecord& t : st.threads) sort_events(t.events);
    // Flows bind to slices, so the threads that hold flow points have theirs nested now; the
    // others' wait until each thread is handed over (stream_emitter.h), to hold fewer at once.
    std::vector<ThreadSlices> slices(st.threads.size());
    for (size_t t = 0; t < st.threads.size(); ++t) {
        const auto& events = st.threads[t].events;
        const bool flows = std::any_of(events.begin(), events.end(), [](const RawEvent& e) {
            return e.ph == 's' || e.ph == 't' || e.ph == 'f' || ((e.ph == 'B' || e.ph == 'X') && e.ref != 0);
        });
        if (flows) slices[t].build({events.data(), events.size()}, st);
    }
    std::vector<AsyncSlice> async;
    std::vector<FlowLink> links;
    {
        GroupMembers members;
        members.build(st);
        async = build_async_slices(members, st);
        link_trigger_parents(async, st);
        links = build_flow_links(members, slices, async, st);
    }
    const EmitResult emitted = emit_streams(st, slices, async, links, sink, options.cancel);
    report.cancelled = emitted.cancelled;
    return report;
}

} // namespace weft::chrome

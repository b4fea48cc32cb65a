#include "io/chrome/trace_collector.h"

#include "io/chrome/micros.h"

#include <bit>

namespace weft::chrome {

namespace {

// Arguments that say nothing are not kept.
bool empty_args(std::string_view args) {
    size_t i = 0;
    while (i < args.size() && (args[i] == ' ' || args[i] == '\n' || args[i] == '\t' || args[i] == '\r')) ++i;
    if (i == args.size()) return true;
    if (args[i] != '{') return false;
    ++i;
    while (i < args.size() && (args[i] == ' ' || args[i] == '\n' || args[i] == '\t' || args[i] == '\r')) ++i;
    return i < args.size() && args[i] == '}';
}

const char* ignored_phase(char ph) {
    switch (ph) {
    case 'N':
    case 'O':
    case 'D': return "object events (N, O, D): not shown";
    case 'v':
    case 'V': return "memory dump events (v, V): not shown";
    case 'c': return "clock sync events (c): not used";
    case '(':
    case ')': return "context events ( and ): not shown";
    case '=': return "id link events (=): not used";
    default: return nullptr;
    }
}

} // namespace

void TraceCollector::skip(uint64_t offset, std::string reason) {
    ++m_skipped;
    if (m_problems.size() < kMaxReported) m_problems.push_back({offset, std::move(reason)});
}

TraceCollector::WhoKey TraceCollector::who(const ProcessOrThreadId& id) {
    if (!id.present) return {0, 0};
    if (id.is_name) return {0, m_st.strings.intern(id.name)};
    return {id.number, 0};
}

uint32_t TraceCollector::process_for(WhoKey pid) {
    const auto [it, inserted] = m_process_ids.try_emplace(pid, static_cast<uint32_t>(m_st.processes.size()));
    if (inserted) {
        ProcessRecord p;
        p.pid = pid.number;
        p.pid_name = pid.name;
        m_st.processes.push_back(std::move(p));
    }
    return it->second;
}

uint32_t TraceCollector::thread_for(const EventFields& f) {
    const bool numbers = !f.pid.is_name && !f.tid.is_name && f.tid.present && f.tid.number != 0;
    if (numbers && m_last_valid && f.pid.number == m_last_pid && f.tid.number == m_last_tid) return m_last_thread;
    const WhoKey pid = who(f.pid);
    // A missing or zero tid is the process's main thread, as Perfetto reads it.
    const bool no_tid = !f.tid.present || (!f.tid.is_name && f.tid.number == 0);
    const WhoKey tid = no_tid && (pid.number != 0 || pid.name != 0) ? pid : who(f.tid);
    const uint32_t process = process_for(pid);
    const auto [it, inserted] =
        m_thread_ids.try_emplace(std::pair(process, tid), static_cast<uint32_t>(m_st.threads.size()));
    if (inserted) {
        ThreadRecord t;
        t.process = process;
        t.tid = tid.number;
        t.tid_name = tid.name;
        m_st.threads.push_back(std::move(t));
        m_st.processes[process].threads.push_back(it->second);
    }
    if (numbers) {
        m_last_valid = true;
        m_last_pid = f.pid.number;
        m_last_tid = f.tid.number;
        m_last_thread = it->second;
    }
    return it->second;
}

uint32_t TraceCollector::group_for(const GroupKey& key) {
    const uint64_t h = GroupKeyHash{}(key);
    const uint64_t tag = h >> 32 << 32;
    size_t mask = m_group_slots.size() - 1;
    size_t i = h & mask;
    for (uint64_t s = m_group_slots[i]; s != 0; s = m_group_slots[i]) {
        const auto id = static_cast<uint32_t>(s);
        if ((s & ~uint64_t{0xFFFFFFFF}) == tag && m_st.groups[id - 1] == key) return id;
        i = (i + 1) & mask;
    }
    m_st.groups.push_back(key);
    const auto id = static_cast<uint32_t>(m_st.groups.size());
    m_group_slots[i] = tag | id;
    if (m_st.groups.size() * 2 > m_group_slots.size()) {
        std::vector<uint64_t> slots(m_group_slots.size() * 2, 0);
        mask = slots.size() - 1;
        for (uint32_t g = 1; g <= m_st.groups.size(); ++g) {
            const uint64_t gh = GroupKeyHash{}(m_st.groups[g - 1]);
            size_t j = gh & mask;
            while (slots[j] != 0) j = (j + 1) & mask;
            slots[j] = (gh >> 32 << 32) | g;
        }
        m_group_slots.swap(slots);
    }
    return id;
}

uint32_t TraceCollector::id_text(const EventId& id) { return m_st.strings.intern(id.value); }

void TraceCollector::metadata(const EventFields& f) {
    const std::string_view name = f.name;
    const bool process_level = name == "process_name" || name == "process_labels" || name == "process_sort_index";
    const bool thread_level = name == "thread_name" || name == "thread_sort_index";
    if (!process_level && !thread_level) {
        m_st.note("metadata events (M) of other kinds: not read");
        return;
    }
    auto text = [&](std::string_view key) { return f.args.empty() ? std::nullopt : m_values.member_text(f.args, key); };
    auto number = [&](std::string_view key) -> std::optional<int64_t> {
        const auto t = text(key);
        if (!t) return std::nullopt;
        int64_t ns = 0;
        if (!micros_to_nanos(*t, ns) || ns % 1000 != 0) return std::nullopt; // a whole number
        return ns / 1000;
    };
    if (process_level) {
        ProcessRecord& p = m_st.processes[process_for(who(f.pid))];
        if (name == "process_name") {
            if (const auto v = text("name"); v && !v->empty()) p.name = m_st.strings.intern(*v);
        } else if (name == "process_labels") {
            if (const auto v = text("labels")) p.labels = *v;
        } else if (const auto v = number("sort_index")) {
            p.sort_index = *v;
        }
        return;
    }
    ThreadRecord& t = m_st.threads[thread_for(f)];
    if (name == "thread_name") {
        if (const auto v = text("name"); v && !v->empty()) t.name = m_st.strings.intern(*v);
    } else if (const auto v = number("sort_index")) {
        t.sort_index = *v;
    }
}

void TraceCollector::counter(const EventFields& f, ThreadRecord& thread, RawEvent e) {
    // One series per numeric args member; an id makes a counter of its own, "name[id]".
    if (f.id.kind != EventId::Kind::None) {
        m_id_scratch.assign(f.name);
        m_id_scratch += '[';
        m_id_scratch += f.id.value;
        m_id_scratch += ']';
        e.name = m_st.strings.intern(m_id_scratch);
    }
    e.args = 0;
    bool any = false;
    if (!f.args.empty()) {
        m_values.numbers(f.args, [&](std::string_view key, double value) {
            e.cat = m_st.strings.intern(key);
            e.dur = std::bit_cast<int64_t>(value);
            e.seq = m_st.next_seq++;
            thread.events.push_back(e);
            any = true;
        });
    }
    if (!any) m_st.note("counter events (C) without a numeric argument: skipped");
}

void TraceCollector::sample_entry(const EventFields& f) {
    if (!f.tid.present) return skip(f.offset, "sample without \"tid\"; skipped");
    if (!f.has_ts) return skip(f.offset, "sample without \"ts\"; skipped");
    SampleEntry s;
    const WhoKey tid = who(f.tid);
    s.tid = tid.number;
    s.tid_name = tid.name;
    s.ts = f.ts;
    s.name = m_st.strings.intern(f.name);
    s.sf = f.has_sf ? m_st.strings.intern(f.sf) : 0;
    s.weight = f.weight != 0 ? f.weight : 1;
    s.seq = m_st.next_seq++;
    m_st.sample_entries.push_back(s);
    m_st.min_ts = std::min(m_st.min_ts, f.ts);
    m_st.max_ts = std::max(m_st.max_ts, f.ts);
}

void TraceCollector::event(const EventFields& f, ArrayKind array) {
    if (f.members == 0) return; // `{}`: nothing to read, not an error
    ++m_events;
    if (array == ArrayKind::Samples) return sample_entry(f);
    if (f.problem) return skip(f.offset, std::string("event skipped: ") + f.problem);
    if (!f.has_ph) return skip(f.offset, "event without \"ph\"; skipped");
    const char ph = f.ph;
    if (ph == 'M') return metadata(f);
    if (const char* label = ignored_phase(ph)) return m_st.note(label);
    if (!f.has_ts) return skip(f.offset, std::string("event of phase '") + ph + "' without \"ts\"; skipped");

    RawEvent e;
    e.ts = f.ts;
    e.ph = ph;
    e.name = m_st.strings.intern(f.name);
    e.cat = m_st.strings.intern(f.cat);
    // Args are kept for what shows them (slices, instants) or reads them later (legacy steps);
    // counters read theirs now, flows and samples show none.
    const bool shown = ph != 'C' && ph != 's' && ph != 't' && ph != 'f' && ph != 'P';
    if (shown && !empty_args(f.args)) e.args = m_st.strings.intern(f.args);
    const uint32_t thread_index = thread_for(f);
    ThreadRecord& thread = m_st.threads[thread_index];
    const uint32_t process = thread.process;

    auto bind = [&]() -> uint32_t {
        if (f.bind_id.kind == EventId::Kind::None) return 0;
        if (f.flow_in != 1 && f.flow_out != 1) {
            m_st.note("flow v2: bind_id without flow_in or flow_out: ignored");
            return 0;
        }
        if (f.flow_in == 1) e.flags |= kFlowIn;
        if (f.flow_out == 1) e.flags |= kFlowOut;
        return group_for({GroupKind::Bind, id_text(f.bind_id), 0, 0, 0});
    };
    auto needs_id = [&](const char* label) {
        if (f.id.kind != EventId::Kind::None) return true;
        m_st.note(label);
        return false;
    };

    switch (ph) {
    case 'X':
        if (!f.has_dur) {
            e.flags |= kNoDuration;
            m_st.note("complete events (X) without dur: read as instantaneous");
        } else if (f.dur < 0) {
            m_st.note("complete events (X) with a negative dur: read as instantaneous");
        } else {
            e.dur = f.dur;
        }
        e.ref = bind();
        break;
    case 'B':
        e.ref = bind();
        break;
    case 'E':
        break;
    case 'i':
    case 'I':
    case 'R':
        if (f.s == "g")
            e.flags |= kScopeGlobal;
        else if (f.s == "p")
            e.flags |= kScopeProcess;
        else if (!f.s.empty() && f.s != "t")
            m_st.note("instant events with an unknown scope \"s\": read as thread-scoped");
        e.ph = 'i';
        break;
    case 'b':
    case 'e':
    case 'n': {
        if (!needs_id("async events (b, e, n) without an id: skipped")) return;
        const uint32_t scope = m_st.strings.intern(f.scope);
        const uint32_t local = f.id.kind == EventId::Kind::Local ? process + 1 : 0;
        e.ref = group_for({GroupKind::Async, e.cat, scope, id_text(f.id), local});
        if (ph != 'e') {
            if (const uint32_t b = bind()) m_st.async_binds.emplace_back(m_st.next_seq, b);
        }
        break;
    }
    case 'S':
    case 'T':
    case 'p':
    case 'F':
        if (!needs_id("legacy async events (S, T, p, F) without an id: skipped")) return;
        e.ref = group_for({GroupKind::LegacyAsync, e.name, m_st.strings.intern(f.scope), id_text(f.id), 0});
        break;
    case 's':
    case 't':
    case 'f':
        if (!needs_id("flow events (s, t, f) without an id: skipped")) return;
        e.ref = group_for({GroupKind::Flow, id_text(f.id), e.cat, e.name, 0});
        if (f.bp == "e") e.flags |= kBindEnclosing;
        break;
    case 'C':
        m_st.min_ts = std::min(m_st.min_ts, f.ts);
        m_st.max_ts = std::max(m_st.max_ts, f.ts);
        return counter(f, thread, e);
    case 'P':
        if (f.has_sf) {
            e.ref = m_st.strings.intern(f.sf);
        } else if (f.name == "ProfileChunk" || f.name == "Profile") {
            return v8_profile(f, thread_index, process);
        } else if (!f.stack.empty()) {
            m_st.note("samples (P) with a \"stack\" array: read without their stack");
        }
        e.dur = static_cast<Nanos>(f.weight != 0 && f.weight < (uint64_t{1} << 62) ? f.weight : 1);
        break;
    default:
        m_st.note(std::string("events of unknown phase '") + ph + "': skipped");
        return;
    }
    e.seq = m_st.next_seq++;
    m_st.min_ts = std::min(m_st.min_ts, e.ts);
    m_st.max_ts = std::max(m_st.max_ts, e.ph == 'X' ? e.ts + e.dur : e.ts);
    thread.events.push_back(e);
}

// V8's CPU profile: "Profile" starts one (its thread is the one sampled), each "ProfileChunk" of the
// same id and process adds nodes of its call tree and samples timed by deltas, in file order.
void TraceCollector::v8_profile(const EventFields& f, uint32_t thread, uint32_t process) {
    if (f.id.kind == EventId::Kind::None) return m_st.note("V8 CPU profile events without an id: skipped");
    const uint64_t key = (uint64_t{process} << 32) | m_st.strings.intern(f.id.value);
    const auto [it, inserted] = m_profile_ids.try_emplace(key, static_cast<uint32_t>(m_st.profiles.size()));
    if (inserted) m_st.profiles.emplace_back();
    const uint32_t index = it->second;
    V8Profile& p = m_st.profiles[index];
    if (f.name == "Profile") {
        p.thread = thread;
        int64_t start = 0;
        const auto text = f.args.empty() ? std::nullopt : m_values.v8_start(f.args);
        p.start = text && micros_to_nanos(*text, start) ? start : f.ts;
        p.has_start = true;
        return;
    }
    if (!p.has_start && p.thread == ~0u) {
        p.start = f.ts; // no Profile event (yet): time the samples from the first chunk
        p.thread = thread;
    }
    struct Visitor final : JsonValueReader::V8ChunkVisitor {
        ImportState& st;
        V8Profile& profile;
        uint32_t index;
        Visitor(ImportState& s, V8Profile& p, uint32_t i) : st(s), profile(p), index(i) {}
        void node(uint64_t id, uint64_t parent, std::string_view function, std::string_view url, int64_t line) override {
            profile.nodes[id] = V8Node{st.strings.intern(function.empty() ? std::string_view("(anonymous)") : function),
                                       st.strings.intern(url), line >= 0 && line < 0xFFFFFFFF ? static_cast<uint32_t>(line + 1) : 0,
                                       parent};
        }
        void sample(uint64_t node, int64_t delta_us) override {
            if (delta_us > 0 && delta_us < (int64_t{1} << 40)) profile.elapsed += delta_us * 1000;
            st.v8_samples.push_back(V8Sample{index, st.next_seq++, profile.elapsed, node});
        }
    } visitor(m_st, p, index);
    if (f.args.empty() || !m_values.v8_chunk(f.args, visitor))
        m_st.note("V8 CPU profile chunks whose args could not be read: skipped");
}

void TraceCollector::top_level_value(std::string_view key, std::string_view json, uint64_t offset) {
    if (key == "stackFrames") {
        const bool ok = m_values.frames(json, [&](std::string_view id, std::string_view name, std::string_view category,
                                                  std::string_view parent) {
            m_st.stack_frames[m_st.strings.intern(id)] =
                StackFrame{m_st.strings.intern(name), m_st.strings.intern(category), m_st.strings.intern(parent)};
        });
        if (!ok) skip(offset, "\"stackFrames\" is not an object of frames; skipped");
    } else if (key == "traceEvents") {
        skip(offset, "\"traceEvents\" is not an array; skipped");
    } else if (key == "samples") {
        skip(offset, "\"samples\" is not an array; skipped");
    } else if (key == "systemTraceEvents") {
        m_st.note("systemTraceEvents (system trace text): not read");
    }
    // displayTimeUnit only chooses how a viewer shows times: "ts" stays microseconds whatever it
    // says. metadata and any other key describe the trace, not its events.
}

} // namespace weft::chrome

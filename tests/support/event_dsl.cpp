#include "event_dsl.h"

#include "model/model_builder.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <random>
#include <unordered_map>

namespace weft::test {

namespace {

using format::EventKind;

struct PendingBlock {
    std::vector<std::string> strings;
    std::unordered_map<std::string, uint32_t> string_ids;
    std::vector<format::BlockLocation> locations;
    std::map<std::tuple<uint32_t, uint32_t, uint32_t, uint32_t>, uint32_t> location_ids;
    std::vector<format::Event> events;
    std::vector<format::BlockLocationId> frames;
    uint64_t unknown = 0;
    uint64_t backwards = 0;

    bool empty() const { return events.empty() && unknown == 0; }

    uint32_t intern(const std::string& s) {
        if (s.empty()) return 0;
        auto [it, inserted] = string_ids.emplace(s, static_cast<uint32_t>(strings.size() + 1));
        if (inserted) strings.push_back(s);
        return it->second;
    }
    // `[name@]file:line`
    uint32_t location(const std::string& text) {
        if (text.empty()) return 0;
        std::string rest = text;
        std::string name;
        if (auto at = rest.find('@'); at != std::string::npos) {
            name = rest.substr(0, at);
            rest = rest.substr(at + 1);
        }
        uint32_t line = 0;
        if (auto colon = rest.rfind(':'); colon != std::string::npos) {
            line = static_cast<uint32_t>(std::stoul(rest.substr(colon + 1)));
            rest = rest.substr(0, colon);
        }
        format::BlockLocation loc{intern(name), 0, intern(rest), line};
        auto key = std::make_tuple(loc.name, loc.target, loc.file, loc.line);
        auto [it, inserted] = location_ids.emplace(key, static_cast<uint32_t>(locations.size() + 1));
        if (inserted) locations.push_back(loc);
        return it->second;
    }
};

struct ThreadState {
    uint32_t process = 0;
    uint64_t next_offset = 0;
    PendingBlock block;
};

struct Parser {
    EventScript script;
    std::vector<ThreadState> threads;
    size_t block_size;
    uint64_t block_counter = 0;
    int line_no = 0;

    [[noreturn]] void fail(const std::string& why) const {
        throw DslError("line " + std::to_string(line_no) + ": " + why);
    }

    template <class T>
    T number(std::string_view s) const {
        T v{};
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || p != s.data() + s.size()) fail("not a number: '" + std::string(s) + "'");
        return v;
    }

    static format::Uuid make_uuid(uint8_t kind, uint64_t n) {
        format::Uuid u{};
        u[0] = kind;
        for (int i = 0; i < 8; ++i) u[15 - i] = static_cast<uint8_t>(n >> (8 * i));
        return u;
    }

    void ensure_process() {
        if (!script.processes.empty()) return;
        format::ProcessInfo p;
        p.process_id = make_uuid(0x50, 0);
        p.exe = "dsl";
        script.processes.push_back(p);
    }

    void close_block(uint32_t stream) {
        ThreadState& th = threads[stream];
        PendingBlock& pb = th.block;
        if (pb.empty()) return;
        format::DecodedBlock b;
        b.header.block_id = make_uuid(0x42, block_counter++);
        b.header.stream_id = script.streams[stream].stream_id;
        b.header.process_id = script.streams[stream].process_id;
        b.header.begin_ticks = pb.events.empty() ? 0 : pb.events.front().ticks;
        b.header.end_ticks = pb.events.empty() ? 0 : pb.events.back().ticks;
        b.header.object_offset = th.next_offset;
        b.header.nb_objects = pb.events.size() + pb.unknown;
        b.header.codec = format::Codec::None;
        th.next_offset += b.header.nb_objects;
        // Strings live in the block's own storage, as the decoder leaves them.
        for (const std::string& s : pb.strings) b.payload_storage.insert(b.payload_storage.end(), s.begin(), s.end());
        b.header.payload_size = b.payload_storage.size();
        size_t at = 0;
        for (const std::string& s : pb.strings) {
            b.strings.emplace_back(reinterpret_cast<const char*>(b.payload_storage.data()) + at, s.size());
            at += s.size();
        }
        b.locations = std::move(pb.locations);
        b.events = std::move(pb.events);
        b.frames = std::move(pb.frames);
        b.unknown_events = pb.unknown;
        b.backwards_steps = pb.backwards;
        script.events += b.events.size();
        script.blocks.push_back(std::move(b));
        script.block_stream.push_back(stream);
        pb = PendingBlock{};
    }

    uint32_t thread_of(std::string_view label) {
        for (size_t i = 0; i < script.labels.size(); ++i)
            if (script.labels[i] == label) return static_cast<uint32_t>(i);
        fail("unknown thread '" + std::string(label) + "'");
    }

    void parse_line(std::string_view line);
    void parse_event(uint32_t stream, int64_t ticks, const std::vector<std::string>& words,
                     const std::map<std::string, std::string>& opts);
};

void Parser::parse_line(std::string_view line) {
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    std::vector<std::string> words;
    std::map<std::string, std::string> opts;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
        size_t j = i;
        while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
        if (j > i) {
            std::string w(line.substr(i, j - i));
            if (auto eq = w.find('='); eq != std::string::npos && eq > 0)
                opts[w.substr(0, eq)] = w.substr(eq + 1);
            else
                words.push_back(std::move(w));
        }
        i = j;
    }
    if (words.empty()) return;
    auto opt = [&](const char* key, const std::string& fallback = {}) {
        auto it = opts.find(key);
        return it == opts.end() ? fallback : it->second;
    };

    if (words[0] == "process") {
        format::ProcessInfo p;
        p.process_id = make_uuid(0x50, script.processes.size());
        p.exe = opt("exe", "dsl");
        p.pid = number<uint64_t>(opt("pid", "1"));
        p.tick_frequency = number<uint64_t>(opt("freq", "1000000000"));
        p.start_time_ns = number<uint64_t>(opt("start_ns", "0"));
        p.start_ticks = number<int64_t>(opt("start_ticks", "0"));
        if (opts.count("sort")) p.properties["sort_index"] = opt("sort");
        script.processes.push_back(p);
        return;
    }
    if (words[0] == "thread") {
        if (words.size() < 2) fail("thread needs a label");
        ensure_process();
        for (const std::string& l : script.labels)
            if (l == words[1]) fail("thread '" + l + "' declared twice");
        format::StreamInfo s;
        s.stream_id = make_uuid(0x53, script.streams.size());
        s.process_id = script.processes.back().process_id;
        s.thread_name = opt("name", words[1]);
        s.thread_id = number<uint64_t>(opt("tid", std::to_string(100 + script.streams.size())));
        s.tags.push_back("thread");
        if (std::find(words.begin(), words.end(), "loop") != words.end()) s.tags.push_back("event-loop");
        if (opts.count("sort")) s.properties["sort_index"] = opt("sort");
        script.streams.push_back(s);
        script.labels.push_back(words[1]);
        threads.push_back(ThreadState{static_cast<uint32_t>(script.processes.size() - 1), 0, {}});
        return;
    }

    const uint32_t stream = thread_of(words[0]);
    if (words.size() < 2) fail("missing tick or verb");
    if (words[1] == "flush") {
        close_block(stream);
        return;
    }
    if (words[1] == "gap") {
        if (words.size() < 3) fail("gap needs a count");
        close_block(stream);
        threads[stream].next_offset += number<uint64_t>(words[2]);
        return;
    }
    if (words.size() < 3) fail("missing verb");
    const auto ticks = number<int64_t>(words[1]);
    parse_event(stream, ticks, std::vector<std::string>(words.begin() + 2, words.end()), opts);
    if (threads[stream].block.events.size() + threads[stream].block.unknown >= block_size) close_block(stream);
}

void Parser::parse_event(uint32_t stream, int64_t ticks, const std::vector<std::string>& words,
                         const std::map<std::string, std::string>& opts) {
    PendingBlock& pb = threads[stream].block;
    auto opt = [&](const char* key) {
        auto it = opts.find(key);
        return it == opts.end() ? std::string() : it->second;
    };
    auto arg = [&](size_t k) -> const std::string& {
        if (k >= words.size()) fail("'" + words[0] + "' needs more arguments");
        return words[k];
    };
    auto id_opt = [&](const char* key) { return opts.count(key) ? number<uint64_t>(opt(key)) : uint64_t{0}; };
    auto read_frames = [&](format::Event& e) {
        e.frames_begin = static_cast<uint32_t>(pb.frames.size());
        const std::string frames = opt("frames");
        size_t start = 0;
        while (start < frames.size()) {
            size_t comma = frames.find(',', start);
            if (comma == std::string::npos) comma = frames.size();
            pb.frames.push_back(pb.location(frames.substr(start, comma - start)));
            start = comma + 1;
        }
        e.frames_count = static_cast<uint16_t>(pb.frames.size() - e.frames_begin);
    };

    const std::string& verb = words[0];
    if (verb == "unknown") {
        ++pb.unknown;
        return;
    }
    format::Event e;
    e.ticks = ticks;
    if (verb == "create") {
        e.kind = EventKind::TaskCreated;
        e.id = number<uint64_t>(arg(1));
        e.id2 = id_opt("parent");
        e.ref1 = pb.intern(opt("name"));
        e.ref2 = pb.intern(opt("coro"));
        e.ref3 = pb.location(opt("at"));
    } else if (verb == "run" || verb == "end" || verb == "resume") {
        e.kind = verb == "run" ? EventKind::TaskRunBegin : verb == "end" ? EventKind::TaskRunEnd : EventKind::AwaitEnd;
        e.id = number<uint64_t>(arg(1));
    } else if (verb == "done") {
        e.kind = EventKind::TaskCompleted;
        e.id = number<uint64_t>(arg(1));
        const std::string& outcome = arg(2);
        if (outcome == "ok") e.outcome = 0;
        else if (outcome == "cancelled") e.outcome = 1;
        else if (outcome == "error") e.outcome = 2;
        else fail("outcome must be ok, cancelled or error");
        e.ref1 = pb.intern(opt("msg"));
    } else if (verb == "await") {
        e.kind = EventKind::AwaitBegin;
        e.id = number<uint64_t>(arg(1));
        e.ref1 = words.size() > 2 ? pb.intern(words[2]) : 0;
        e.ref2 = pb.location(opt("at"));
    } else if (verb == "span") {
        e.kind = EventKind::ThreadSpanBegin;
        e.ref1 = pb.location(opt("at"));
        e.ref2 = words.size() > 1 ? pb.intern(words[1]) : 0;
        e.ref3 = pb.intern(opt("args"));
    } else if (verb == "close") {
        e.kind = EventKind::ThreadSpanEnd;
        e.ref1 = pb.location(opt("at"));
    } else if (verb == "abegin") {
        e.kind = EventKind::AsyncSpanBegin;
        e.id = number<uint64_t>(arg(1));
        e.id2 = id_opt("parent");
        e.ref1 = pb.location(opt("at"));
        e.ref2 = pb.intern(opt("name"));
        e.ref3 = pb.intern(opt("args"));
        e.id3 = id_opt("task");
    } else if (verb == "aend") {
        e.kind = EventKind::AsyncSpanEnd;
        e.id = number<uint64_t>(arg(1));
    } else if (verb == "block") {
        e.kind = EventKind::Blocking;
        e.id2 = number<uint64_t>(arg(1));
        e.id = id_opt("task");
        read_frames(e);
    } else if (verb == "flow") {
        e.kind = EventKind::Flow;
        const std::string& phase = arg(1);
        if (phase != "out" && phase != "in") fail("flow phase must be out or in");
        e.outcome = phase == "out" ? 0 : 1;
        e.id = number<uint64_t>(arg(2));
        e.ref2 = opts.count("depth") ? number<uint32_t>(opt("depth")) + 1 : 0;
        e.id2 = id_opt("span");
        e.ref1 = pb.location(opt("at"));
    } else if (verb == "instant") {
        e.kind = EventKind::Instant;
        e.ref1 = pb.location(opt("at"));
        const std::string scope = opt("scope");
        e.outcome = scope == "process" ? 1 : scope == "global" ? 2 : 0;
        e.ref2 = pb.intern(opt("args"));
    } else if (verb == "counter") {
        e.kind = EventKind::Counter;
        e.ref1 = pb.intern(arg(1));
        e.ref2 = pb.intern(arg(2));
        e.set_counter_value(std::stod(arg(3)));
    } else if (verb == "sample") {
        e.kind = EventKind::Sample;
        e.ref1 = pb.intern(opt("name"));
        e.id2 = id_opt("weight");
        read_frames(e);
    } else if (verb == "note") {
        e.kind = EventKind::Diagnostic;
        e.ref1 = pb.intern(arg(1));
        e.id2 = number<uint64_t>(arg(2));
    } else if (verb == "lag") {
        e.kind = EventKind::LoopLag;
        e.id2 = number<uint64_t>(arg(1));
    } else if (verb == "dropped") {
        e.kind = EventKind::EventsDropped;
        e.id2 = number<uint64_t>(arg(1));
    } else {
        fail("unknown verb '" + verb + "'");
    }
    if (!pb.events.empty() && ticks < pb.events.back().ticks) ++pb.backwards;
    pb.events.push_back(e);
}

} // namespace

EventScript parse_events(std::string_view text, size_t block_size) {
    Parser p;
    p.block_size = std::max<size_t>(1, block_size);
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        ++p.line_no;
        p.parse_line(text.substr(start, end - start));
        start = end + 1;
    }
    for (uint32_t s = 0; s < p.threads.size(); ++s) p.close_block(s);
    return std::move(p.script);
}

std::vector<const format::DecodedBlock*> interleave(const EventScript& script, Interleaving order, uint64_t seed) {
    std::vector<const format::DecodedBlock*> out;
    const size_t streams = script.streams.size();
    std::vector<std::vector<const format::DecodedBlock*>> per(streams);
    for (size_t i = 0; i < script.blocks.size(); ++i) per[script.block_stream[i]].push_back(&script.blocks[i]);
    switch (order) {
    case Interleaving::InOrder:
        for (const auto& b : script.blocks) out.push_back(&b);
        break;
    case Interleaving::ReversedStreams:
        for (size_t s = streams; s-- > 0;) out.insert(out.end(), per[s].begin(), per[s].end());
        break;
    case Interleaving::RoundRobin: {
        for (size_t round = 0; out.size() < script.blocks.size(); ++round)
            for (size_t s = 0; s < streams; ++s)
                if (round < per[s].size()) out.push_back(per[s][round]);
        break;
    }
    case Interleaving::Random: {
        std::mt19937_64 rng(seed);
        std::vector<size_t> next(streams, 0);
        while (out.size() < script.blocks.size()) {
            std::vector<size_t> live;
            for (size_t s = 0; s < streams; ++s)
                if (next[s] < per[s].size()) live.push_back(s);
            const size_t s = live[rng() % live.size()];
            out.push_back(per[s][next[s]++]);
        }
        break;
    }
    }
    return out;
}

void feed(const EventScript& script, format::TraceSink& sink, Interleaving order, uint64_t seed) {
    for (const auto& p : script.processes) sink.on_process(p);
    for (const auto& s : script.streams) sink.on_stream(s);
    for (const format::DecodedBlock* b : interleave(script, order, seed)) sink.on_block(*b);
}

std::shared_ptr<const Model> build_model(const EventScript& script, Interleaving order, uint64_t seed) {
    ModelBuilder builder;
    feed(script, builder, order, seed);
    return builder.finish();
}

std::shared_ptr<const Model> build_model(std::string_view text, size_t block_size, Interleaving order, uint64_t seed) {
    return build_model(parse_events(text, block_size), order, seed);
}

} // namespace weft::test

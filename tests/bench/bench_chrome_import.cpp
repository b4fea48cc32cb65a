// Importing Chrome trace-event JSON, side by side with the floor it cannot beat: simdjson reading
// the same text with nothing built. For one file (gen_chrome_trace writes realistic ones):
//
//   bench_chrome_import FILE [--rounds N] [--cpu C] [--weft PATH] [--import-only]
//     --rounds  rounds of every measurement, interleaved; medians are reported (default 5)
//     --cpu     the core the one-core measurements are pinned to (default: the last allowed one)
//     --weft    where the file converted to .weft goes (default FILE.weft, reused when newer)
//     --import-only  only the whole import, N times (to run under a profiler)
//
// One core (the process is pinned with sched_setaffinity):
//   read       the file's bytes from the page cache, in the importer's chunks (ImportTuning)
//   parse      simdjson On-Demand over the whole text, loaded once into a padded buffer outside
//              the timing: every element of traceEvents, every field's value touched (numbers as
//              doubles, strings as string_view, objects and arrays as raw JSON)
//   dom        simdjson's DOM parser over the same buffer: the whole document into its tape
//   text       the importer's text reader alone, its events handed to a consumer that keeps
//              nothing: reading, scanning and parsing into the importer's fields
//   discard    import_chrome_json into a sink that drops every record: reading, scanning, parsing
//              and the importer's own passes, without the model
//   import     import_chrome_json into a ModelBuilder on the same thread, then finish(): file to
//              finished Model (its two parts reported too)
//   weft       the same trace converted to .weft, read_trace_file into a ModelBuilder, finish()
// From these, and from the moment the text reader last reports progress, the import's CPU time is
// split into phases: text, collecting, the importer's passes, the builder's ingestion, finish().
// Two cores: load_trace on the JSON file (it builds on a second thread), and on the .weft file.
//
// Memory, each in a fresh process (this program run again), so that nothing of this one counts:
// the peak resident set (VmHWM) of the one-core import of the JSON file, of load_trace on it, of
// the import into the discarding sink, and of load_trace on the .weft file, against
// Model::memory_bytes().
//
// Reported, never asserted. Times are process CPU time (user + system) unless marked wall: the
// machine these run on is shared, and CPU time is what the work itself costs.

#include "format/trace_reader.h"
#include "format/trace_file_sink.h"
#include "io/chrome/chrome_json_import.h"
#include "io/chrome/json_input.h"
#include "io/chrome/trace_text_reader.h"
#include "model/model_builder.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <functional>
#include <malloc.h>
#include <sched.h>
#include <simdjson.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>
#include <zlib.h>

namespace {

namespace od = simdjson::ondemand;

// ---- Clocks ----

struct Stamp {
    double cpu = 0, wall = 0;
    static Stamp now() {
        timespec c{}, w{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
        clock_gettime(CLOCK_MONOTONIC, &w);
        return {static_cast<double>(c.tv_sec) + static_cast<double>(c.tv_nsec) * 1e-9,
                static_cast<double>(w.tv_sec) + static_cast<double>(w.tv_nsec) * 1e-9};
    }
    Stamp operator-(const Stamp& o) const { return {cpu - o.cpu, wall - o.wall}; }
};

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// ---- Sinks ----

struct DiscardSink final : weft::format::TraceSink {
    uint64_t events = 0;
    void on_process(const weft::format::ProcessInfo&) override {}
    void on_stream(const weft::format::StreamInfo&) override {}
    void on_block(const weft::format::DecodedBlock& block) override { events += block.events.size(); }
};

// Takes the events the text reader parsed and keeps nothing: what reading, scanning and parsing
// into the importer's EventFields cost before anything is made of them.
struct NullConsumer final : weft::chrome::TraceTextConsumer {
    uint64_t events = 0;
    void event(const weft::chrome::EventFields&, weft::chrome::ArrayKind) override { ++events; }
    void top_level_value(std::string_view, std::string_view, uint64_t) override {}
};

// ---- The measurements ----

struct Input {
    std::string path;
    uint64_t file_bytes = 0;
    simdjson::padded_string text; // the uncompressed text, for the bare parse
};

// The text of a plain or gzip file (gzread passes plain files through).
bool load_text(const std::string& path, simdjson::padded_string& out) {
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) return false;
    gzbuffer(f, 1 << 20);
    std::string text;
    std::vector<char> chunk(size_t{16} << 20);
    int n = 0;
    while ((n = gzread(f, chunk.data(), static_cast<unsigned>(chunk.size()))) > 0)
        text.append(chunk.data(), static_cast<size_t>(n));
    const bool ok = n == 0;
    gzclose(f);
    out = simdjson::padded_string(text);
    return ok;
}

// The file's bytes from the page cache, as the importer reads them.
uint64_t read_file(const std::string& path, std::vector<char>& chunk) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) return 0;
    uint64_t total = 0;
    ssize_t n = 0;
    while ((n = ::read(fd, chunk.data(), chunk.size())) > 0)
        total += static_cast<uint64_t>(n);
    ::close(fd);
    return total;
}

// Every event of traceEvents, every field's value touched. Returns the number of events; `sink`
// gathers something of every value so that nothing is optimised away.
uint64_t bare_parse(od::parser& parser, const simdjson::padded_string& text, double& sink) {
    od::document doc = parser.iterate(text);
    uint64_t events = 0;
    auto read_events = [&](od::array array) {
        for (auto element : array) {
            od::object event = element.get_object();
            for (auto field : event) {
                sink += static_cast<unsigned char>(field.key().value().raw()[0]);
                od::value v = field.value();
                switch (v.type()) {
                case od::json_type::number:
                    sink += v.get_double();
                    break;
                case od::json_type::string:
                    sink += static_cast<double>(std::string_view(v.get_string()).size());
                    break;
                case od::json_type::object: {
                    od::object o = v.get_object();
                    sink += static_cast<double>(o.raw_json().value().size());
                    break;
                }
                case od::json_type::array: {
                    od::array a = v.get_array();
                    sink += static_cast<double>(a.raw_json().value().size());
                    break;
                }
                case od::json_type::boolean:
                    sink += v.get_bool() ? 1 : 0;
                    break;
                case od::json_type::null:
                    sink += v.is_null() ? 0 : 1;
                    break;
                }
            }
            ++events;
        }
    };
    if (doc.type() == od::json_type::array) {
        read_events(doc.get_array());
        return events;
    }
    for (auto field : doc.get_object()) {
        if (field.key().value() == "traceEvents") read_events(field.value().get_array());
    }
    return events;
}

// The same text through simdjson's DOM parser: the whole document parsed into its tape, every
// number converted and every string unescaped, then the events counted. Another floor, the one a
// program that "parses the JSON" first and then walks it would start from.
uint64_t dom_parse(simdjson::dom::parser& parser, const simdjson::padded_string& text, double& sink) {
    simdjson::dom::element doc;
    if (parser.parse(text).get(doc)) return 0;
    simdjson::dom::array events;
    if (doc.is_array())
        events = doc.get_array().value_unsafe();
    else if (doc["traceEvents"].get_array().get(events))
        return 0;
    sink += static_cast<double>(events.size());
    return events.size();
}

double text_only(const std::string& path, uint64_t& read_alone) {
    weft::chrome::JsonInput input;
    if (!input.open(path)) return 0;
    NullConsumer consumer;
    const Stamp start = Stamp::now();
    const weft::chrome::TextReadResult r = weft::chrome::read_trace_text(input, consumer, {}, weft::chrome::ImportTuning{}.read_chunk);
    const double cpu = (Stamp::now() - start).cpu;
    read_alone = r.events_read_alone;
    return cpu;
}

// The reader reports progress after each chunk of text, the last time once the text is read: the
// CPU time until then is the text phase (read, scan, parse, collect), the rest the importer's
// passes over what it collected and, for a model, the builder's ingestion.
weft::format::ReadOptions mark_text_end(Stamp& at) {
    weft::format::ReadOptions options;
    options.progress = [&at](uint64_t, uint64_t) { at = Stamp::now(); };
    return options;
}

struct ImportResult {
    double text_cpu = 0, import_cpu = 0, finish_cpu = 0;
    uint64_t model_events = 0, model_bytes = 0;
    std::string contents; // what the model holds and what the import counted, to check the input
};

std::string describe(const weft::Model& m, const weft::format::ReadReport& report) {
    std::string s = std::to_string(m.thread_spans.size()) + " thread spans, " +
                    std::to_string(m.tasks.size()) + " tasks, " + std::to_string(m.async_spans.size()) +
                    " async spans, " + std::to_string(m.flows.size()) + " flows, " +
                    std::to_string(m.instants.size()) + " instants; " + std::to_string(report.errors.size()) +
                    " import errors, " + std::to_string(m.diagnostics.total()) + " diagnostics";
    for (const auto& [label, count] : m.diagnostics.notes)
        s += "; " + label + ": " + std::to_string(count);
    return s;
}

// File to finished Model on the calling thread.
ImportResult import_to_model(const std::string& path, Stamp& took) {
    ImportResult r;
    Stamp text_end;
    const Stamp start = Stamp::now();
    auto builder = std::make_unique<weft::ModelBuilder>();
    weft::format::ReadReport report =
        weft::chrome::import_chrome_json(path, *builder, mark_text_end(text_end));
    builder->add_read_report(report);
    const Stamp imported = Stamp::now();
    std::shared_ptr<const weft::Model> model = builder->finish();
    took = Stamp::now() - start;
    r.text_cpu = (text_end - start).cpu;
    r.import_cpu = (imported - start).cpu;
    r.finish_cpu = took.cpu - r.import_cpu;
    r.model_events = model->event_count;
    r.model_bytes = model->memory_bytes();
    r.contents = describe(*model, report);
    return r;
}

std::shared_ptr<const weft::Model> weft_to_model(const std::string& path) {
    weft::ModelBuilder builder;
    weft::format::ReadReport report = weft::format::read_trace_file(path, builder);
    builder.add_read_report(report);
    return builder.finish();
}

bool pin(const cpu_set_t& set) {
    return sched_setaffinity(0, sizeof set, &set) == 0;
}

// ---- Memory: this program again, in a fresh process ----

uint64_t status_kib(const char* key) {
    std::FILE* f = std::fopen("/proc/self/status", "r");
    if (!f) return 0;
    char line[256];
    uint64_t v = 0;
    const size_t n = std::strlen(key);
    while (std::fgets(line, sizeof line, f))
        if (std::strncmp(line, key, n) == 0) v = std::strtoull(line + n, nullptr, 10);
    std::fclose(f);
    return v;
}

// In the child: one load, then its figures on stdout.
int child_main(const std::string& mode, const std::string& path) {
    const uint64_t base = status_kib("VmRSS:");
    uint64_t import_peak = 0;
    std::shared_ptr<const weft::Model> model;
    weft::format::ReadReport report;
    if (mode == "json-one-core") {
        weft::ModelBuilder builder;
        report = weft::chrome::import_chrome_json(path, builder);
        builder.add_read_report(report);
        import_peak = status_kib("VmHWM:");
        model = builder.finish();
    } else if (mode == "load-trace") {
        model = weft::load_trace(path, report);
    } else if (mode == "json-discard") { // the importer's own memory, without a model
        DiscardSink sink;
        report = weft::chrome::import_chrome_json(path, sink);
        model = std::make_shared<const weft::Model>();
    } else {
        return 2;
    }
    if (!model) return 1;
    std::printf("base_kib=%llu peak_kib=%llu import_peak_kib=%llu model_bytes=%llu model_events=%llu\n",
                static_cast<unsigned long long>(base), static_cast<unsigned long long>(status_kib("VmHWM:")),
                static_cast<unsigned long long>(import_peak),
                static_cast<unsigned long long>(model->memory_bytes()),
                static_cast<unsigned long long>(model->event_count));
    return 0;
}

struct MemoryFigures {
    double base = 0, peak = 0, import_peak = 0, model_bytes = 0; // bytes
};

MemoryFigures run_child(const std::string& mode, const std::string& path) {
    MemoryFigures m;
    int fds[2];
    if (pipe(fds) != 0) return m;
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execl("/proc/self/exe", "bench_chrome_import", "--child", mode.c_str(), path.c_str(),
              static_cast<char*>(nullptr));
        _exit(127);
    }
    close(fds[1]);
    std::string out;
    char buf[512];
    ssize_t n = 0;
    while ((n = read(fds[0], buf, sizeof buf)) > 0)
        out.append(buf, static_cast<size_t>(n));
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    unsigned long long base = 0, peak = 0, import_peak = 0, model_bytes = 0, events = 0;
    if (std::sscanf(out.c_str(),
                    "base_kib=%llu peak_kib=%llu import_peak_kib=%llu model_bytes=%llu model_events=%llu",
                    &base, &peak, &import_peak, &model_bytes, &events) == 5) {
        m.base = static_cast<double>(base) * 1024;
        m.peak = static_cast<double>(peak) * 1024;
        m.import_peak = static_cast<double>(import_peak) * 1024;
        m.model_bytes = static_cast<double>(model_bytes);
    } else {
        std::fprintf(stderr, "memory measurement '%s' failed (status %d)\n", mode.c_str(), status);
    }
    return m;
}

// ---- Reporting ----

struct Series {
    std::vector<double> cpu, wall;
    void add(const Stamp& s) {
        cpu.push_back(s.cpu);
        wall.push_back(s.wall);
    }
};

void print_row(const char* what, const Series& s, double mb, double events) {
    const double cpu = median(s.cpu), wall = median(s.wall);
    const auto [lo, hi] = std::minmax_element(s.cpu.begin(), s.cpu.end());
    std::printf("  %-34s %8.3f s  [%7.3f-%7.3f]  wall %8.3f s  %8.1f MB/s  %7.2f M events/s\n", what, cpu,
                *lo, *hi, wall, mb / cpu, events / cpu / 1e6);
}

int usage() {
    std::fprintf(stderr,
                 "usage: bench_chrome_import FILE [--rounds N] [--cpu C] [--weft PATH] [--import-only]\n");
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    if (argc == 4 && std::string_view(argv[1]) == "--child") return child_main(argv[2], argv[3]);
    Input in;
    int rounds = 5, cpu = -1;
    std::string weft_path;
    bool import_only = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--rounds" && i + 1 < argc)
            rounds = std::max(1, std::atoi(argv[++i]));
        else if (arg == "--cpu" && i + 1 < argc)
            cpu = std::atoi(argv[++i]);
        else if (arg == "--weft" && i + 1 < argc)
            weft_path = argv[++i];
        else if (arg == "--import-only")
            import_only = true;
        else if (!arg.empty() && arg[0] != '-' && in.path.empty())
            in.path = std::string(arg);
        else
            return usage();
    }
    if (in.path.empty()) return usage();
    if (weft_path.empty()) weft_path = in.path + ".weft";

    cpu_set_t all;
    CPU_ZERO(&all);
    sched_getaffinity(0, sizeof all, &all);
    if (cpu < 0)
        for (int c = 0; c < CPU_SETSIZE; ++c)
            if (CPU_ISSET(c, &all)) cpu = c;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    if (!pin(one)) {
        std::perror("sched_setaffinity");
        return 1;
    }

    struct stat st {};
    if (import_only) { // the whole import alone, `rounds` times: what to run under a profiler
        if (stat(in.path.c_str(), &st) != 0) return usage();
        for (int r = 0; r < rounds; ++r) {
            Stamp took;
            const ImportResult result = import_to_model(in.path, took);
            std::printf("import to finished Model: %.3f s CPU, %.1f MB/s of file, %llu Weft events\n",
                        took.cpu, static_cast<double>(st.st_size) / took.cpu / 1e6,
                        static_cast<unsigned long long>(result.model_events));
        }
        return 0;
    }
    if (stat(in.path.c_str(), &st) != 0 || !load_text(in.path, in.text)) {
        std::fprintf(stderr, "cannot read %s\n", in.path.c_str());
        return 1;
    }
    in.file_bytes = static_cast<uint64_t>(st.st_size);
    const double text_mb = static_cast<double>(in.text.size()) / 1e6;

    // The .weft twin, converted once (reused while newer than the JSON file).
    struct stat wst {};
    if (stat(weft_path.c_str(), &wst) != 0 || wst.st_mtime < st.st_mtime) {
        const Stamp start = Stamp::now();
        weft::format::TraceFileSink sink;
        if (!sink.open(weft_path)) {
            std::fprintf(stderr, "cannot write %s: %s\n", weft_path.c_str(), sink.error().c_str());
            return 1;
        }
        const weft::format::ReadReport report = weft::chrome::import_chrome_json(in.path, sink);
        if (report.fatal || !sink.close()) {
            std::fprintf(stderr, "converting to %s failed\n", weft_path.c_str());
            return 1;
        }
        std::printf("converted to %s in %.1f s\n", weft_path.c_str(), (Stamp::now() - start).wall);
        stat(weft_path.c_str(), &wst);
    }

    od::parser parser;
    simdjson::dom::parser dom_parser;
    std::vector<char> chunk(weft::chrome::ImportTuning{}.read_chunk);
    double sink = 0;
    std::string contents;
    uint64_t read_alone = 0; // events the text reader's fast path left to its scanner
    uint64_t json_events = 0, model_events = 0, model_bytes = 0, weft_events = 0, weft_model_bytes = 0;
    Series read, parse, dom, discard, import, weft_load, two_core_json, two_core_weft;
    std::vector<double> import_part, finish_part, text_part, parse_part, discard_text_part, discard_rest_part,
        import_rest_part;
    MemoryFigures mem_json{}, mem_json2{}, mem_weft{}, mem_discard{};
    std::vector<double> peak_json, peak_json_import, peak_json2, peak_weft, peak_discard, base_rss;

    std::vector<std::function<void()>> steps = {
        [&] {
            const Stamp s = Stamp::now();
            if (read_file(in.path, chunk) != in.file_bytes) std::fprintf(stderr, "short read\n");
            read.add(Stamp::now() - s);
        },
        [&] {
            const Stamp s = Stamp::now();
            json_events = bare_parse(parser, in.text, sink);
            parse.add(Stamp::now() - s);
        },
        [&] {
            const Stamp s = Stamp::now();
            dom_parse(dom_parser, in.text, sink);
            dom.add(Stamp::now() - s);
        },
        [&] { parse_part.push_back(text_only(in.path, read_alone)); },
        [&] {
            DiscardSink d;
            Stamp text_end;
            const Stamp s = Stamp::now();
            weft::chrome::import_chrome_json(in.path, d, mark_text_end(text_end));
            const Stamp took = Stamp::now() - s;
            discard.add(took);
            discard_text_part.push_back((text_end - s).cpu);
            discard_rest_part.push_back(took.cpu - (text_end - s).cpu);
        },
        [&] {
            Stamp took;
            const ImportResult r = import_to_model(in.path, took);
            import.add(took);
            import_part.push_back(r.import_cpu);
            finish_part.push_back(r.finish_cpu);
            text_part.push_back(r.text_cpu);
            import_rest_part.push_back(r.import_cpu - r.text_cpu);
            model_events = r.model_events;
            model_bytes = r.model_bytes;
            contents = r.contents;
        },
        [&] {
            const Stamp s = Stamp::now();
            const auto model = weft_to_model(weft_path);
            weft_load.add(Stamp::now() - s);
            weft_events = model->event_count;
            weft_model_bytes = model->memory_bytes();
        },
        [&] {
            pin(all);
            weft::format::ReadReport report;
            const Stamp s = Stamp::now();
            const auto model = weft::load_trace(in.path, report);
            two_core_json.add(Stamp::now() - s);
            pin(one);
        },
        [&] {
            pin(all);
            weft::format::ReadReport report;
            const Stamp s = Stamp::now();
            const auto model = weft::load_trace(weft_path, report);
            two_core_weft.add(Stamp::now() - s);
            pin(one);
        },
        [&] {
            mem_json = run_child("json-one-core", in.path);
            peak_json.push_back(mem_json.peak);
            peak_json_import.push_back(mem_json.import_peak);
            base_rss.push_back(mem_json.base);
        },
        [&] {
            mem_json2 = run_child("load-trace", in.path);
            peak_json2.push_back(mem_json2.peak);
        },
        [&] {
            mem_weft = run_child("load-trace", weft_path);
            peak_weft.push_back(mem_weft.peak);
        },
        [&] {
            mem_discard = run_child("json-discard", in.path);
            peak_discard.push_back(mem_discard.peak);
        },
    };
    // Interleaved: each round runs every step once, starting one step later than the round
    // before, so slow phases of a shared machine spread over all of them.
    for (int r = 0; r < rounds; ++r) {
        for (size_t k = 0; k < steps.size(); ++k) {
            steps[(static_cast<size_t>(r) + k) % steps.size()]();
            malloc_trim(0);
        }
        std::fprintf(stderr, "round %d of %d done\n", r + 1, rounds);
    }

    const double events = static_cast<double>(json_events);
    std::printf("%s: %.1f MB file, %.1f MB of JSON text, %llu events -> %llu Weft events; %s %.1f MB\n",
                in.path.c_str(), static_cast<double>(in.file_bytes) / 1e6, text_mb,
                static_cast<unsigned long long>(json_events), static_cast<unsigned long long>(model_events),
                weft_path.c_str(), static_cast<double>(wst.st_size) / 1e6);
    std::printf("model: %s\n", contents.c_str());
    std::printf(
        "one core (cpu %d), %d rounds, median CPU time [min-max], MB/s and events/s of the JSON text:\n", cpu,
        rounds);
    print_row("read from page cache", read, text_mb, events);
    print_row("bare parse (simdjson On-Demand)", parse, text_mb, events);
    print_row("bare parse (simdjson DOM)", dom, text_mb, events);
    print_row("import into a discarding sink", discard, text_mb, events);
    print_row("import to finished Model", import, text_mb, events);
    std::printf("    of which import_chrome_json %.3f s (its text phase %.3f s), finish() %.3f s\n",
                median(import_part), median(text_part), median(finish_part));
    print_row(".weft to finished Model", weft_load, text_mb, events);
    std::printf(
        "    (%llu events, %.0f MiB model: %s the JSON's)\n", static_cast<unsigned long long>(weft_events),
        static_cast<double>(weft_model_bytes) / 1048576.0,
        weft_events == model_events && weft_model_bytes == model_bytes ? "the same as" : "NOT the same as");
    // Each phase from the runs that isolate it (medians of separate runs: they need not add up).
    const double text_alone = median(parse_part), text_collect = median(discard_text_part);
    const double passes = median(discard_rest_part), ingest = median(import_rest_part) - passes;
    std::printf("  events the text reader read one at a time (off its fast path): %llu\n",
                static_cast<unsigned long long>(read_alone));
    std::printf("  phases, CPU: read+scan+parse %.3f s | collect (intern, per-thread events) %.3f s | sort, "
                "nest, pair,\n"
                "    emit records %.3f s | builder ingest %.3f s | finish %.3f s\n",
                text_alone, text_collect - text_alone, passes, ingest, median(finish_part));
    std::printf("  import / bare parse: %.2fx On-Demand, %.2fx DOM (discarding sink: %.2fx, %.2fx)\n",
                median(import.cpu) / median(parse.cpu), median(import.cpu) / median(dom.cpu),
                median(discard.cpu) / median(parse.cpu), median(discard.cpu) / median(dom.cpu));
    std::printf("two cores, load_trace, median wall [process CPU]:\n");
    std::printf("  JSON   %8.3f s [%.3f s CPU]  %8.1f MB/s wall  %7.2f M events/s\n",
                median(two_core_json.wall), median(two_core_json.cpu), text_mb / median(two_core_json.wall),
                events / median(two_core_json.wall) / 1e6);
    std::printf("  .weft  %8.3f s [%.3f s CPU]\n", median(two_core_weft.wall), median(two_core_weft.cpu));
    const double mib = 1024.0 * 1024.0;
    std::printf("memory, fresh process each, median peak resident (VmHWM; the process starts at %.0f MiB):\n",
                median(base_rss) / mib);
    std::printf("  JSON, one core               %8.0f MiB (%.0f MiB when import_chrome_json returns)\n",
                median(peak_json) / mib, median(peak_json_import) / mib);
    std::printf("  JSON, load_trace             %8.0f MiB\n", median(peak_json2) / mib);
    std::printf("  JSON, discarding sink        %8.0f MiB (the importer's own state)\n",
                median(peak_discard) / mib);
    std::printf("  .weft, load_trace            %8.0f MiB\n", median(peak_weft) / mib);
    std::printf("  Model::memory_bytes()        %8.0f MiB (%.1f B per JSON event)\n",
                static_cast<double>(model_bytes) / mib, static_cast<double>(model_bytes) / events);
    std::printf("  JSON / .weft peak: %.2fx one core, %.2fx load_trace; JSON peak / model: %.2fx\n",
                median(peak_json) / median(peak_weft), median(peak_json2) / median(peak_weft),
                median(peak_json) / static_cast<double>(model_bytes));
    if (sink == 0.5) std::printf("\n"); // keeps the parse's results alive
    return 0;
}

#pragma once
// The 10M-event trace the benchmarks read: the file named by $WEFT_BENCH_TRACE, else one generated
// once (seed 2024) into a temporary directory that is removed with this object.

#include "synth/synthetic_trace.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace weft::bench {

inline constexpr uint64_t kTraceEvents = 10'000'000;

struct BenchTrace {
    std::string path;
    std::filesystem::path temp_dir;

    explicit BenchTrace(const char* file_name) {
        if (const char* env = std::getenv("WEFT_BENCH_TRACE"); env && *env) {
            path = env;
            return;
        }
        std::string templ = (std::filesystem::temp_directory_path() / "weft-bench-XXXXXX").string();
        if (!mkdtemp(templ.data())) {
            std::perror("mkdtemp");
            std::exit(1);
        }
        temp_dir = templ;
        path = (temp_dir / file_name).string();
        synth::SynthOptions options;
        options.events = kTraceEvents;
        options.seed = 2024;
        synth::SynthResult result;
        std::string error;
        if (!synth::generate_trace(options, path, result, error)) {
            std::fprintf(stderr, "generating the benchmark trace failed: %s\n", error.c_str());
            std::exit(1);
        }
    }
    ~BenchTrace() { remove(); }
    BenchTrace(const BenchTrace&) = delete;
    BenchTrace& operator=(const BenchTrace&) = delete;

    // Removes a generated trace now (a trace given by the environment is left alone).
    void remove() {
        std::error_code ec;
        if (!temp_dir.empty()) std::filesystem::remove_all(temp_dir, ec);
        temp_dir.clear();
    }
};

} // namespace weft::bench

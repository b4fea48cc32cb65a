// What the process info needs from the OS, and the tick clock's calibration.

#include "weft/detail/session.h"

#include <chrono>
#include <climits>
#include <fstream>
#include <mutex>
#include <string>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

namespace weft::client::detail {

std::string executable_path() {
    char buf[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

std::string host_name() {
    char buf[256] = {};
    if (gethostname(buf, sizeof(buf) - 1) != 0) return {};
    return buf;
}

uint64_t os_thread_id() { return static_cast<uint64_t>(syscall(SYS_gettid)); }

uint64_t unix_time_ns() {
    timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

namespace {

uint64_t monotonic_ns() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

#if WEFT_CLIENT_HAS_TSC
// A TSC pair read as close together as possible with the monotonic clock: the tightest of a few tries.
void paired_read(uint64_t& tsc, uint64_t& ns) {
    uint64_t best = UINT64_MAX;
    for (int i = 0; i < 5; ++i) {
        const uint64_t t0 = __rdtsc();
        const uint64_t n = monotonic_ns();
        const uint64_t t1 = __rdtsc();
        if (t1 - t0 < best) {
            best = t1 - t0;
            tsc = t0 + (t1 - t0) / 2;
            ns = n;
        }
    }
}
#endif

} // namespace

bool tsc_usable() {
#if WEFT_CLIENT_HAS_TSC
    // Only an invariant TSC (same rate in every P-state, ticking in deep C-states) measures time.
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line)) {
        if (line.rfind("flags", 0) == 0)
            return line.find(" constant_tsc") != std::string::npos && line.find(" nonstop_tsc") != std::string::npos;
    }
#endif
    return false;
}

uint64_t calibrate_clock(bool use_tsc) {
    if (!use_tsc) return 1'000'000'000u;
#if WEFT_CLIENT_HAS_TSC
    // Once per process: the rate does not change, and later sessions should not pay the wait.
    static std::once_flag once;
    static uint64_t frequency = 0;
    std::call_once(once, [] {
        uint64_t tsc0 = 0, ns0 = 0, tsc1 = 0, ns1 = 0;
        paired_read(tsc0, ns0);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        paired_read(tsc1, ns1);
        const double rate = static_cast<double>(tsc1 - tsc0) * 1e9 / static_cast<double>(ns1 - ns0);
        frequency = rate > 1e6 ? static_cast<uint64_t>(rate + 0.5) : 0;
    });
    return frequency;
#else
    return 0;
#endif
}

} // namespace weft::client::detail

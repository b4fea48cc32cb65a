#include "format/pages.h"

#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace weft::format {

namespace {

// Below this, a range is left to fault in page by page: the system call would cost as much.
constexpr size_t kThreshold = size_t{64} << 10;
constexpr uintptr_t kPage = 4096;

#if defined(__linux__) && !defined(MADV_POPULATE_WRITE)
constexpr int MADV_POPULATE_WRITE = 23; // Linux 5.14; older kernels refuse it
#endif

} // namespace

void populate_pages(void* p, size_t bytes) {
#if defined(__linux__)
    if (!p || bytes < kThreshold) return;
    // Only whole pages inside the range: the partial ones at its edges may lie past a mapping.
    const auto begin = (reinterpret_cast<uintptr_t>(p) + kPage - 1) / kPage * kPage;
    const auto end = (reinterpret_cast<uintptr_t>(p) + bytes) / kPage * kPage;
    if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)bytes;
#endif
}

} // namespace weft::format

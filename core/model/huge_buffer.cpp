#include "model/huge_buffer.h"

#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace weft::detail {

namespace {

// Below this, malloc's own arenas do better than a mapping of our own.
constexpr size_t kMapThreshold = size_t{1} << 20;
constexpr size_t kPage = 4096;
constexpr size_t kHugePage = size_t{2} << 20;

size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

} // namespace

void advise_huge_pages(const void* p, size_t bytes) {
#if defined(MADV_HUGEPAGE)
    if (!p || bytes < 2 * kHugePage) return;
    // madvise wants a page-aligned start; the kernel then uses huge pages for every aligned 2 MiB
    // inside the range.
    const auto begin = round_up(reinterpret_cast<uintptr_t>(p), kPage);
    const auto end = (reinterpret_cast<uintptr_t>(p) + bytes) / kPage * kPage;
    if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}

void* buffer_allocate(size_t bytes, bool& mapped) {
#if defined(__linux__)
    if (bytes >= kMapThreshold) {
        const size_t len = round_up(bytes, kPage);
        void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        advise_huge_pages(p, len);
        mapped = true;
        return p;
    }
#endif
    void* p = std::malloc(bytes);
    if (!p) throw std::bad_alloc();
    mapped = false;
    return p;
}

void* buffer_grow(void* p, size_t old_bytes, size_t new_bytes, bool& mapped) {
#if defined(__linux__)
    if (mapped) {
        void* q = mremap(p, round_up(old_bytes, kPage), round_up(new_bytes, kPage), MREMAP_MAYMOVE);
        if (q == MAP_FAILED) throw std::bad_alloc();
        advise_huge_pages(q, round_up(new_bytes, kPage));
        return q;
    }
    if (new_bytes >= kMapThreshold) {
        bool now_mapped = false;
        void* q = buffer_allocate(new_bytes, now_mapped);
        std::memcpy(q, p, old_bytes);
        std::free(p);
        mapped = now_mapped;
        return q;
    }
#endif
    void* q = std::realloc(p, new_bytes);
    if (!q) throw std::bad_alloc();
    mapped = false;
    return q;
}

void buffer_free(void* p, size_t bytes, bool mapped) {
#if defined(__linux__)
    if (mapped) {
        munmap(p, round_up(bytes, kPage));
        return;
    }
#endif
    (void)bytes;
    std::free(p);
}

} // namespace weft::detail

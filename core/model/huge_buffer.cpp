#include "model/huge_buffer.h"

#include "format/pages.h"

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

#if defined(__linux__)
// An anonymous mapping of `len` bytes (a multiple of kHugePage) starting on a huge-page boundary,
// advised for huge pages: every page of it can then be a huge page.
void* map_aligned(size_t len) {
    void* raw = mmap(nullptr, len + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const auto at = reinterpret_cast<uintptr_t>(raw);
    const uintptr_t begin = round_up(at, kHugePage);
    if (begin > at) munmap(raw, begin - at);
    const size_t tail = at + len + kHugePage - (begin + len);
    if (tail > 0) munmap(reinterpret_cast<void*>(begin + len), tail);
    void* p = reinterpret_cast<void*>(begin);
    advise_huge_pages(p, len);
    return p;
}
#endif

} // namespace

void advise_huge_pages(const void* p, size_t bytes) {
#if defined(MADV_HUGEPAGE)
    if (!p || bytes < kHugePage) return;
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

void prepare_pages(void* p, size_t bytes) {
    advise_huge_pages(p, bytes); // first, so that populating takes huge pages where it can
    format::populate_pages(p, bytes);
}

void* buffer_allocate(size_t& bytes, bool& mapped) {
#if defined(__linux__)
    if (bytes >= kMapThreshold) {
        bytes = round_up(bytes, kHugePage);
        void* p = map_aligned(bytes);
        mapped = true;
        return p;
    }
#endif
    void* p = std::malloc(bytes);
    if (!p) throw std::bad_alloc();
    mapped = false;
    return p;
}

void* buffer_grow(void* p, size_t old_bytes, size_t& new_bytes, bool& mapped) {
#if defined(__linux__)
    if (mapped) {
        const size_t old_len = round_up(old_bytes, kHugePage);
        new_bytes = round_up(new_bytes, kHugePage);
        // In place when the addresses after the block are free; otherwise the block's pages move
        // (page tables only) to the start of a fresh aligned mapping, so huge pages are not split.
        void* q = mremap(p, old_len, new_bytes, 0);
        if (q != MAP_FAILED) {
            advise_huge_pages(q, new_bytes);
            return q;
        }
        void* to = map_aligned(new_bytes);
        q = mremap(p, old_len, old_len, MREMAP_MAYMOVE | MREMAP_FIXED, to);
        if (q == MAP_FAILED) {
            munmap(to, new_bytes);
            throw std::bad_alloc();
        }
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
        munmap(p, round_up(bytes, kHugePage));
        return;
    }
#endif
    (void)bytes;
    std::free(p);
}

} // namespace weft::detail

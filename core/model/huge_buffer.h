#pragma once
// Memory for the builder's large arrays. Loading a trace writes hundreds of megabytes of fresh
// memory, and on many kernels (virtual machines above all) first-touch page faults cost more than
// the work done on the data: around 10 us per 4 KiB page, several ns per byte. Asking for
// transparent huge pages (where the kernel offers them on request) cuts that by an order of
// magnitude, and growing append-only buffers with mremap instead of copy-and-free means each byte
// is faulted in once. Internal to core/model.

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace weft::detail {

// Marks [p, p + bytes) as a good place for huge pages. Cheap to call; does nothing for small ranges
// or where the system has no such advice. The memory stays valid and owned by whoever allocated it.
void advise_huge_pages(const void* p, size_t bytes);

// Makes [p, p + bytes), about to be written in full, resident in one system call: huge pages where
// the range allows, the rest populated in bulk (format/pages.h says why that pays). Does nothing
// for small ranges.
void prepare_pages(void* p, size_t bytes);

// Reserves exactly `n` elements and prepares their pages before anything is written there. Final
// Model arrays use this: they are sized once.
template <class T>
void reserve_exact(std::vector<T>& v, size_t n) {
    if (n <= v.capacity()) return;
    v.reserve(n);
    prepare_pages(v.data(), v.capacity() * sizeof(T));
}

// Reserves exactly `n` elements but leaves their pages to be prepared part by part, each just
// before it is written (prepare_next): for a final array filled from buffers that are freed as it
// fills, so that the buffers' pages are given back before the array's are taken and the two are
// never all resident at once.
template <class T>
void reserve_in_parts(std::vector<T>& v, size_t n) {
    if (n <= v.capacity()) return;
    v.reserve(n);
    advise_huge_pages(v.data(), v.capacity() * sizeof(T));
}

// Prepares the pages of the `count` elements that will follow v's last (within its capacity).
template <class T>
void prepare_next(std::vector<T>& v, size_t count) {
    count = std::min(count, v.capacity() - v.size());
    prepare_pages(v.data() + v.size(), count * sizeof(T));
}

// A vector of `n` copies of `value` whose pages were prepared first: for the finishing passes'
// scratch arrays, which are as large as the trace and written once in full.
template <class T>
std::vector<T> filled_vector(size_t n, const T& value) {
    std::vector<T> v;
    reserve_exact(v, n);
    v.resize(n, value);
    return v;
}

// A prepared copy of [first, last).
template <class It>
auto copied_vector(It first, It last) {
    std::vector<typename std::iterator_traits<It>::value_type> v;
    reserve_exact(v, static_cast<size_t>(last - first));
    v.assign(first, last);
    return v;
}

// Raw pages for an append-only buffer: large blocks come straight from mmap, aligned to and sized
// in whole huge pages (with huge-page advice), and grow with mremap, which moves page tables rather
// than bytes, to an aligned place so that huge pages stay whole. `bytes` is raised to what the
// block can really hold.
void* buffer_allocate(size_t& bytes, bool& mapped);
void* buffer_grow(void* p, size_t old_bytes, size_t& new_bytes, bool& mapped);
void buffer_free(void* p, size_t bytes, bool mapped);

// A growable array of trivially copyable values for the builder's transient per-event data.
// Pointers into it are invalidated by growth, like std::vector's.
template <class T>
class PodBuffer {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

public:
    PodBuffer() = default;
    // Copyable, so the builder state stays copyable (a snapshot can finish a copy of it).
    PodBuffer(const PodBuffer& o) { assign(o); }
    PodBuffer& operator=(const PodBuffer& o) {
        if (this != &o) {
            clear();
            assign(o);
        }
        return *this;
    }
    PodBuffer(PodBuffer&& o) noexcept { swap(o); }
    PodBuffer& operator=(PodBuffer&& o) noexcept {
        if (this != &o) {
            release();
            swap(o);
        }
        return *this;
    }
    ~PodBuffer() { release(); }

    // Inlined into the builder's event code; growing stays a call.
    [[gnu::always_inline]] void push_back(const T& value) {
        if (m_size == m_capacity) grow(m_size + 1);
        new (m_data + m_size) T(value);
        ++m_size;
    }
    void reserve(size_t n) {
        if (n > m_capacity) grow(n);
    }
    // Grows to n elements; new elements are value-initialised.
    void resize(size_t n) {
        reserve(n);
        for (size_t i = m_size; i < n; ++i) new (m_data + i) T();
        m_size = n;
    }
    // Grows to n elements left unwritten: for arrays filled by scattered writes right after.
    void resize_for_overwrite(size_t n) {
        reserve(n);
        m_size = n;
    }
    void pop_back() { --m_size; }
    void clear() { m_size = 0; }
    void release() {
        if (m_data) buffer_free(m_data, m_capacity * sizeof(T), m_mapped);
        m_data = nullptr;
        m_size = m_capacity = 0;
        m_mapped = false;
    }

    size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    T* data() { return m_data; }
    const T* data() const { return m_data; }
    T* begin() { return m_data; }
    T* end() { return m_data + m_size; }
    const T* begin() const { return m_data; }
    const T* end() const { return m_data + m_size; }
    T& operator[](size_t i) { return m_data[i]; }
    const T& operator[](size_t i) const { return m_data[i]; }
    T& back() { return m_data[m_size - 1]; }
    const T& back() const { return m_data[m_size - 1]; }

private:
    void assign(const PodBuffer& o) {
        reserve(o.m_size);
        if (o.m_size) std::memcpy(static_cast<void*>(m_data), o.m_data, o.m_size * sizeof(T));
        m_size = o.m_size;
    }
    void swap(PodBuffer& o) noexcept {
        std::swap(m_data, o.m_data);
        std::swap(m_size, o.m_size);
        std::swap(m_capacity, o.m_capacity);
        std::swap(m_mapped, o.m_mapped);
    }
    [[gnu::noinline]] void grow(size_t need) {
        size_t cap = m_capacity < 64 ? 64 : m_capacity * 2;
        while (cap < need) cap *= 2;
        if (cap > static_cast<size_t>(-1) / sizeof(T) / 2) throw std::bad_alloc();
        size_t bytes = cap * sizeof(T);
        void* p = m_data ? buffer_grow(m_data, m_capacity * sizeof(T), bytes, m_mapped)
                         : buffer_allocate(bytes, m_mapped);
        m_data = static_cast<T*>(p);
        m_capacity = bytes / sizeof(T);
    }

    T* m_data = nullptr;
    size_t m_size = 0;
    size_t m_capacity = 0;
    bool m_mapped = false;
};

} // namespace weft::detail

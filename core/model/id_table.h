#pragma once
// An open-addressing hash map from (process, 64-bit id) to a 32-bit index: the builder's task
// lookup. Linear probing over a power-of-two table kept at most half full; no per-insert
// allocation, no deletion (ids are never forgotten while building).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace weft {

class IdTable {
public:
    static constexpr uint32_t kNone = 0xFFFFFFFFu;

    // The index stored for (process, id), or kNone.
    uint32_t find(uint32_t process, uint64_t id) const {
        if (m_slots.empty()) return kNone;
        for (size_t i = slot_of(process, id);; i = (i + 1) & m_mask) {
            const Slot& s = m_slots[i];
            if (s.index == kNone) return kNone;
            if (s.id == id && s.process == process) return s.index;
        }
    }

    // The index stored for (process, id); stores `index_if_new` first when absent. `inserted` says which.
    uint32_t find_or_insert(uint32_t process, uint64_t id, uint32_t index_if_new, bool& inserted) {
        if ((m_size + 1) * 2 > m_slots.size()) grow();
        for (size_t i = slot_of(process, id);; i = (i + 1) & m_mask) {
            Slot& s = m_slots[i];
            if (s.index == kNone) {
                s = Slot{id, process, index_if_new};
                ++m_size;
                inserted = true;
                return index_if_new;
            }
            if (s.id == id && s.process == process) {
                inserted = false;
                return s.index;
            }
        }
    }

    size_t size() const { return m_size; }
    void reserve(size_t n) {
        while ((n + 1) * 2 > m_slots.size()) grow();
    }
    void clear() {
        std::vector<Slot>().swap(m_slots);
        m_size = 0;
        m_mask = 0;
    }

private:
    struct Slot {
        uint64_t id = 0;
        uint32_t process = 0;
        uint32_t index = kNone;
    };

    size_t slot_of(uint32_t process, uint64_t id) const {
        uint64_t h = (id ^ (uint64_t(process) << 48)) * 0x9E3779B97F4A7C15ull;
        return static_cast<size_t>(h >> 32) & m_mask;
    }

    void grow() {
        std::vector<Slot> old;
        old.swap(m_slots);
        const size_t capacity = old.empty() ? 1024 : old.size() * 2;
        m_slots.assign(capacity, Slot{});
        m_mask = capacity - 1;
        m_size = 0;
        for (const Slot& s : old) {
            if (s.index == kNone) continue;
            bool inserted = false;
            find_or_insert(s.process, s.id, s.index, inserted);
        }
    }

    std::vector<Slot> m_slots;
    size_t m_size = 0;
    size_t m_mask = 0;
};

} // namespace weft

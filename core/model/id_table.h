#pragma once
// An open-addressing hash map from (process, 64-bit id) to a 32-bit index: the builder's task
// lookup. Linear probing over a power-of-two table kept at most half full; no per-insert
// allocation, no deletion (ids are never forgotten while building).

#include "model/huge_buffer.h"

#include <cstddef>
#include <cstdint>
#include <utility>
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

    // Removes the entries for which pred(process, id, index) holds, calling take(process, id, index)
    // on each first. Rebuilds the table: meant for rare bulk moves, not per-event use.
    template <class Pred, class Take>
    void extract_if(Pred pred, Take take) {
        std::vector<Slot> old;
        old.swap(m_slots);
        m_size = 0;
        m_mask = 0;
        for (const Slot& s : old) {
            if (s.index == kNone) continue;
            if (pred(s.process, s.id, s.index)) {
                take(s.process, s.id, s.index);
                continue;
            }
            bool inserted = false;
            find_or_insert(s.process, s.id, s.index, inserted);
        }
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

// Task id -> builder index. Producers number tasks with a counter from 1, so per process a plain
// array indexed by id answers almost every lookup with one load from memory that stays hot (recent
// ids are neighbours). Ids the array does not cover go to the hash table. The array only grows while
// at least one slot in kDensity is used, so sparse or hostile ids cost a hash lookup, never memory.
class TaskIdMap {
public:
    static constexpr uint32_t kNone = IdTable::kNone;

    uint32_t find(uint32_t process, uint64_t id) const {
        if (process < m_dense.size() && id < m_dense[process].size()) return m_dense[process][id];
        return m_sparse.find(process, id);
    }

    uint32_t find_or_insert(uint32_t process, uint64_t id, uint32_t index_if_new, bool& inserted) {
        if (process < m_dense.size()) {
            std::vector<uint32_t>& dense = m_dense[process];
            if (id < dense.size()) {
                uint32_t& slot = dense[id];
                inserted = slot == kNone;
                if (inserted) {
                    slot = index_if_new;
                    ++m_count[process];
                }
                return slot;
            }
        }
        return insert_slow(process, id, index_if_new, inserted);
    }

    void clear() {
        std::vector<std::vector<uint32_t>>().swap(m_dense);
        std::vector<uint64_t>().swap(m_count);
        m_sparse.clear();
    }

private:
    static constexpr uint64_t kMinDense = 1024;
    static constexpr uint64_t kDensity = 8;

    uint32_t insert_slow(uint32_t process, uint64_t id, uint32_t index_if_new, bool& inserted) {
        if (process >= m_dense.size()) {
            m_dense.resize(process + 1);
            m_count.resize(process + 1, 0);
        }
        std::vector<uint32_t>& dense = m_dense[process];
        uint64_t cap = dense.empty() ? kMinDense : dense.size();
        while (cap <= id && cap < (uint64_t{1} << 40)) cap *= 2;
        if (cap > id && cap <= kMinDense + kDensity * (m_count[process] + 1)) {
            const uint64_t old = dense.size();
            detail::reserve_exact(dense, static_cast<size_t>(cap));
            dense.resize(cap, kNone);
            // Ids of this process that the hash table holds and the array now covers move over, so
            // each id lives in exactly one place.
            if (m_sparse.size() > 0) {
                m_sparse.extract_if(
                    [&](uint32_t p, uint64_t i, uint32_t) { return p == process && i >= old && i < cap; },
                    [&](uint32_t, uint64_t i, uint32_t index) { dense[i] = index; });
            }
            uint32_t& slot = dense[id];
            inserted = slot == kNone;
            if (inserted) {
                slot = index_if_new;
                ++m_count[process];
            }
            return slot;
        }
        const uint32_t index = m_sparse.find_or_insert(process, id, index_if_new, inserted);
        if (inserted) ++m_count[process];
        return index;
    }

    std::vector<std::vector<uint32_t>> m_dense; // per builder process, indexed by id
    std::vector<uint64_t> m_count;              // ids known per process, dense or not
    IdTable m_sparse;
};

} // namespace weft

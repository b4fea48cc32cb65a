#pragma once
// Gives the fields of each event their trace-event meaning (docs/FORMAT.md, "Importing Chrome
// trace-event JSON") and keeps them in the ImportState: phases, units, process and thread
// identities, ids, metadata, counters' values, stack frames. Events that cannot be used are
// reported with their offset, or counted by kind in ImportState::notes, never stopping the read.

#include "io/chrome/import_state.h"
#include "io/chrome/json_value_reader.h"
#include "io/chrome/trace_text_reader.h"

#include <unordered_map>

namespace weft::chrome {

class TraceCollector final : public TraceTextConsumer {
public:
    explicit TraceCollector(ImportState& state) : m_st(state) {}

    void event(const EventFields& f, ArrayKind array) override;
    void top_level_value(std::string_view key, std::string_view json, uint64_t offset) override;

    // Problems with single events, by offset (at most kMaxReported; the rest are counted).
    std::vector<format::FormatError>& problems() { return m_problems; }
    uint64_t skipped_events() const { return m_skipped; }
    uint64_t events() const { return m_events; }

    static constexpr size_t kMaxReported = 100;

private:
    struct WhoKey {
        uint64_t number;
        uint32_t name; // string id when named, else 0
        bool operator==(const WhoKey&) const = default;
    };
    struct PairHash {
        size_t operator()(const std::pair<uint32_t, WhoKey>& k) const noexcept {
            return static_cast<size_t>((uint64_t(k.first) * 0x9E3779B97F4A7C15ull) ^ (k.second.number * 0xC2B2AE3D27D4EB4Full) ^
                                       k.second.name);
        }
    };
    struct WhoHash {
        size_t operator()(const WhoKey& k) const noexcept {
            return static_cast<size_t>((k.number * 0x9E3779B97F4A7C15ull) ^ (uint64_t(k.name) << 17));
        }
    };

    void skip(uint64_t offset, std::string reason);
    WhoKey who(const ProcessOrThreadId& id);
    uint32_t process_for(WhoKey pid);
    uint32_t thread_for(const EventFields& f);
    uint32_t group_for(const GroupKey& key);
    uint32_t id_text(const EventId& id);
    void metadata(const EventFields& f);
    void counter(const EventFields& f, ThreadRecord& thread, RawEvent e);
    void sample_entry(const EventFields& f);
    void v8_profile(const EventFields& f, uint32_t thread, uint32_t process);

    ImportState& m_st;
    std::unordered_map<WhoKey, uint32_t, WhoHash> m_process_ids;
    std::unordered_map<std::pair<uint32_t, WhoKey>, uint32_t, PairHash> m_thread_ids;
    // Open addressing over ImportState::groups: each slot a group id (0: empty) with the top half
    // of its key's hash above it. A power of two long, at most half full.
    std::vector<uint64_t> m_group_slots = std::vector<uint64_t>(1024, 0);
    std::unordered_map<uint64_t, uint32_t> m_profile_ids; // (process, id) -> V8 profile
    // The last thread looked up by number: consecutive events mostly come from one thread.
    uint64_t m_last_pid = ~uint64_t{0}, m_last_tid = ~uint64_t{0};
    uint32_t m_last_thread = 0;
    bool m_last_valid = false;
    std::vector<format::FormatError> m_problems;
    uint64_t m_skipped = 0;
    uint64_t m_events = 0;
    JsonValueReader m_values;
    std::string m_id_scratch;
};

} // namespace weft::chrome

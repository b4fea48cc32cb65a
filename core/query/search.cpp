#include "query/search.h"

#include "query/text_match.h"

#include "query/draw_list.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <tuple>

namespace weft {

namespace {

using Kind = Selection::Kind;

// Items between two looks at the cancel flag: cheap next to the work, short enough that a
// dropped search stops within a fraction of a millisecond.
constexpr size_t kCancelStride = 4096;

// Why two phases: a trace of ten million items names far fewer distinct strings and locations
// (names are interned), so each string and location is tested once and the items are then a
// linear pass of table lookups, rather than ten million substring searches.
//
// Each string is decided on first use rather than by scanning Model::strings up front: imported
// traces keep every event's JSON arguments there, often most of the strings, and no search reads
// them.
class StringMatches {
public:
    StringMatches(const Model& model, TextMatcher& matcher)
        : m_model(model), m_matcher(matcher), m_state(model.strings.size(), kUntested) {}

    bool operator()(StringId id) {
        if (id.value >= m_state.size()) return false;
        uint8_t& state = m_state[id.value];
        if (state == kUntested) state = m_matcher(m_model.strings[id.value]) ? kYes : kNo;
        return state == kYes;
    }

private:
    enum : uint8_t { kUntested, kNo, kYes };
    const Model& m_model;
    TextMatcher& m_matcher;
    std::vector<uint8_t> m_state;
};

// Which parts of each location hold the text, decided once per location on first use.
class LocationMatches {
public:
    static constexpr uint8_t kName = 2;  // its name (a function, a span's name)
    static constexpr uint8_t kLabel = 4; // "file:line", as Model::location_label writes it

    LocationMatches(const Model& model, TextMatcher& matcher, StringMatches& strings)
        : m_model(model), m_matcher(matcher), m_strings(strings), m_state(model.locations.size(), 0) {}

    // kName | kLabel bits of the location; 0 for none, LocationId{0} and ids past the table.
    uint8_t operator()(LocationId id) {
        if (id.value == 0 || id.value >= m_state.size()) return 0;
        uint8_t& state = m_state[id.value];
        if (state == 0) state = kTested | test(m_model.locations[id.value]);
        return state & (kName | kLabel);
    }

private:
    static constexpr uint8_t kTested = 1;

    uint8_t test(const Location& loc) {
        uint8_t bits = m_strings(loc.name) ? kName : 0;
        // A file that holds the text makes its label hold it; only a text reaching into ":line"
        // needs the label itself.
        if (m_strings(loc.file)) return bits | kLabel;
        if (loc.line == 0) return bits;
        m_label.assign(m_model.string(loc.file));
        char digits[16];
        const auto end = std::to_chars(digits, digits + sizeof digits, loc.line).ptr;
        m_label += ':';
        m_label.append(digits, end);
        return m_matcher(m_label) ? bits | kLabel : bits;
    }

    const Model& m_model;
    TextMatcher& m_matcher;
    StringMatches& m_strings;
    std::vector<uint8_t> m_state;
    std::string m_label;
};

struct Hit {
    Time begin;
    Kind kind;
    uint32_t index;
};
bool operator<(const Hit& a, const Hit& b) {
    return std::tie(a.begin, a.kind, a.index) < std::tie(b.begin, b.kind, b.index);
}

// Keeps the `cap` earliest hits in memory bounded by 2 x cap: when the buffer fills, the later
// half is dropped (nth_element, linear), which can never drop one of the earliest `cap`.
class HitCollector {
public:
    explicit HitCollector(size_t cap) : m_cap(cap) {}

    void add(Time begin, Kind kind, uint32_t index) {
        if (m_cap == 0) return;
        m_hits.push_back({begin, kind, index});
        if (m_hits.size() >= 2 * m_cap) keep_earliest();
    }
    std::vector<Hit> take_sorted() {
        if (m_hits.size() > m_cap) keep_earliest();
        std::sort(m_hits.begin(), m_hits.end());
        return std::move(m_hits);
    }

private:
    void keep_earliest() {
        std::nth_element(m_hits.begin(), m_hits.begin() + static_cast<ptrdiff_t>(m_cap), m_hits.end());
        m_hits.resize(m_cap);
    }

    size_t m_cap;
    std::vector<Hit> m_hits;
};

class Search {
public:
    Search(const Model& model, std::string_view text, const SearchOptions& options)
        : m_model(model), m_matcher(text), m_strings(model, m_matcher),
          m_locations(model, m_matcher, m_strings), m_hits(options.max_matches), m_cancel(options.cancel) {}

    // False when cancelled.
    bool run(SearchCounts& counts) {
        const Model& m = m_model;
        auto& str = m_strings;
        auto& loc = m_locations;
        constexpr uint8_t kAny = LocationMatches::kName | LocationMatches::kLabel;
        return scan(m.tasks.size(), Kind::Task, counts.tasks,
                    [&](size_t i) {
                        const Task& t = m.tasks[i];
                        // The name is asyncio's "Task-3" when it was given none: the display name
                        // is then the coroutine's, and both are searched.
                        return str(t.name) || str(t.coro_name) ||
                               (loc(t.spawn_location) & LocationMatches::kLabel);
                    }) &&
               scan(m.async_spans.size(), Kind::AsyncSpan, counts.async_spans,
                    [&](size_t i) { return str(m.async_spans[i].name); }) &&
               scan(m.thread_spans.size(), Kind::ThreadSpan, counts.thread_spans,
                    [&](size_t i) { return str(m.thread_spans[i].name); }) &&
               scan(m.awaits.size(), Kind::AwaitPoint, counts.awaits,
                    [&](size_t i) {
                        const AwaitPoint& a = m.awaits[i];
                        return str(a.awaitable) || (loc(a.location) & kAny);
                    }) &&
               scan(m.blocking.size(), Kind::Blocking, counts.blocking,
                    [&](size_t i) { return stack_matches(m.blocking[i].frames); }) &&
               scan(m.instants.size(), Kind::Instant, counts.instants,
                    [&](size_t i) { return loc(m.instants[i].location) & LocationMatches::kName; });
    }

    std::vector<Hit> take_hits() { return m_hits.take_sorted(); }

private:
    bool cancelled() const { return m_cancel && m_cancel->load(std::memory_order_relaxed); }

    template <class Test> bool scan(size_t n, Kind kind, uint64_t& count, Test&& test) {
        for (size_t first = 0; first < n; first += kCancelStride) {
            if (cancelled()) return false;
            const size_t last = std::min(n, first + kCancelStride);
            for (size_t i = first; i < last; ++i) {
                if (!test(i)) continue;
                ++count;
                const auto index = static_cast<uint32_t>(i);
                m_hits.add(selection_range(m_model, {kind, index}).begin, kind, index);
            }
        }
        return true;
    }

    bool stack_matches(Range frames) {
        const size_t end = std::min<size_t>(frames.end(), m_model.frames.size());
        for (size_t f = frames.first; f < end; ++f)
            if (m_locations(m_model.frames[f])) return true;
        return false;
    }

    const Model& m_model;
    TextMatcher m_matcher;
    StringMatches m_strings;
    LocationMatches m_locations;
    HitCollector m_hits;
    const std::atomic<bool>* m_cancel;
};

} // namespace

SearchResult search_trace(const Model& model, std::string_view text, const SearchOptions& options) {
    SearchResult result;
    if (text.empty()) return result;
    Search search(model, text, options);
    SearchCounts counts;
    if (!search.run(counts)) {
        result.cancelled = true;
        return result;
    }
    const std::vector<Hit> hits = search.take_hits();
    result.matches.reserve(hits.size());
    result.begins.reserve(hits.size());
    for (const Hit& h : hits) {
        result.matches.push_back({h.kind, h.index});
        result.begins.push_back(h.begin);
    }
    result.counts = counts;
    result.capped = counts.total() > hits.size();
    return result;
}

size_t next_match(const SearchResult& result, size_t current) {
    const size_t n = result.matches.size();
    if (n == 0) return kNoMatch;
    return current >= n ? 0 : (current + 1) % n;
}

size_t previous_match(const SearchResult& result, size_t current) {
    const size_t n = result.matches.size();
    if (n == 0) return kNoMatch;
    return current >= n ? n - 1 : (current + n - 1) % n;
}

size_t next_match_at(const SearchResult& result, Time time) {
    if (result.begins.empty()) return kNoMatch;
    const auto it = std::lower_bound(result.begins.begin(), result.begins.end(), time);
    return it == result.begins.end() ? 0 : static_cast<size_t>(it - result.begins.begin());
}

size_t previous_match_at(const SearchResult& result, Time time) {
    if (result.begins.empty()) return kNoMatch;
    const auto it = std::lower_bound(result.begins.begin(), result.begins.end(), time);
    return it == result.begins.begin() ? result.begins.size() - 1
                                       : static_cast<size_t>(it - result.begins.begin()) - 1;
}

size_t find_match(const Model& model, const SearchResult& result, Selection selection) {
    const TimeRange range = selection_range(model, selection);
    if (!range.valid() || result.matches.size() != result.begins.size()) return kNoMatch;
    const Hit key{range.begin, selection.kind, selection.index};
    size_t lo = 0, hi = result.matches.size();
    while (lo < hi) { // the first match not before `key`, in the order the result is sorted by
        const size_t mid = lo + (hi - lo) / 2;
        const Hit at{result.begins[mid], result.matches[mid].kind, result.matches[mid].index};
        if (at < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < result.matches.size() && result.matches[lo] == selection ? lo : kNoMatch;
}

} // namespace weft

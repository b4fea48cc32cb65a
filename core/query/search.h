#pragma once
// "Find" over a whole trace: every task, async span, thread span, await point, blocking event and
// instant whose text holds the query, as selections sorted by time, and where "next" and
// "previous" go from what the user looks at.
//
// What matches (case-insensitive substring; ASCII letters fold, other bytes compare as they are):
//   task         its name (asyncio's "Task-3" too), its coroutine's name, its spawn "file:line"
//   async span   its name
//   thread span  its name
//   await point  its awaitable, its location's name or "file:line"
//   blocking     any frame of its stack: the frame's name or "file:line"
//   instant      its location's name

#include "model/model.h"
#include "query/selection.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace weft {

struct SearchOptions {
    // At most this many matches are kept (the earliest by time); the counts stay exact past it.
    size_t max_matches = 1'000'000;
    // Polled every few thousand items: when it turns true the search stops and returns an empty,
    // `cancelled` result. The viewer drops a search the user typed past this way.
    const std::atomic<bool>* cancel = nullptr;
};

// Matches per kind, counted in full even when the kept list is capped.
struct SearchCounts {
    uint64_t tasks = 0;
    uint64_t async_spans = 0;
    uint64_t thread_spans = 0;
    uint64_t awaits = 0;
    uint64_t blocking = 0;
    uint64_t instants = 0;
    uint64_t total() const { return tasks + async_spans + thread_spans + awaits + blocking + instants; }
};

struct SearchResult {
    // By begin time (selection_range's), then kind, then index: a stable order for next/previous.
    std::vector<Selection> matches;
    std::vector<Time> begins; // begins[i] is the begin time of matches[i]
    SearchCounts counts;
    bool capped = false;    // counts.total() > matches.size()
    bool cancelled = false; // stopped by SearchOptions::cancel; nothing else is filled in

    uint64_t total() const { return counts.total(); }
    bool empty() const { return matches.empty(); }
};

// Every item of `model` whose text holds `text` (see the top of this file). Empty text matches
// nothing. Linear in the items and the distinct strings they name; safe to run on any thread
// while the model is alive (it is immutable).
SearchResult search_trace(const Model& model, std::string_view text, const SearchOptions& options = {});

// Navigation over a result's matches. All return kNoMatch when there are no matches, and wrap
// around at either end.
inline constexpr size_t kNoMatch = static_cast<size_t>(-1);

// The match after / before match `current`; from kNoMatch, the first / the last.
size_t next_match(const SearchResult& result, size_t current);
size_t previous_match(const SearchResult& result, size_t current);

// From a point in time, as if a cursor stood just before the items beginning at `time`: the first
// match beginning at or after it / the last match beginning before it.
size_t next_match_at(const SearchResult& result, Time time);
size_t previous_match_at(const SearchResult& result, Time time);

// The position of `selection` among the matches, or kNoMatch when it is not one of them. A binary
// search on its begin time.
size_t find_match(const Model& model, const SearchResult& result, Selection selection);

} // namespace weft

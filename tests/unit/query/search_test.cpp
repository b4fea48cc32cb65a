// Find over a whole trace: what each kind of item matches by, the order of the matches, the cap
// and where next/previous go.

#include "event_dsl.h"
#include "query/draw_list.h"
#include "query/search.h"

#include <atomic>
#include <gtest/gtest.h>
#include <string>
#include <tuple>
#include <vector>

using namespace weft;

namespace {

// Ticks are nanoseconds. Three tasks (one keeps asyncio's default name), a thread span, an async
// span, two awaits, a blocking event with a two-frame stack and an instant.
std::shared_ptr<const Model> sample_model() {
    return test::build_model(R"(
        thread L loop name=loop
        thread W name=worker
        L 0   create 1 name=Server at=server.py:10
        L 1   run 1
        L 5   span Parse_Request at=parse@codec.py:7 args={"q":"zebra"}
        L 8   close
        L 10  create 2 parent=1 name=Task-2 coro=handle_request at=server.py:42
        L 12  abegin 7 name=DB.Query task=1
        L 20  await 1 queue.get at=wait_loop@server.py:50
        L 20  end 1
        L 30  run 2
        L 40  await 2 sock_recv at=read@net.py:12
        L 40  end 2
        W 50  create 3 name=janitor at=cron.py:3
        W 51  run 3
        W 160 block 100 task=3 frames=sleep@time.py:1,tick@cron.py:9
        W 165 instant at=checkpoint@cron.py:20
        W 170 done 3 ok
        W 170 end 3
        L 200 aend 7
        L 210 resume 2
        L 210 run 2
        L 220 done 2 ok
        L 220 end 2
        L 300 resume 1
        L 300 run 1
        L 310 done 1 ok
        L 310 end 1
    )");
}

const char* kind_word(Selection::Kind kind) {
    switch (kind) {
    case Selection::Kind::Task:
        return "task";
    case Selection::Kind::ThreadSpan:
        return "span";
    case Selection::Kind::AsyncSpan:
        return "async";
    case Selection::Kind::AwaitPoint:
        return "await";
    case Selection::Kind::Blocking:
        return "blocking";
    case Selection::Kind::Instant:
        return "instant";
    default:
        return "other";
    }
}

// "task handle_request", "await queue.get", ... in the result's order.
std::vector<std::string> found(const Model& model, const SearchResult& result) {
    std::vector<std::string> out;
    for (const Selection& s : result.matches) {
        const std::string name = selection_name(model, s);
        // selection_name says "await queue.get" and "blocking" already.
        const bool named = s.kind == Selection::Kind::Blocking || s.kind == Selection::Kind::AwaitPoint;
        out.push_back(named ? name : kind_word(s.kind) + (" " + name));
    }
    return out;
}

std::vector<std::string> find(const Model& model, std::string_view text) {
    return found(model, search_trace(model, text));
}

using Names = std::vector<std::string>;

} // namespace

TEST(Search, EachKindMatchesByItsOwnText) {
    const auto m = sample_model();
    EXPECT_EQ(find(*m, "janitor"), Names{"task janitor"});
    EXPECT_EQ(find(*m, "parse_request"), Names{"span Parse_Request"});
    EXPECT_EQ(find(*m, "db.query"), Names{"async DB.Query"});
    EXPECT_EQ(find(*m, "queue.get"), Names{"await queue.get"});
    EXPECT_EQ(find(*m, "checkpoint"), Names{"instant checkpoint"});
    EXPECT_EQ(find(*m, "tick"), Names{"blocking"});

    const SearchResult r = search_trace(*m, "server");
    // Server by its name, handle_request by its spawn location, the await by its location.
    EXPECT_EQ(found(*m, r), (Names{"task Server", "task handle_request", "await queue.get"}));
    EXPECT_EQ(r.counts.tasks, 2u);
    EXPECT_EQ(r.counts.awaits, 1u);
    EXPECT_EQ(r.counts.thread_spans + r.counts.async_spans + r.counts.blocking + r.counts.instants, 0u);
    EXPECT_EQ(r.total(), 3u);
    EXPECT_FALSE(r.capped);
}

TEST(Search, IgnoresAsciiCase) {
    const auto m = sample_model();
    EXPECT_EQ(find(*m, "PARSE_request"), Names{"span Parse_Request"});
    EXPECT_EQ(find(*m, "Queue.Get"), Names{"await queue.get"});
    EXPECT_EQ(find(*m, "SERVER"), find(*m, "server"));
}

TEST(Search, ComparesNonAsciiBytesAsTheyAre) {
    const auto m = test::build_model(R"(
        thread L loop
        L 0 create 1 name=Größe_Straße
        L 5 create 2 name=ÜBER
    )");
    EXPECT_EQ(find(*m, "straße"), Names{"task Größe_Straße"}); // S folds, ß stays
    EXPECT_EQ(find(*m, "ÖSS"), Names{});                       // Ö is not ö
    EXPECT_EQ(find(*m, "über"), Names{});                      // nor ü Ü
    EXPECT_EQ(find(*m, "Üb"), Names{"task ÜBER"});
}

TEST(Search, ADefaultNamedTaskMatchesByCoroutineAndByDefaultName) {
    const auto m = sample_model();
    EXPECT_EQ(find(*m, "handle_req"), Names{"task handle_request"});
    EXPECT_EQ(find(*m, "task-2"), Names{"task handle_request"});
}

TEST(Search, LocationsMatchByFileLineAndName) {
    const auto m = sample_model();
    // An await by its location's "file:line", part of it, or its name.
    EXPECT_EQ(find(*m, "server.py:50"), Names{"await queue.get"});
    EXPECT_EQ(find(*m, "net.py:1"), Names{"await sock_recv"});
    EXPECT_EQ(find(*m, "wait_loop"), Names{"await queue.get"});
    // A task by its spawn "file:line", across the colon.
    EXPECT_EQ(find(*m, "py:4"), Names{"task handle_request"});
    // A blocking event by any frame of its stack: the outer one here, by name or "file:line".
    EXPECT_EQ(find(*m, "cron.py:9"), Names{"blocking"});
    EXPECT_EQ(find(*m, "sleep"), Names{"blocking"});
    // A thread span by its name only, not by its arguments.
    EXPECT_EQ(find(*m, "zebra"), Names{});
}

TEST(Search, MatchesAreSortedByBeginThenKindThenIndex) {
    const auto m = sample_model();
    const SearchResult r = search_trace(*m, "e"); // nearly everything
    ASSERT_GE(r.matches.size(), 8u);
    ASSERT_EQ(r.begins.size(), r.matches.size());
    for (size_t i = 0; i < r.matches.size(); ++i) {
        EXPECT_EQ(r.begins[i], selection_range(*m, r.matches[i]).begin) << i;
        if (i == 0) continue;
        const auto key = [&](size_t k) {
            return std::tuple(r.begins[k], r.matches[k].kind, r.matches[k].index);
        };
        EXPECT_LT(key(i - 1), key(i)) << i;
    }
    EXPECT_EQ(found(*m, r).front(), "task Server"); // created at 0
}

TEST(Search, TiesInTimeGoByKindThenIndex) {
    const auto m = test::build_model(R"(
        thread L loop
        L 10 instant at=mark@a.py:1
        L 10 create 2 name=mark_two
        L 10 create 1 name=mark_one
    )");
    const SearchResult r = search_trace(*m, "mark");
    ASSERT_EQ(r.matches.size(), 3u);
    EXPECT_EQ(r.matches[0].kind, Selection::Kind::Task);
    EXPECT_EQ(r.matches[1].kind, Selection::Kind::Task);
    EXPECT_LT(r.matches[0].index, r.matches[1].index);
    EXPECT_EQ(r.matches[2].kind, Selection::Kind::Instant);
}

TEST(Search, TheCapKeepsTheEarliestAndCountsAll) {
    const auto m = sample_model();
    const SearchResult all = search_trace(*m, "e");
    for (size_t cap : {size_t{0}, size_t{1}, size_t{2}, size_t{3}}) {
        SearchOptions options;
        options.max_matches = cap;
        const SearchResult r = search_trace(*m, "e", options);
        ASSERT_EQ(r.matches.size(), cap);
        EXPECT_EQ(r.total(), all.total());
        EXPECT_TRUE(r.capped);
        for (size_t i = 0; i < cap; ++i)
            EXPECT_EQ(r.matches[i], all.matches[i]) << cap << " " << i;
    }
    SearchOptions roomy;
    roomy.max_matches = all.matches.size();
    EXPECT_FALSE(search_trace(*m, "e", roomy).capped);
}

TEST(Search, EmptyOrUnmatchedTextFindsNothing) {
    const auto m = sample_model();
    for (std::string_view text : {"", "no such thing", "server.py:99"}) {
        const SearchResult r = search_trace(*m, text);
        EXPECT_TRUE(r.empty()) << text;
        EXPECT_EQ(r.total(), 0u) << text;
        EXPECT_FALSE(r.capped);
        EXPECT_EQ(next_match(r, kNoMatch), kNoMatch);
        EXPECT_EQ(previous_match_at(r, 50), kNoMatch);
    }
}

TEST(Search, ACancelledSearchReturnsNothing) {
    const auto m = sample_model();
    std::atomic<bool> cancel{true};
    SearchOptions options;
    options.cancel = &cancel;
    const SearchResult r = search_trace(*m, "e", options);
    EXPECT_TRUE(r.cancelled);
    EXPECT_TRUE(r.empty());
    cancel = false;
    EXPECT_FALSE(search_trace(*m, "e", options).empty());
}

TEST(Search, NextAndPreviousWrapAround) {
    SearchResult r;
    r.matches = {{Selection::Kind::Task, 0}, {Selection::Kind::Task, 1}, {Selection::Kind::Task, 2}};
    r.begins = {10, 20, 20};
    EXPECT_EQ(next_match(r, kNoMatch), 0u);
    EXPECT_EQ(next_match(r, 0), 1u);
    EXPECT_EQ(next_match(r, 2), 0u);
    EXPECT_EQ(previous_match(r, kNoMatch), 2u);
    EXPECT_EQ(previous_match(r, 0), 2u);
    EXPECT_EQ(previous_match(r, 2), 1u);
    // From a time: next is the first beginning at or after it, previous the last before it.
    EXPECT_EQ(next_match_at(r, 5), 0u);
    EXPECT_EQ(next_match_at(r, 10), 0u);
    EXPECT_EQ(next_match_at(r, 11), 1u);
    EXPECT_EQ(next_match_at(r, 21), 0u); // wraps
    EXPECT_EQ(previous_match_at(r, 21), 2u);
    EXPECT_EQ(previous_match_at(r, 20), 0u);
    EXPECT_EQ(previous_match_at(r, 10), 2u); // wraps
}

TEST(Search, FindsASelectionAmongTheMatches) {
    const auto m = sample_model();
    const SearchResult r = search_trace(*m, "e");
    for (size_t i = 0; i < r.matches.size(); ++i)
        EXPECT_EQ(find_match(*m, r, r.matches[i]), i);
    const SearchResult servers = search_trace(*m, "server");
    const SearchResult janitor = search_trace(*m, "janitor");
    ASSERT_EQ(janitor.matches.size(), 1u);
    EXPECT_EQ(find_match(*m, servers, janitor.matches[0]), kNoMatch);
    EXPECT_EQ(find_match(*m, servers, Selection{}), kNoMatch);
}

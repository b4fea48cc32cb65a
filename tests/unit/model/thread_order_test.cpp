// The order of a process's threads: the trace's own sort index, then event loops first, then by
// name with numbers compared as numbers, then by first event.

#include "event_dsl.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace weft::test {
namespace {

std::vector<std::string> thread_names(const Model& m) {
    std::vector<std::string> names;
    for (const Thread& t : m.threads) names.push_back(t.name);
    return names;
}

TEST(ThreadOrder, EventLoopFirstThenByNameNumbersAsNumbers) {
    auto m = build_model(R"(
        thread W10 name=worker-10
        thread W2 name=worker-2
        thread A name=aux
        thread L loop name=main
        W10 0 block 1
        W2  5 block 1
        A   7 block 1
        L  10 block 1
    )");
    EXPECT_EQ(thread_names(*m), (std::vector<std::string>{"main", "aux", "worker-2", "worker-10"}));
}

TEST(ThreadOrder, ATracesOwnSortIndexComesFirst) {
    auto m = build_model(R"(
        thread L loop name=main sort=2
        thread W name=worker sort=1
        W 0 block 1
        L 5 block 1
    )");
    EXPECT_EQ(thread_names(*m), (std::vector<std::string>{"worker", "main"}));
}

TEST(ThreadOrder, SameNamesByFirstEvent) {
    auto m = build_model(R"(
        thread B name=pool tid=2
        thread A name=pool tid=1
        A 0 block 1
        B 5 block 1
    )");
    ASSERT_EQ(m->threads.size(), 2u);
    EXPECT_EQ(m->threads[0].os_thread_id, 1u);
}

} // namespace
} // namespace weft::test

// ModelBuilder::snapshot(): the model of a prefix, while the builder keeps taking records.

#include "event_dsl.h"
#include "model/model_builder.h"
#include "model_dump.h"

#include <gtest/gtest.h>

using namespace weft;
using namespace weft::test;

namespace {

constexpr const char* kTrace = R"(
    process freq=1000000000 start_ns=1000
    thread L loop
    thread W
    L  0   create 1 name=main at=app.py:1
    L  2   run 1
    L  3   create 2 parent=1 name=fetch at=app.py:5
    L  5   abegin 10 name=request
    L  6   await 1 gather at=app.py:7
    L  7   end 1
    W  8   run 2
    W  9   span http at=net.py:3
    W  10  await 2 recv at=net.py:9
    W  11  close
    W  12  end 2
    W  14  resume 2
    W  15  run 2
    W  18  done 2 ok
    W  19  end 2
    L  20  aend 10
    L  21  resume 1
    L  22  run 1
    L  23  lag 2
    L  24  done 1 ok
    L  25  end 1
)";

// Feeds the infos and the first `blocks` blocks of `script` in order.
void feed_prefix(const EventScript& script, format::TraceSink& sink, size_t first, size_t last) {
    if (first == 0) {
        for (const auto& p : script.processes) sink.on_process(p);
        for (const auto& s : script.streams) sink.on_stream(s);
    }
    for (size_t i = first; i < last && i < script.blocks.size(); ++i) sink.on_block(script.blocks[i]);
}

} // namespace

TEST(ModelSnapshot, EqualsFinishingTheSamePrefixAndLeavesTheBuilderGoing) {
    const EventScript script = parse_events(kTrace, 3); // small blocks: many prefixes
    ASSERT_GT(script.blocks.size(), 4u);

    ModelBuilder live;
    for (size_t n = 0; n <= script.blocks.size(); ++n) {
        if (n == 0) feed_prefix(script, live, 0, 0);
        else live.on_block(script.blocks[n - 1]);
        const auto snapshot = live.snapshot();

        ModelBuilder reference;
        feed_prefix(script, reference, 0, n);
        const auto expected = reference.finish();
        ASSERT_EQ(dump_model(*snapshot), dump_model(*expected)) << "after " << n << " blocks";
    }
    // Taking snapshots changed nothing: the final model is the one built in one go.
    EXPECT_EQ(dump_model(*live.finish()), dump_model(*build_model(script)));
}

TEST(ModelSnapshot, OpenWorkAppearsUnfinishedInASnapshot) {
    // Only the loop thread's first events: task 1 awaits, its await still open.
    const EventScript head = parse_events(R"(
        process freq=1000000000 start_ns=1000
        thread L loop
        L  0   create 1 name=main at=app.py:1
        L  2   run 1
        L  6   await 1 gather at=app.py:7
        L  7   end 1
    )");
    ModelBuilder builder;
    feed_prefix(head, builder, 0, head.blocks.size());
    const auto model = builder.snapshot();
    ASSERT_EQ(model->tasks.size(), 1u);
    EXPECT_EQ(model->tasks[0].state, TaskState::Unfinished);
    ASSERT_EQ(model->awaits.size(), 1u);
    EXPECT_TRUE(model->awaits[0].unfinished);
    EXPECT_EQ(model->diagnostics.unfinished_tasks, 1u);
}

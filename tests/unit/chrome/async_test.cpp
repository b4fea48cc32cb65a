// Async slices (b/e/n and legacy S/T/p/F) and the tasks they become.

#include "chrome_json.h"
#include "model_dump.h"

#include <gtest/gtest.h>

namespace weft::test {
namespace {

const AsyncSpan* span_named(const Model& m, std::string_view name) {
    for (const AsyncSpan& s : m.async_spans)
        if (m.string(s.name) == name) return &s;
    return nullptr;
}

const Task* task_named(const Model& m, std::string_view name) {
    for (const Task& t : m.tasks)
        if (m.string(t.name) == name) return &t;
    return nullptr;
}

TEST(ChromeAsync, NestableSlicesNestByTheirGroupAndBecomeTasks) {
    const Imported in = load_json(json_array({
        R"({"name":"request","cat":"net","ph":"b","ts":0,"id2":{"local":"0x1"},"pid":1,"tid":1,"args":{"url":"/"}})",
        R"({"name":"dns","cat":"net","ph":"b","ts":1,"id2":{"local":"0x1"},"pid":1,"tid":2})",
        R"({"name":"sent","cat":"net","ph":"n","ts":2,"id2":{"local":"0x1"},"pid":1,"tid":2})",
        R"({"name":"dns","cat":"net","ph":"e","ts":3,"id2":{"local":"0x1"},"pid":1,"tid":2})",
        R"({"name":"request","cat":"net","ph":"e","ts":10,"id2":{"local":"0x1"},"pid":1,"tid":2})",
        R"({"name":"other","cat":"ui","ph":"b","ts":4,"id2":{"local":"0x1"},"pid":1,"tid":1})",
    }));
    ASSERT_TRUE(in.report.errors.empty()) << in.errors();
    const Model& m = *in.model;
    ASSERT_EQ(m.async_spans.size(), 4u);
    const AsyncSpan* request = span_named(m, "request");
    const AsyncSpan* dns = span_named(m, "dns");
    const AsyncSpan* sent = span_named(m, "sent");
    const AsyncSpan* other = span_named(m, "other"); // another category: another group
    ASSERT_TRUE(request && dns && sent && other);
    EXPECT_EQ(request->end, 10000);
    EXPECT_NE(request->begin_thread, request->end_thread);
    EXPECT_EQ(m.string(request->args), R"({"url":"/"})");
    EXPECT_EQ(&m.async_spans[dns->parent.value], request);
    EXPECT_EQ(&m.async_spans[sent->parent.value], dns);
    EXPECT_EQ(sent->begin, sent->end);
    EXPECT_FALSE(other->parent.valid());
    EXPECT_TRUE(other->unfinished);

    // Top-level slices are tasks; their slices are the task's spans.
    ASSERT_EQ(m.tasks.size(), 2u);
    const Task* task = task_named(m, "request");
    ASSERT_TRUE(task);
    EXPECT_EQ(task->state, TaskState::Ok);
    EXPECT_EQ(task->created, 0);
    EXPECT_EQ(task->completed, 10000);
    EXPECT_EQ(task->spans.count, 3u);
    EXPECT_EQ(task->scheduled, 0); // nothing says when it ran
    EXPECT_EQ(task_named(m, "other")->state, TaskState::Unfinished);
    EXPECT_EQ(m.diagnostics.unfinished_async_spans, 1u);
}

TEST(ChromeAsync, AnEndClosesTheInnermostOpenSliceOfItsName) {
    const Imported in = load_json(json_array({
        R"({"name":"A","cat":"c","ph":"b","ts":0,"id":1,"pid":1,"tid":1})",
        R"({"name":"B","cat":"c","ph":"b","ts":1,"id":1,"pid":1,"tid":1})",
        R"({"name":"A","cat":"c","ph":"e","ts":2,"id":1,"pid":1,"tid":1})",
        R"({"name":"B","cat":"c","ph":"e","ts":3,"id":1,"pid":1,"tid":1})",
        R"({"name":"C","cat":"c","ph":"e","ts":4,"id":1,"pid":1,"tid":1})",
    }));
    const Model& m = *in.model;
    EXPECT_EQ(span_named(m, "A")->end, 2000);
    EXPECT_EQ(span_named(m, "B")->end, 3000);
    EXPECT_EQ(note(m, "close no open b"), 1u);
}

TEST(ChromeAsync, LocalIdsArePerProcessGlobalOnesAreNot) {
    const Imported in = load_json(json_array({
        R"({"name":"L","cat":"c","ph":"b","ts":0,"id2":{"local":7},"pid":1,"tid":1})",
        R"({"name":"L","cat":"c","ph":"e","ts":5,"id2":{"local":7},"pid":2,"tid":1})",
        R"({"name":"G","cat":"c","ph":"b","ts":0,"id2":{"global":8},"pid":1,"tid":1})",
        R"({"name":"G","cat":"c","ph":"e","ts":6,"id2":{"global":8},"pid":2,"tid":1})",
        R"({"name":"P","cat":"c","ph":"b","ts":0,"id":9,"pid":1,"tid":1})",
        R"({"name":"P","cat":"c","ph":"e","ts":7,"id":9,"pid":2,"tid":1})",
    }));
    const Model& m = *in.model;
    EXPECT_TRUE(span_named(m, "L")->unfinished); // its end was in another process
    EXPECT_EQ(span_named(m, "G")->end, 6000);
    EXPECT_EQ(span_named(m, "P")->end, 7000);
    EXPECT_EQ(note(m, "close no open b"), 1u);
}

TEST(ChromeAsync, AsyncEventsWithoutAnIdAreCounted) {
    const Imported in = load_json(json_array({R"({"name":"x","ph":"b","ts":0,"pid":1,"tid":1})"}));
    EXPECT_EQ(note(*in.model, "without an id"), 1u);
    EXPECT_TRUE(in.model->async_spans.empty());
}

TEST(ChromeAsync, LegacyAsyncKeepsItsSteps) {
    const Imported in = load_json(json_array({
        R"({"name":"load","cat":"c","ph":"S","ts":0,"id":"0x5","pid":1,"tid":1})",
        R"({"name":"load","cat":"c","ph":"T","ts":2,"id":"0x5","pid":1,"tid":1,"args":{"step":"fetch"}})",
        R"({"name":"load","cat":"c","ph":"T","ts":5,"id":"0x5","pid":1,"tid":2,"args":{"step":"parse"}})",
        R"({"name":"load","cat":"c","ph":"F","ts":9,"id":"0x5","pid":1,"tid":2})",
        R"({"name":"past","cat":"c","ph":"S","ts":0,"id":1,"pid":1,"tid":1})",
        R"({"name":"past","cat":"c","ph":"p","ts":4,"id":1,"pid":1,"tid":1,"args":{"step":"one"}})",
        R"({"name":"past","cat":"c","ph":"F","ts":6,"id":1,"pid":1,"tid":1})",
        R"({"name":"open","cat":"c","ph":"S","ts":1,"id":2,"pid":1,"tid":1})",
        R"({"name":"nothing","cat":"c","ph":"F","ts":1,"id":3,"pid":1,"tid":1})",
    }));
    const Model& m = *in.model;
    const AsyncSpan* load = span_named(m, "load");
    ASSERT_TRUE(load);
    EXPECT_EQ(load->end, 9000);
    EXPECT_EQ(span_named(m, "load:fetch")->begin, 2000);
    EXPECT_EQ(span_named(m, "load:fetch")->end, 5000);
    EXPECT_EQ(span_named(m, "load:parse")->end, 9000);
    EXPECT_EQ(&m.async_spans[span_named(m, "load:parse")->parent.value], load);
    EXPECT_EQ(span_named(m, "past:one")->begin, 0);
    EXPECT_EQ(span_named(m, "past:one")->end, 4000);
    EXPECT_TRUE(span_named(m, "open")->unfinished);
    EXPECT_EQ(note(m, "no open start"), 1u);
    EXPECT_EQ(task_named(m, "load")->spans.count, 3u);
}

} // namespace
} // namespace weft::test

namespace weft::test {
namespace {

// As Node writes them with --trace-event-categories node.async_hooks: each async resource a b/e
// pair with its id in hex, its callbacks nested in it, its cause in args.data.triggerAsyncId.
TEST(ChromeAsync, NodeTriggerIdsMakeTheTaskTree) {
    const Imported in = load_json(json_array({
        R"({"pid":1,"tid":1,"ts":10,"ph":"b","cat":"node,node.async_hooks","name":"TCPSERVERWRAP","id":"0x2","args":{"data":{"executionAsyncId":1,"triggerAsyncId":1}}})",
        R"({"pid":1,"tid":1,"ts":11,"ph":"b","cat":"node,node.async_hooks","name":"TCPWRAP","id":"0x8","args":{"data":{"executionAsyncId":2,"triggerAsyncId":2}}})",
        R"({"pid":1,"tid":1,"ts":12,"ph":"b","cat":"node,node.async_hooks","name":"TCPWRAP_CALLBACK","id":"0x8","args":{}})",
        R"({"pid":1,"tid":1,"ts":13,"ph":"b","cat":"node,node.async_hooks","name":"PROMISE","id":"0xa","args":{"data":{"triggerAsyncId":8,"executionAsyncId":8}}})",
        R"({"pid":1,"tid":1,"ts":14,"ph":"e","cat":"node,node.async_hooks","name":"TCPWRAP_CALLBACK","id":"0x8","args":{}})",
        R"({"pid":1,"tid":1,"ts":20,"ph":"e","cat":"node,node.async_hooks","name":"PROMISE","id":"0xa","args":{}})",
        R"({"pid":1,"tid":1,"ts":30,"ph":"e","cat":"node,node.async_hooks","name":"TCPWRAP","id":"0x8","args":{}})",
    }));
    ASSERT_TRUE(in.report.errors.empty()) << in.errors();
    const Model& m = *in.model;
    auto parent_of = [&](std::string_view name) { return task_parent(m, name); };
    EXPECT_EQ(parent_of("TCPSERVERWRAP"), "-");
    EXPECT_EQ(parent_of("TCPWRAP"), "TCPSERVERWRAP");
    EXPECT_EQ(parent_of("PROMISE"), "TCPWRAP");
    EXPECT_EQ(m.task(find_task(m, 2)).spans.count, 2u); // TCPWRAP and its callback
}

} // namespace
} // namespace weft::test

// An imported trace written as .weft (what `weft-cli convert` does) loads to the same model.

#include "chrome_json.h"
#include "format/trace_file_sink.h"
#include "io/trace_file.h"
#include "model/model_builder.h"
#include "event_dsl.h"
#include "model_dump.h"

#include <gtest/gtest.h>

namespace weft::test {
namespace {

constexpr std::string_view kEverything = R"({"traceEvents":[
{"name":"process_name","ph":"M","pid":1,"args":{"name":"Browser"}},
{"name":"thread_name","ph":"M","pid":1,"tid":2,"args":{"name":"main"}},
{"name":"RunTask","cat":"toplevel","ph":"X","ts":100,"dur":50,"pid":1,"tid":2,"args":{"src":"a.cc"}},
{"name":"Inner","cat":"toplevel","ph":"B","ts":110,"pid":1,"tid":2},
{"name":"Inner","ph":"E","ts":120,"pid":1,"tid":2},
{"name":"Open","ph":"B","ts":130,"pid":1,"tid":2},
{"name":"Over","ph":"X","ts":140,"dur":30,"pid":1,"tid":2},
{"name":"req","cat":"net","ph":"b","ts":105,"id2":{"local":"0x1"},"pid":1,"tid":2,"args":{"url":"/"}},
{"name":"dns","cat":"net","ph":"b","ts":106,"id2":{"local":"0x1"},"pid":1,"tid":3},
{"name":"dns","cat":"net","ph":"e","ts":130,"id2":{"local":"0x1"},"pid":1,"tid":3},
{"name":"req","cat":"net","ph":"e","ts":200,"id2":{"local":"0x1"},"pid":1,"tid":2},
{"name":"load","cat":"c","ph":"S","ts":101,"id":5,"pid":1,"tid":3},
{"name":"load","cat":"c","ph":"T","ts":102,"id":5,"pid":1,"tid":3,"args":{"step":"a"}},
{"name":"ctr","ph":"C","ts":100,"pid":1,"args":{"a":1,"b":2.5}},
{"name":"ctr","ph":"C","ts":150,"pid":1,"args":{"a":-3}},
{"name":"mark","ph":"i","ts":115,"pid":1,"tid":2,"s":"g"},
{"name":"pmark","ph":"i","ts":116,"pid":1,"tid":2,"s":"p"},
{"name":"ipc","cat":"ipc","ph":"s","id":7,"ts":112,"pid":1,"tid":2},
{"name":"ipc","cat":"ipc","ph":"f","bp":"e","id":7,"ts":125,"pid":1,"tid":3},
{"name":"Recv","cat":"ipc","ph":"X","ts":124,"dur":3,"pid":1,"tid":3,"bind_id":1,"flow_out":true},
{"name":"Use","ph":"X","ts":160,"dur":3,"pid":1,"tid":3,"bind_id":1,"flow_in":true},
{"name":"lost","ph":"f","id":99,"ts":170,"pid":1,"tid":3},
{"name":"cpu","ph":"P","ts":103,"pid":1,"tid":3,"sf":2},
{"ph":"O","name":"obj","ts":1,"pid":1,"id":"0x5"}
],"stackFrames":{"1":{"name":"main"},"2":{"name":"leaf","parent":1}}})";

TEST(ChromeRoundTrip, ConvertedToWeftLoadsTheSameModel) {
    TempTrace json(kEverything);
    format::ReadReport report;
    const auto direct = load_trace(json.path(), report);
    ASSERT_TRUE(report.errors.empty());
    ASSERT_GT(direct->flows.size(), 1u);
    ASSERT_GT(direct->counters.size(), 1u);

    TempTrace weft("");
    format::TraceFileSink sink;
    ASSERT_TRUE(sink.open(weft.path()));
    const format::ReadReport converted = io::read_trace(json.path(), sink);
    ASSERT_TRUE(converted.errors.empty());
    ASSERT_TRUE(sink.close()) << sink.error();
    EXPECT_EQ(io::sniff_trace_file(weft.path()), io::TraceFileType::Weft);

    format::ReadReport again;
    const auto loaded = load_trace(weft.path(), again);
    EXPECT_TRUE(again.errors.empty());
    EXPECT_EQ(dump_model(*loaded), dump_model(*direct));

    // The file needs 1.1, and says so.
    std::FILE* f = std::fopen(weft.path().c_str(), "rb");
    uint8_t header[16] = {};
    ASSERT_EQ(std::fread(header, 1, sizeof header, f), sizeof header);
    std::fclose(f);
    EXPECT_EQ(header[10], 1);
}

TEST(ChromeRoundTrip, ATraceOfOneZeroFeaturesIsWrittenAsOneZero) {
    // What the agents record uses none of 1.1: written again, the file must not claim 1.1.
    const EventScript script = parse_events(R"(
        thread T1 loop
        T1 0  create 1 name=main
        T1 10 run 1
        T1 12 span parse at=a.py:3
        T1 14 close
        T1 20 end 1
        T1 30 done 1 ok
    )");
    TempTrace weft("");
    format::TraceFileSink sink;
    ASSERT_TRUE(sink.open(weft.path()));
    feed(script, sink);
    ASSERT_TRUE(sink.close());
    std::FILE* f = std::fopen(weft.path().c_str(), "rb");
    uint8_t header[16] = {};
    ASSERT_EQ(std::fread(header, 1, sizeof header, f), sizeof header);
    std::fclose(f);
    EXPECT_EQ(header[10], 0);
    format::ReadReport report;
    EXPECT_EQ(dump_model(*load_trace(weft.path(), report)), dump_model(*build_model(script)));
}

} // namespace
} // namespace weft::test

// load_trace: a DSL trace written as a .weft file loads into the same model as the blocks fed directly.

#include "event_dsl.h"
#include "model_dump.h"

#include "format/block_encoder.h"
#include "format/trace_writer.h"
#include "model/model_builder.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <unistd.h>

namespace weft::test {
namespace {

using format::EventKind;

void write_script(const EventScript& script, const std::string& path) {
    format::TraceWriter writer;
    ASSERT_TRUE(writer.open(path)) << writer.error();
    for (const auto& p : script.processes) writer.write_process_info(p);
    for (const auto& s : script.streams) writer.write_stream_info(s);
    format::BlockEncoder enc;
    for (const format::DecodedBlock& b : script.blocks) {
        enc.begin(b.header);
        auto str = [&](uint32_t id) { return enc.intern(b.string(id)); };
        auto loc = [&](uint32_t id) -> uint32_t {
            const format::BlockLocation* l = b.location(id);
            if (!l) return 0;
            return enc.intern_location(b.string(l->name), b.string(l->target), b.string(l->file), l->line);
        };
        for (format::Event e : b.events) {
            std::vector<format::BlockLocationId> frames;
            switch (e.kind) {
            case EventKind::ThreadSpanBegin: case EventKind::AsyncSpanBegin:
                e.ref1 = loc(e.ref1); e.ref2 = str(e.ref2); break;
            case EventKind::ThreadSpanEnd: e.ref1 = loc(e.ref1); break;
            case EventKind::TaskCreated: e.ref1 = str(e.ref1); e.ref2 = str(e.ref2); e.ref3 = loc(e.ref3); break;
            case EventKind::TaskCompleted: e.ref1 = str(e.ref1); break;
            case EventKind::AwaitBegin: e.ref1 = str(e.ref1); e.ref2 = loc(e.ref2); break;
            case EventKind::Blocking:
                for (uint32_t i = 0; i < e.frames_count; ++i) frames.push_back(loc(b.frames[e.frames_begin + i]));
                break;
            default: break;
            }
            enc.add(e, frames);
        }
        std::vector<uint8_t> framed;
        enc.finish(framed);
        writer.write_framed(framed);
    }
    ASSERT_TRUE(writer.close()) << writer.error();
}

TEST(LoadTrace, FileRoundTripGivesTheSameModel) {
    const EventScript script = parse_events(R"(
        thread L loop
        thread W
        L 0  create 1 name=main at=app.py:1
        L 1  run 1
        L 2  await 1 sleep at=app.py:2
        L 3  span parse at=p@app.py:9
        L 4  close
        L 5  end 1
        W 9  resume 1
        W 10 run 1
        W 11 abegin 4 name=req
        W 12 block 1 task=1 frames=a.py:1,b.py:2
        W 13 done 1 ok
        W 14 end 1
        L 20 aend 4
        L 21 lag 3
    )", 3);
    const std::string path =
        (std::filesystem::temp_directory_path() / ("weft_load_trace_" + std::to_string(::getpid()) + ".weft")).string();
    write_script(script, path);
    format::ReadReport report;
    auto loaded = load_trace(path, report);
    std::filesystem::remove(path);
    EXPECT_TRUE(report.errors.empty());
    EXPECT_EQ(dump_model(*loaded), dump_model(*build_model(script)));
}

TEST(LoadTrace, MissingFileGivesAnEmptyModel) {
    format::ReadReport report;
    auto m = load_trace("/nonexistent/weft/trace.weft", report);
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->tasks.empty());
    EXPECT_TRUE(report.fatal);
}

} // namespace
} // namespace weft::test

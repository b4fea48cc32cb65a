#include "io/async_events.h"
#include "io/atomic_file.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <unistd.h>

namespace weft::io {
namespace {

namespace fs = std::filesystem;

TEST(AsyncEvents, Rfc3339ToTheNanosecond) {
    EXPECT_EQ(rfc3339_ns(0), "1970-01-01T00:00:00.000000000Z");
    EXPECT_EQ(rfc3339_ns(1'700'000'000'001'028'017ull), "2023-11-14T22:13:20.001028017Z");
    EXPECT_EQ(rfc3339_ns(951'782'400'000'000'000ull), "2000-02-29T00:00:00.000000000Z"); // a leap day
    EXPECT_EQ(rfc3339_ns(4'102'444'799'999'999'999ull), "2099-12-31T23:59:59.999999999Z");
}

// One process, one thread, spans "a,b" (with a comma and a quote in its name) and its child.
Model two_spans() {
    Model m;
    m.strings = {"", "say \"hi\", then go", "child", "f.py", "mod"};
    m.locations.resize(1);
    m.locations.push_back({StringId{1}, StringId{4}, StringId{3}, 7});
    m.origin_ns = 1'000'000'000;
    Process& p = m.processes.emplace_back();
    p.process_id[0] = 0xab;
    Thread& t = m.threads.emplace_back();
    t.stream_id[0] = 0xcd;
    m.blocks.push_back(Uuid{});
    m.blocks.back()[15] = 0xef;
    AsyncSpan a;
    a.span_id = 10;
    a.begin = 5;
    a.end = 50;
    a.name = StringId{1};
    a.location = LocationId{1};
    a.begin_thread = a.end_thread = ThreadIndex{0};
    a.begin_block = a.end_block = 0;
    a.process = ProcessIndex{0};
    AsyncSpan b = a;
    b.span_id = 11;
    b.begin = 20;
    b.end = 50; // ends with its parent: at equal times, rows go by span
    b.name = StringId{2};
    b.parent = AsyncSpanIndex{0};
    b.depth = 1;
    b.unfinished = false;
    m.async_spans = {a, b};
    return m;
}

std::string exported(const Model& m, AsyncEventsFormat format) {
    const fs::path path = fs::temp_directory_path() / ("weft-async-events-" + std::to_string(getpid()));
    std::string error;
    EXPECT_TRUE(export_async_events_file(m, path.string(), format, error)) << error;
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    fs::remove(path);
    return text.str();
}

TEST(AsyncEvents, CsvQuotesWhatNeedsIt) {
    const std::string csv = exported(two_spans(), AsyncEventsFormat::Csv);
    std::istringstream lines(csv);
    std::string header, first;
    std::getline(lines, header);
    EXPECT_EQ(header,
              "process_id,stream_id,block_id,time,time_ns,event_type,span_id,parent_span_id,depth,hash,name,"
              "filename,target,line\r");
    std::getline(lines, first);
    // RFC 4180: the name holds a comma and quotes: quoted, quotes doubled.
    EXPECT_NE(first.find(",\"say \"\"hi\"\", then go\",f.py,mod,7\r"), std::string::npos) << first;
    EXPECT_EQ(
        first.rfind(
            "ab000000-0000-0000-0000-000000000000,cd000000-0000-0000-0000-000000000000,"
            "00000000-0000-0000-0000-0000000000ef,1970-01-01T00:00:01.000000005Z,1000000005,begin,10,0,0,",
            0),
        0u)
        << first;
    // Four rows: two begins, then the two ends at 50 in span order.
    size_t rows = 0;
    for (std::string line; std::getline(lines, line);)
        rows += line.empty() ? 0 : 1;
    EXPECT_EQ(rows, 3u);
}

TEST(AsyncEvents, JsonLinesNameTheParentAndKeepTheHashExact) {
    const Model m = two_spans();
    const std::string text = exported(m, AsyncEventsFormat::JsonLines);
    EXPECT_NE(text.find("\"span_id\":11,\"parent_span_id\":10,\"depth\":1"), std::string::npos) << text;
    EXPECT_NE(text.find("\"hash\":\"" + std::to_string(async_span_site_hash(m, m.async_spans[0])) + "\""),
              std::string::npos);
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4);
    // The same call site hashes the same; another does not.
    AsyncSpan other = m.async_spans[0];
    other.span_id = 99;
    EXPECT_EQ(async_span_site_hash(m, other), async_span_site_hash(m, m.async_spans[0]));
    EXPECT_NE(async_span_site_hash(m, m.async_spans[1]), async_span_site_hash(m, m.async_spans[0]));
}

TEST(AtomicFile, TheTargetChangesOnlyOnCommit) {
    const fs::path dir = fs::temp_directory_path() / ("weft-atomic-" + std::to_string(getpid()));
    fs::create_directories(dir);
    const fs::path target = dir / "out.txt";
    std::ofstream(target) << "before";
    std::string error;
    {
        AtomicFile file;
        ASSERT_TRUE(file.open(target.string(), error)) << error;
        std::fputs("half", file.file());
        // Dropped without commit: a failed export.
    }
    std::ifstream kept(target);
    std::string content;
    std::getline(kept, content);
    EXPECT_EQ(content, "before");
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1); // no partial file
    {
        AtomicFile file;
        ASSERT_TRUE(file.open(target.string(), error)) << error;
        std::fputs("after", file.file());
        ASSERT_TRUE(file.commit(error)) << error;
    }
    std::ifstream replaced(target);
    std::getline(replaced, content);
    EXPECT_EQ(content, "after");
    AtomicFile nowhere;
    EXPECT_FALSE(nowhere.open((dir / "missing" / "x").string(), error));
    EXPECT_NE(error.find("missing"), std::string::npos);
    fs::remove_all(dir);
}

} // namespace
} // namespace weft::io

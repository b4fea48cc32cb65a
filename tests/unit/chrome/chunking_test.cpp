// The text is read in chunks, many events at a time where it is clean and one by one where it is
// not: where the chunks end must never change what is read, nor what is reported.

#include "chrome_json.h"
#include "io/chrome/chrome_json_import.h"
#include "model/model_builder.h"
#include "model_dump.h"

#include <gtest/gtest.h>

namespace weft::test {
namespace {

std::string import_with_chunk(const std::string& path, size_t chunk) {
    ModelBuilder builder;
    chrome::ImportTuning tuning;
    tuning.read_chunk = chunk;
    format::ReadReport report = chrome::import_chrome_json(path, builder, {}, tuning);
    std::string out = report.fatal ? "fatal\n" : "";
    for (const auto& e : report.errors) out += "offset " + std::to_string(e.offset) + ": " + e.reason + "\n";
    return out + dump_model(*builder.finish());
}

void expect_chunk_independent(std::string_view text, bool gzip = false) {
    TempTrace file(text, gzip);
    const std::string reference = import_with_chunk(file.path(), size_t{16} << 20);
    for (size_t chunk : {1, 2, 3, 5, 8, 13, 64, 100, 333, 4096})
        ASSERT_EQ(import_with_chunk(file.path(), chunk), reference) << "chunk " << chunk << " of:\n" << text;
}

std::string many_events(int n) {
    std::string text = "{\"traceEvents\":[\n";
    for (int i = 0; i < n; ++i) {
        text += R"({"name":"task)" + std::to_string(i % 7) + R"(","cat":"c","ph":"X","ts":)" + std::to_string(i * 10) +
                R"(,"dur":)" + std::to_string(5 + i % 3) + R"(,"pid":1,"tid":)" + std::to_string(1 + i % 3) +
                R"(,"args":{"s":"a},{b","n":[{"x":1},{"y":2}]}},)" + "\n";
        if (i % 5 == 0)
            text += R"({"name":"r","cat":"n","ph":"b","ts":)" + std::to_string(i * 10) + R"(,"id":)" +
                    std::to_string(i) + R"(,"pid":1,"tid":1},{"name":"r","cat":"n","ph":"e","ts":)" +
                    std::to_string(i * 10 + 50) + R"(,"id":)" + std::to_string(i) + R"(,"pid":1,"tid":2},)" + "\n";
    }
    return text + R"({"name":"c","ph":"C","ts":1,"pid":1,"args":{"v":1}}],"stackFrames":{"1":{"name":"f"}}})";
}

TEST(ChromeChunking, CleanText) { expect_chunk_independent(many_events(200)); }

TEST(ChromeChunking, CleanTextGzip) { expect_chunk_independent(many_events(200), true); }

TEST(ChromeChunking, TextWithEverythingWrong) {
    std::string text = many_events(30);
    text.insert(text.find("task3"), "line\nbreak ");                       // a raw control character
    text.insert(text.find("task4"), "\xff");                               // not UTF-8
    text.insert(text.find("{\"name\":\"task5"), "{},,{\"ph\":\"X\"},");      // empty, doubled comma, no ts
    text.insert(text.find("{\"name\":\"task6"), "{\"name\":\"bad\",\"ts\":nul},"); // broken JSON
    text.insert(text.find("{\"name\":\"task2"), "[1,2],");                  // not an object
    expect_chunk_independent(text);
}

TEST(ChromeChunking, CutShort) {
    const std::string text = many_events(40);
    for (size_t cut : {text.size() / 3, text.size() / 2 + 7, text.size() - 10})
        expect_chunk_independent(text.substr(0, cut));
    expect_chunk_independent("[" + many_events(10).substr(16, 900));
}

} // namespace
} // namespace weft::test

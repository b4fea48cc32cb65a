// The live protocol's pieces: addresses, handshake encoding, discovery files.

#include "format/live_protocol.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

using namespace weft::format::live;

namespace {

struct RuntimeDirFixture : ::testing::Test {
    std::filesystem::path dir;
    void SetUp() override {
        dir = std::filesystem::temp_directory_path() / ("weft-live-test-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        ::setenv("XDG_RUNTIME_DIR", dir.c_str(), 1);
    }
    void TearDown() override {
        std::filesystem::remove_all(dir);
        ::unsetenv("XDG_RUNTIME_DIR");
    }
};

} // namespace

TEST(LiveAddress, ParsesUnixAndLoopbackTcp) {
    std::string error;
    auto unix_default = parse_address("unix", 42, error);
    ASSERT_TRUE(unix_default);
    EXPECT_EQ(unix_default->kind, Address::Kind::Unix);
    EXPECT_TRUE(unix_default->path.ends_with("/weft/42.sock") || unix_default->path.ends_with("/42.sock"));

    auto unix_path = parse_address("unix:/tmp/x.sock", 1, error);
    ASSERT_TRUE(unix_path);
    EXPECT_EQ(unix_path->path, "/tmp/x.sock");
    EXPECT_EQ(unix_path->to_string(), "unix:/tmp/x.sock");

    auto tcp = parse_address("tcp:127.0.0.1:7878", 1, error);
    ASSERT_TRUE(tcp);
    EXPECT_EQ(tcp->kind, Address::Kind::Tcp);
    EXPECT_EQ(tcp->port, 7878);
    EXPECT_EQ(tcp->to_string(), "tcp:127.0.0.1:7878");
    EXPECT_TRUE(parse_address("tcp:[::1]:9", 1, error));
    EXPECT_TRUE(parse_address("tcp:localhost:0", 1, error));
}

TEST(LiveAddress, RefusesNonLoopbackAndGarbage) {
    std::string error;
    EXPECT_FALSE(parse_address("tcp:10.0.0.1:7878", 1, error));
    EXPECT_NE(error.find("loopback"), std::string::npos);
    EXPECT_FALSE(parse_address("tcp:0.0.0.0:7878", 1, error));
    EXPECT_FALSE(parse_address("tcp:127.0.0.1:99999", 1, error));
    EXPECT_FALSE(parse_address("tcp:127.0.0.1", 1, error));
    EXPECT_FALSE(parse_address("http://x", 1, error));
    EXPECT_FALSE(parse_address("unix:/" + std::string(200, 'a'), 1, error));
}

TEST(LiveHandshake, HelloRoundTripsAndWaitsForMissingBytes) {
    Hello hello;
    hello.token = "0123456789abcdef0123456789abcdef";
    const auto bytes = encode_hello(hello);
    ASSERT_EQ(bytes.size(), kHelloFixedSize + hello.token.size());

    Hello parsed;
    size_t consumed = 0;
    std::string error;
    for (size_t n = 0; n < bytes.size(); ++n)
        EXPECT_EQ(parse_hello(std::span(bytes).first(n), parsed, consumed, error), Parse::NeedMore) << n;
    ASSERT_EQ(parse_hello(bytes, parsed, consumed, error), Parse::Done);
    EXPECT_EQ(consumed, bytes.size());
    EXPECT_EQ(parsed.token, hello.token);
    EXPECT_EQ(parsed.major, kProtocolMajor);
}

TEST(LiveHandshake, RefusesWrongMagicAndOversizedFields) {
    std::vector<uint8_t> junk = {'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1'};
    Hello hello;
    size_t consumed = 0;
    std::string error;
    EXPECT_EQ(parse_hello(junk, hello, consumed, error), Parse::Error);
    EXPECT_NE(error.find("WEFTLIVE"), std::string::npos);

    auto bytes = encode_hello(Hello{});
    bytes[12] = 0xff; // token length 65535
    bytes[13] = 0xff;
    EXPECT_EQ(parse_hello(bytes, hello, consumed, error), Parse::Error);
    EXPECT_NE(error.find("limit"), std::string::npos);

    Answer answer;
    answer.message = "ok";
    auto answer_bytes = encode_answer(answer);
    answer_bytes[14] = 0xff;
    answer_bytes[15] = 0xff;
    EXPECT_EQ(parse_answer(answer_bytes, answer, consumed, error), Parse::Error);
    answer_bytes = encode_answer(Answer{});
    answer_bytes[12] = 77; // unknown status
    EXPECT_EQ(parse_answer(answer_bytes, answer, consumed, error), Parse::Error);
}

TEST(LiveHandshake, AnswerRoundTrips) {
    Answer answer;
    answer.status = Status::WrongToken;
    answer.message = "wrong token";
    const auto bytes = encode_answer(answer);
    Answer parsed;
    size_t consumed = 0;
    std::string error;
    ASSERT_EQ(parse_answer(bytes, parsed, consumed, error), Parse::Done);
    EXPECT_EQ(parsed.status, Status::WrongToken);
    EXPECT_EQ(parsed.message, "wrong token");
}

TEST_F(RuntimeDirFixture, DiscoveryFileIsPrivateAndListed) {
    Discovery info;
    info.pid = static_cast<uint64_t>(::getpid());
    info.exe = "/usr/bin/example \"quoted\"";
    info.start_time_ns = 123;
    info.address = "unix:/tmp/x.sock";
    info.token = make_token();
    EXPECT_EQ(info.token.size(), 32u);
    std::string error;
    ASSERT_TRUE(write_discovery(info, error)) << error;

    struct stat st{};
    ASSERT_EQ(::stat(info.file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_EQ(::stat(runtime_dir().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);

    const auto found = list_discovered();
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].exe, info.exe);
    EXPECT_EQ(found[0].token, info.token);
    EXPECT_EQ(found[0].address, info.address);

    remove_discovery(info);
    EXPECT_TRUE(list_discovered().empty());
}

TEST_F(RuntimeDirFixture, StaleAndMalformedDiscoveryFilesAreIgnored) {
    Discovery stale;
    stale.pid = 0x7ffffff0; // no such process
    stale.address = "unix:/tmp/nothing.sock";
    stale.token = make_token();
    std::string error;
    ASSERT_TRUE(write_discovery(stale, error)) << error;
    {
        FILE* f = std::fopen((runtime_dir() + "/999.json").c_str(), "w");
        std::fputs("{not json", f);
        std::fclose(f);
    }
    EXPECT_TRUE(list_discovered().empty());
}

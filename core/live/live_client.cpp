#include "live/live_client.h"

#include "format/records.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace weft::live {

using namespace weft::format::live;

namespace {

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

} // namespace

std::optional<AttachTarget> resolve_target(std::string_view spec, std::string_view token, std::string& error) {
    AttachTarget target;
    std::optional<Discovery> match;
    if (all_digits(spec)) {
        const uint64_t pid = std::stoull(std::string(spec));
        for (Discovery& d : list_discovered())
            if (d.pid == pid) match = d;
        if (!match) {
            error = "no Weft process with pid " + std::string(spec) + " is listening (looked in " + runtime_dir() +
                    "); is it running with live serving on?";
            return std::nullopt;
        }
    } else if (spec.ends_with(".json")) {
        std::ifstream in{std::string(spec)};
        if (!in) {
            error = "cannot read discovery file " + std::string(spec);
            return std::nullopt;
        }
        std::string json(4096, '\0');
        in.read(json.data(), static_cast<std::streamsize>(json.size()));
        json.resize(static_cast<size_t>(in.gcount()));
        match = parse_discovery(json, error);
        if (!match) {
            error = std::string(spec) + ": " + error;
            return std::nullopt;
        }
    } else {
        for (Discovery& d : list_discovered())
            if (d.address == spec) match = d;
    }
    const std::string address_text = match ? match->address : std::string(spec);
    auto address = parse_address(address_text, 0, error);
    if (!address) return std::nullopt;
    target.address = *address;
    if (match) {
        target.token = match->token;
        target.pid = match->pid;
        target.exe = match->exe;
    }
    if (!token.empty()) target.token = std::string(token);
    return target;
}

LiveClient::~LiveClient() {
    if (m_fd >= 0) ::close(m_fd);
    if (m_wake >= 0) ::close(m_wake);
}

bool LiveClient::attach(const AttachTarget& target, std::string& error, int timeout_ms) {
    m_fd = connect_to(target.address, timeout_ms, error);
    if (m_fd < 0) return false;
    m_wake = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    Hello hello;
    hello.token = target.token;
    // A producer may refuse (busy, not allowed) before reading our hello and close; the write then
    // fails, but its answer is still there to read and says why.
    std::string write_error;
    const bool hello_sent = write_all(m_fd, encode_hello(hello), timeout_ms, write_error);
    std::vector<uint8_t> answer_bytes(kAnswerFixedSize);
    if (!read_exact(m_fd, answer_bytes, hello_sent ? timeout_ms : 500, error)) {
        error = hello_sent ? "no handshake answer from " + target.address.to_string() + ": " + error
                           : "handshake with " + target.address.to_string() + " failed: " + write_error;
        return false;
    }
    Answer answer;
    size_t consumed = 0;
    Parse state = parse_answer(answer_bytes, answer, consumed, error);
    if (state == Parse::NeedMore) {
        const size_t message_size = answer_bytes[14] | (answer_bytes[15] << 8);
        answer_bytes.resize(kAnswerFixedSize + message_size);
        if (!read_exact(m_fd, std::span(answer_bytes).subspan(kAnswerFixedSize), timeout_ms, error)) {
            error = "incomplete handshake answer from " + target.address.to_string() + ": " + error;
            return false;
        }
        state = parse_answer(answer_bytes, answer, consumed, error);
    }
    if (state != Parse::Done) {
        error = target.address.to_string() + ": " + error;
        return false;
    }
    if (answer.status != Status::Accepted) {
        error = target.address.to_string() + " refused to attach (" + std::string(to_string(answer.status)) +
                "): " + answer.message;
        return false;
    }
    if (answer.major != kProtocolMajor) {
        error = target.address.to_string() + " speaks live protocol " + std::to_string(answer.major) +
                ", this viewer " + std::to_string(kProtocolMajor);
        return false;
    }
    return true;
}

LiveClient::End LiveClient::run(const RecordHandler& on_record) {
    format::FrameReader reader;
    std::vector<uint8_t> chunk(1u << 20);
    std::vector<uint8_t> framed;
    while (true) {
        if (m_stop.load()) return {End::Reason::Stopped, "detached"};
        pollfd fds[2] = {{m_fd, POLLIN, 0}, {m_wake, POLLIN, 0}};
        if (::poll(fds, 2, 1000) < 0) {
            if (errno == EINTR) continue;
            return {End::Reason::Error, std::string("poll: ") + std::strerror(errno)};
        }
        if (m_stop.load()) return {End::Reason::Stopped, "detached"};
        if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        const ssize_t n = ::recv(m_fd, chunk.data(), chunk.size(), 0);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return {End::Reason::Error, std::string("connection lost: ") + std::strerror(errno)};
        }
        if (n == 0) {
            reader.finish();
            // Records complete before the end still count; a cut last record is reported by next().
            while (auto record = reader.next()) {
                if (!reader.damages().empty()) break;
                framed.clear();
                format::append_record(record->kind, record->body, framed);
                m_records.fetch_add(1, std::memory_order_relaxed);
                on_record(*record, framed);
            }
            if (!reader.damages().empty())
                return {End::Reason::Error, "the producer closed the connection in the middle of a record: " +
                                                reader.damages().front().reason};
            return {End::Reason::PeerClosed, "the process closed the connection (it exited or stopped serving)"};
        }
        m_bytes.fetch_add(static_cast<uint64_t>(n), std::memory_order_relaxed);
        reader.append(std::span(chunk.data(), static_cast<size_t>(n)));
        while (auto record = reader.next()) {
            if (!reader.damages().empty()) break;
            framed.clear();
            format::append_record(record->kind, record->body, framed);
            m_records.fetch_add(1, std::memory_order_relaxed);
            on_record(*record, framed);
        }
        if (!reader.damages().empty()) {
            const format::FormatError& e = reader.damages().front();
            return {End::Reason::Error, "the producer sent a damaged record at stream offset " +
                                            std::to_string(e.offset) + ": " + e.reason + "; detached"};
        }
    }
}

void LiveClient::stop() {
    m_stop = true;
    if (m_wake >= 0) {
        const uint64_t one = 1;
        [[maybe_unused]] ssize_t n = ::write(m_wake, &one, sizeof one);
    }
}

} // namespace weft::live

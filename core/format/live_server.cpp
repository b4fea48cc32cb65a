#include "format/live_server.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <deque>
#include <mutex>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace weft::format::live {

namespace {

using Bytes = std::shared_ptr<const std::vector<uint8_t>>;

bool tokens_equal(const std::string& a, const std::string& b) {
    // Constant time in the token's content, so timing does not reveal a prefix.
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace

struct LiveServer::Impl {
    Options options;
    Address bound;
    Discovery discovery;
    int listen_fd = -1;
    int wake_fd = -1;
    std::thread thread;
    std::atomic<bool> stopping{false};

    mutable std::mutex mutex; // guards everything below
    Bytes process_info;
    std::vector<Bytes> streams;
    std::deque<std::pair<uint64_t, Bytes>> recorder; // (sequence, block), oldest first
    uint64_t next_sequence = 0;
    size_t recorder_bytes = 0;
    Stats stats;

    // Connections whose hello has not fully arrived: read as bytes come, inside the poll loop, so a
    // peer that stalls delays nobody. Bounded in number and in time.
    struct Handshake {
        int fd;
        std::vector<uint8_t> bytes;
        std::chrono::steady_clock::time_point deadline;
    };
    static constexpr size_t kMaxPendingHandshakes = 8;
    std::vector<Handshake> handshakes;

    // Sender state, owned by the server thread.
    int client_fd = -1;
    uint64_t cursor = 0;          // sequence of the next block to send
    size_t streams_sent = 0;
    bool header_sent = false;
    Bytes pending;                // being sent
    size_t pending_offset = 0;

    void wake() {
        const uint64_t one = 1;
        [[maybe_unused]] ssize_t n = ::write(wake_fd, &one, sizeof one);
    }

    void refuse(int fd, Status status, const std::string& message) {
        Answer answer;
        answer.status = status;
        answer.message = message;
        std::string ignored;
        write_all(fd, encode_answer(answer), 1000, ignored);
        // Closing with unread input makes TCP reset the connection, which can discard the answer
        // before the peer reads it: take what has arrived and say we are done writing first.
        ::shutdown(fd, SHUT_WR);
        uint8_t scratch[256];
        while (::recv(fd, scratch, sizeof scratch, MSG_DONTWAIT) > 0) {
        }
        ::close(fd);
        std::lock_guard lock(mutex);
        ++stats.refused;
        stats.last_refusal = message;
    }

    // The viewer sends nothing after its hello, so readable data or EOF means it left (or broke the
    // protocol): either way the session is over.
    bool viewer_gone() const {
        uint8_t byte;
        const ssize_t n = ::recv(client_fd, &byte, 1, MSG_DONTWAIT | MSG_PEEK);
        return n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
    }

    void accept_one() {
        const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) return;
        if (client_fd >= 0 && viewer_gone()) detach(); // it closed; its hang-up is just not polled yet
        if (client_fd >= 0) {
            refuse(fd, Status::Busy, "another viewer is attached to this process");
            return;
        }
        if (!peer_is_same_user(fd)) {
            refuse(fd, Status::NotAllowed, "only the user who owns this process may attach");
            return;
        }
        if (handshakes.size() >= kMaxPendingHandshakes) {
            refuse(fd, Status::Busy, "too many connections are waiting to shake hands; try again");
            return;
        }
        handshakes.push_back({fd, {}, std::chrono::steady_clock::now() + std::chrono::milliseconds(kHandshakeTimeoutMs)});
    }

    // Reads what a pending handshake sent. Returns false when it is over (accepted or refused).
    bool read_handshake(Handshake& h) {
        uint8_t chunk[kHelloFixedSize + kMaxToken];
        const size_t room = sizeof chunk - h.bytes.size();
        const ssize_t n = ::recv(h.fd, chunk, room, MSG_DONTWAIT);
        if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
        if (n == 0) {
            refuse(h.fd, Status::NotAllowed, "the peer closed the connection before its handshake was complete");
            return false;
        }
        h.bytes.insert(h.bytes.end(), chunk, chunk + n);
        Hello hello;
        size_t consumed = 0;
        std::string error;
        const Parse state = parse_hello(h.bytes, hello, consumed, error);
        if (state == Parse::NeedMore) return true;
        if (state == Parse::Error) refuse(h.fd, Status::NotAllowed, "bad handshake: " + error);
        else finish_handshake(h.fd, hello);
        return false;
    }

    void finish_handshake(int fd, const Hello& hello) {
        if (hello.major != kProtocolMajor) {
            refuse(fd, Status::UnsupportedVersion,
                   "this process speaks live protocol " + std::to_string(kProtocolMajor) + ".x, the viewer " +
                       std::to_string(hello.major) + "." + std::to_string(hello.minor));
            return;
        }
        if (!tokens_equal(hello.token, discovery.token)) {
            refuse(fd, Status::WrongToken, "wrong token: read it from the process's discovery file");
            return;
        }
        if (client_fd >= 0 && viewer_gone()) detach();
        if (client_fd >= 0) { // another handshake completed first
            refuse(fd, Status::Busy, "another viewer is attached to this process");
            return;
        }
        std::string error;
        Answer answer;
        answer.message = "attached to pid " + std::to_string(options.pid);
        if (!write_all(fd, encode_answer(answer), 1000, error)) {
            ::close(fd);
            return;
        }
        client_fd = fd;
        header_sent = false;
        streams_sent = 0;
        pending.reset();
        pending_offset = 0;
        std::lock_guard lock(mutex);
        cursor = recorder.empty() ? next_sequence : recorder.front().first;
        ++stats.attachments;
        stats.attached = true;
    }

    void detach() {
        if (client_fd >= 0) ::close(client_fd);
        client_fd = -1;
        pending.reset();
        std::lock_guard lock(mutex);
        stats.attached = false;
    }

    // Picks the next record to send: the process info, unsent stream infos, then blocks in order.
    bool next_pending() {
        std::lock_guard lock(mutex);
        if (!header_sent) {
            if (!process_info) return false;
            pending = process_info;
            header_sent = true;
            return true;
        }
        if (streams_sent < streams.size()) {
            pending = streams[streams_sent++];
            return true;
        }
        if (!recorder.empty() && cursor < recorder.front().first) {
            stats.blocks_dropped += recorder.front().first - cursor;
            cursor = recorder.front().first;
        }
        if (recorder.empty() || cursor >= next_sequence) return false;
        pending = recorder[cursor - recorder.front().first].second;
        ++cursor;
        ++stats.blocks_sent;
        return true;
    }

    // Sends what the socket takes now without waiting. Returns false when the viewer is gone.
    bool send_some() {
        while (true) {
            if (!pending && !next_pending()) return true;
            const ssize_t n = ::send(client_fd, pending->data() + pending_offset, pending->size() - pending_offset,
                                     MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
            pending_offset += static_cast<size_t>(n);
            {
                std::lock_guard lock(mutex);
                stats.bytes_sent += static_cast<uint64_t>(n);
            }
            if (pending_offset == pending->size()) {
                pending.reset();
                pending_offset = 0;
            }
        }
    }

    bool has_more() {
        if (pending) return true;
        std::lock_guard lock(mutex);
        return (!header_sent && process_info) || streams_sent < streams.size() || cursor < next_sequence;
    }

    // Refuses handshakes past their deadline; returns the milliseconds until the next deadline.
    int expire_handshakes() {
        const auto now = std::chrono::steady_clock::now();
        int wait_ms = 500;
        for (size_t i = 0; i < handshakes.size();) {
            if (handshakes[i].deadline <= now) {
                refuse(handshakes[i].fd, Status::NotAllowed,
                       "handshake not received: timed out after " + std::to_string(kHandshakeTimeoutMs) + " ms");
                handshakes.erase(handshakes.begin() + static_cast<std::ptrdiff_t>(i));
                continue;
            }
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(handshakes[i].deadline - now).count() + 1;
            wait_ms = std::min<int>(wait_ms, static_cast<int>(left));
            ++i;
        }
        return wait_ms;
    }

    void run() {
        std::vector<pollfd> fds;
        while (!stopping.load()) {
            const int wait_ms = expire_handshakes();
            fds.assign({{listen_fd, POLLIN, 0}, {wake_fd, POLLIN, 0}, {client_fd, 0, 0}});
            if (client_fd >= 0) fds[2].events = POLLIN | (has_more() ? POLLOUT : 0);
            for (const Handshake& h : handshakes) fds.push_back({h.fd, POLLIN, 0});
            if (::poll(fds.data(), fds.size(), wait_ms) < 0 && errno != EINTR) break;
            // Pending handshakes first: one may complete and become the viewer below.
            for (size_t i = handshakes.size(); i-- > 0;) {
                if (!(fds[3 + i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
                if (!read_handshake(handshakes[i])) handshakes.erase(handshakes.begin() + static_cast<std::ptrdiff_t>(i));
            }
            if (fds[1].revents & POLLIN) {
                uint64_t value;
                [[maybe_unused]] ssize_t n = ::read(wake_fd, &value, sizeof value);
            }
            if (fds[0].revents & POLLIN) accept_one();
            if (fds[2].fd >= 0 && client_fd == fds[2].fd) {
                if (fds[2].revents & (POLLERR | POLLHUP | POLLNVAL)) {
                    detach();
                    continue;
                }
                if (fds[2].revents & POLLIN) {
                    // The viewer sends nothing after its hello: data or EOF both end the session.
                    uint8_t scratch[256];
                    const ssize_t n = ::recv(client_fd, scratch, sizeof scratch, MSG_DONTWAIT);
                    if (n == 0 || n > 0) {
                        detach();
                        continue;
                    }
                }
                if (!send_some()) detach();
            }
        }
        for (const Handshake& h : handshakes) ::close(h.fd);
        handshakes.clear();
        // Stopping: give an attached viewer what is left, within a bounded time.
        if (client_fd >= 0) {
            std::string error;
            while (has_more() && (pending || next_pending())) {
                if (!write_all(client_fd, std::span(*pending).subspan(pending_offset), 2000, error)) break;
                pending.reset();
                pending_offset = 0;
            }
            detach();
        }
    }
};

LiveServer::LiveServer() : m_impl(std::make_unique<Impl>()) {}
LiveServer::~LiveServer() { stop(); }

bool LiveServer::start(const Options& options, std::string& error) {
    Impl& d = *m_impl;
    if (d.listen_fd >= 0) return true;
    d.options = options;
    d.listen_fd = listen_on(options.address, error, &d.bound);
    if (d.listen_fd < 0) return false;
    d.wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    d.discovery.pid = options.pid;
    d.discovery.exe = options.exe;
    d.discovery.start_time_ns = options.start_time_ns;
    d.discovery.address = d.bound.to_string();
    d.discovery.token = options.token.empty() ? make_token() : options.token;
    if (options.write_discovery && !write_discovery(d.discovery, error)) {
        ::close(d.listen_fd);
        d.listen_fd = -1;
        return false;
    }
    d.stopping = false;
    d.thread = std::thread([&d] { d.run(); });
    return true;
}

void LiveServer::stop() {
    Impl& d = *m_impl;
    if (d.listen_fd < 0) return;
    d.stopping = true;
    d.wake();
    if (d.thread.joinable()) d.thread.join();
    ::close(d.listen_fd);
    ::close(d.wake_fd);
    d.listen_fd = d.wake_fd = -1;
    if (d.bound.kind == Address::Kind::Unix) ::unlink(d.bound.path.c_str());
    remove_discovery(d.discovery);
}

void LiveServer::set_process_info(std::vector<uint8_t> framed_record) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->process_info = std::make_shared<const std::vector<uint8_t>>(std::move(framed_record));
}

void LiveServer::add_stream(std::vector<uint8_t> framed_record) {
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->streams.push_back(std::make_shared<const std::vector<uint8_t>>(std::move(framed_record)));
    }
    if (m_impl->wake_fd >= 0) m_impl->wake();
}

void LiveServer::publish(std::vector<uint8_t> framed_block) {
    Impl& d = *m_impl;
    {
        std::lock_guard lock(d.mutex);
        d.recorder_bytes += framed_block.size();
        d.recorder.emplace_back(d.next_sequence++, std::make_shared<const std::vector<uint8_t>>(std::move(framed_block)));
        ++d.stats.blocks_published;
        while (d.recorder_bytes > d.options.flight_recorder_bytes && d.recorder.size() > 1) {
            d.recorder_bytes -= d.recorder.front().second->size();
            d.recorder.pop_front();
        }
    }
    if (d.wake_fd >= 0) d.wake();
}

const Address& LiveServer::address() const { return m_impl->bound; }
const Discovery& LiveServer::discovery() const { return m_impl->discovery; }

LiveServer::Stats LiveServer::stats() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->stats;
}

} // namespace weft::format::live

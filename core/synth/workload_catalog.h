#pragma once
// The fixed vocabulary of the synthetic workload: task kinds, await sites with their latency
// distributions, thread-span scopes, blocking stacks and failure messages. Kept apart from the
// simulation so the scenario reads like a description of a small web service.

#include <cstdint>

namespace weft::synth {

struct Site {
    const char* name;
    const char* target;
    const char* file;
    uint32_t line;
};

struct TaskKind {
    const char* name;
    const char* coro_name;
    Site spawn; // where the parent creates it
};

// An await site: latency is log-normal around `median_ms`; a larger sigma gives a longer tail.
struct AwaitSite {
    Site site;
    const char* awaitable;
    double median_ms;
    double sigma;
};

inline constexpr TaskKind kRequestKind = {
    "handle_request", "app.handlers.handle_request", {"accept_loop", "app.server", "app/server.py", 112}};

inline constexpr TaskKind kChildKinds[] = {
    {"fetch_user", "app.services.fetch_user", {"handle_request", "app.handlers", "app/handlers.py", 49}},
    {"load_profile", "app.services.load_profile", {"handle_request", "app.handlers", "app/handlers.py", 50}},
    {"call_billing", "app.clients.billing.charge", {"checkout", "app.handlers", "app/handlers.py", 88}},
    {"render_page", "app.views.render_page", {"handle_request", "app.handlers", "app/handlers.py", 71}},
    {"write_audit", "app.audit.write_audit", {"audit_later", "app.audit", "app/audit.py", 22}},
    {"refresh_cache", "app.cache.refresh", {"get_cached", "app.cache", "app/cache.py", 64}},
};

inline constexpr AwaitSite kAwaitSites[] = {
    {{"fetch_user", "app.db", "app/db.py", 88}, "asyncpg.Connection.fetchrow", 1.5, 0.9},
    {{"load_profile", "app.cache", "app/cache.py", 41}, "redis.asyncio.Redis.get", 0.3, 0.6},
    {{"charge", "app.clients.billing", "app/clients/billing.py", 132}, "aiohttp.ClientSession.post", 12.0, 1.3},
    {{"write_audit", "app.db", "app/db.py", 204}, "asyncpg.Connection.execute", 3.0, 1.0},
    {{"retry", "app.retry", "app/retry.py", 27}, "asyncio.sleep", 20.0, 0.3},
    {{"read_body", "app.http", "app/http.py", 63}, "asyncio.StreamReader.read", 0.8, 1.6},
};
inline constexpr uint32_t kBillingSite = 2;        // the one whose calls can time out
inline constexpr double kBillingTimeoutMs = 2000.0;

inline constexpr AwaitSite kGatherSite = {
    {"handle_request", "app.handlers", "app/handlers.py", 57}, "asyncio.gather", 0, 0};

inline constexpr Site kScopes[] = {
    {"parse_json", "app.codec", "app/codec.py", 18},
    {"validate", "app.schema", "app/schema.py", 70},
    {"render_template", "app.views", "app/views.py", 35},
    {"compress", "app.codec", "app/codec.py", 90},
    {"serialize", "app.codec", "app/codec.py", 121},
};

// Stacks captured while a thread was blocked, innermost first.
inline constexpr Site kStackLegacyHttp[] = {
    {"recv_into", "ssl", "ssl.py", 1275},
    {"get", "requests.api", "requests/api.py", 73},
    {"lookup_sync", "app.legacy", "app/legacy.py", 19},
    {"handle_request", "app.handlers", "app/handlers.py", 61},
};
inline constexpr Site kStackJson[] = {
    {"loads", "json", "json/__init__.py", 346},
    {"parse_json", "app.codec", "app/codec.py", 18},
    {"handle_request", "app.handlers", "app/handlers.py", 45},
};
inline constexpr Site kStackSleep[] = {
    {"sleep", "time", "<builtin>", 0},
    {"retry_sync", "app.retry", "app/retry.py", 55},
};
inline constexpr Site kStackHash[] = {
    {"pbkdf2_hmac", "hashlib", "<builtin>", 0},
    {"hash_password", "app.auth", "app/auth.py", 30},
    {"login", "app.handlers", "app/handlers.py", 102},
};

struct Stack {
    const Site* frames;
    uint32_t count;
};
inline constexpr Stack kStacks[] = {
    {kStackLegacyHttp, 4}, {kStackJson, 3}, {kStackSleep, 2}, {kStackHash, 3}};

inline constexpr const char* kErrorMessages[] = {
    "ConnectionResetError: [Errno 104] Connection reset by peer",
    "KeyError: 'user_id'",
    "ValueError: invalid profile payload",
    "asyncpg.exceptions.UniqueViolationError: duplicate key value violates unique constraint",
};
inline constexpr const char* kTimeoutMessage = "TimeoutError: billing did not answer within 2.0 s";
inline constexpr const char* kCancelMessages[] = {
    "CancelledError: client disconnected",
    "CancelledError: request deadline exceeded",
};

} // namespace weft::synth

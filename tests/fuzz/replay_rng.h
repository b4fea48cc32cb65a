#pragma once
// The replay drivers' random numbers: xorshift64*, deterministic, so that a failure replays
// identically on any machine.

#include <cstddef>
#include <cstdint>

struct ReplayRng {
    uint64_t state;
    uint64_t next() {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        return state * 0x2545F4914F6CDD1Dull;
    }
    size_t below(size_t n) { return n ? static_cast<size_t>(next() % n) : 0; }
};

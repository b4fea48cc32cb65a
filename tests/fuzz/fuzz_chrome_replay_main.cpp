// Replay driver of the Chrome JSON fuzz target for compilers without libFuzzer: runs it on each
// file of the committed corpus (given on the command line), then on deterministic mutations of them.

#include "replay_rng.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

using Rng = ReplayRng;

// Edits that break JSON where it hurts: structure, strings, numbers, truncation.
void mutate(std::vector<uint8_t>& bytes, Rng& rng) {
    static const char* const tokens[] = {"{", "}", "[", "]", ",", ":", "\"", "\\", "\\u00", "1e400", "-", "null",
                                         "\n", "\x01", "\xff", "\xc3", "{}", ",]", "\"ph\":\"X\"", "\"ts\":",
                                         "\"id2\":{\"local\":", "9999999999999999999999"};
    const int edits = 1 + static_cast<int>(rng.below(4));
    for (int i = 0; i < edits && !bytes.empty(); ++i) {
        const size_t at = rng.below(bytes.size());
        switch (rng.below(5)) {
        case 0:
            bytes[at] ^= static_cast<uint8_t>(1u << rng.below(8));
            break;
        case 1: {
            const std::string t = tokens[rng.below(sizeof tokens / sizeof tokens[0])];
            bytes.insert(bytes.begin() + static_cast<long>(at), t.begin(), t.end());
            break;
        }
        case 2:
            bytes.resize(at);
            break;
        case 3:
            bytes.erase(bytes.begin() + static_cast<long>(at),
                        bytes.begin() + static_cast<long>(std::min(bytes.size(), at + 1 + rng.below(8))));
            break;
        default: { // duplicate a range elsewhere
            const size_t len = rng.below(std::min<size_t>(96, bytes.size() - at)) + 1;
            const std::vector<uint8_t> piece(bytes.begin() + static_cast<long>(at),
                                             bytes.begin() + static_cast<long>(at + len));
            const size_t to = rng.below(bytes.size());
            bytes.insert(bytes.begin() + static_cast<long>(to), piece.begin(), piece.end());
        }
        }
    }
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::vector<uint8_t>> corpus;
    for (int i = 1; i < argc; ++i) {
        std::ifstream file(argv[i], std::ios::binary);
        corpus.emplace_back((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    }
    size_t runs = 0;
    for (const auto& input : corpus) {
        LLVMFuzzerTestOneInput(input.data(), input.size());
        ++runs;
    }
    Rng rng{0x0c4a0e5e5eedull};
    for (int round = 0; round < 4000 && !corpus.empty(); ++round) {
        std::vector<uint8_t> bytes = corpus[rng.below(corpus.size())];
        mutate(bytes, rng);
        LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
        ++runs;
    }
    std::printf("chrome fuzz replay: %zu inputs, no crash\n", runs);
    return 0;
}

// Fuzz entry point for the Chrome trace-event JSON importer: the input is a file's bytes (plain, or
// gzip when it starts like gzip), read with a chunk size taken from the input so that chunk
// boundaries fall everywhere, into a model builder, which then finishes the model.

#include "io/chrome/chrome_json_import.h"
#include "model/model_builder.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // The importer reads files: an anonymous memory file costs no disk.
    const int fd = memfd_create("weft-fuzz-json", 0);
    if (fd < 0) return 0;
    size_t written = 0;
    while (written < size) {
        const ssize_t n = ::write(fd, data + written, size - written);
        if (n <= 0) break;
        written += static_cast<size_t>(n);
    }
    weft::chrome::ImportTuning tuning;
    if (size > 0) {
        static constexpr size_t kChunks[] = {1, 2, 3, 7, 16, 61, 256, 4096, size_t{16} << 20};
        tuning.read_chunk = kChunks[data[0] % (sizeof kChunks / sizeof kChunks[0])];
    }
    weft::ModelBuilder builder;
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    weft::format::ReadReport report = weft::chrome::import_chrome_json(path, builder, {}, tuning);
    builder.add_read_report(report);
    (void)builder.finish();
    ::close(fd);
    return 0;
}

// Kept apart from the builder so that linking the builder alone does not pull in the file reader.

#include "model/model_builder.h"

namespace weft {

std::shared_ptr<const Model> load_trace(const std::string& path, format::ReadReport& report,
                                        const format::ReadOptions& options) {
    ModelBuilder builder;
    report = format::read_trace_file(path, builder, options);
    builder.add_read_report(report);
    return builder.finish();
}

} // namespace weft

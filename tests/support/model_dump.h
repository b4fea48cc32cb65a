#pragma once
// A canonical text form of a Model for comparisons in tests: strings and locations are printed by
// content (their ids depend on the order blocks arrived in), tasks by id, threads by name.
// Two models that mean the same trace dump to the same text.

#include "model/model.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace weft::test {

std::string dump_model(const Model& model);

// The task with this id (first process that has one), or an invalid index.
TaskIndex find_task(const Model& model, uint64_t task_id);
// The thread with this name, or an invalid index.
ThreadIndex find_thread(const Model& model, std::string_view name);
// The async span with this id that began first, or an invalid index.
AsyncSpanIndex find_span(const Model& model, uint64_t span_id);

} // namespace weft::test

#pragma once
// A small hand-built model for exporter tests: every section has something in it, including the
// awkward cases (an unfinished task and await, an invalid UTF-8 name, a missing parent).

#include "model/model.h"

#include <memory>

namespace weft::test {

std::shared_ptr<const Model> make_small_model();

} // namespace weft::test

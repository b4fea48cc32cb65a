#pragma once
// Blocking of event loops / threads above a threshold.

#include "model/model.h"

#include <vector>

namespace weft::analysis {

inline constexpr Time kDefaultBlockingThreshold = 100'000'000; // 100 ms

// Indices into Model::blocking with duration >= threshold, longest first.
std::vector<uint32_t> blocking_above(const Model& model, Time threshold = kDefaultBlockingThreshold);

} // namespace weft::analysis

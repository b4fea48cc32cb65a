#include "analysis/blocking.h"

#include <algorithm>

namespace weft::analysis {

std::vector<uint32_t> blocking_above(const Model& model, Time threshold) {
    std::vector<uint32_t> out;
    for (uint32_t i = 0; i < model.blocking.size(); ++i)
        if (model.blocking[i].duration() >= threshold) out.push_back(i);
    std::sort(out.begin(), out.end(), [&](uint32_t a, uint32_t b) {
        const Time da = model.blocking[a].duration();
        const Time db = model.blocking[b].duration();
        return da != db ? da > db : a < b;
    });
    return out;
}

} // namespace weft::analysis

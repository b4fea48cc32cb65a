#include "query/selection.h"

#include "model/model.h"

namespace weft {

TaskIndex owning_task(const Model& model, Selection s) {
    switch (s.kind) {
    case Selection::Kind::Task:
        return s.index < model.tasks.size() ? TaskIndex(s.index) : TaskIndex();
    case Selection::Kind::AwaitPoint:
        return s.index < model.awaits.size() ? model.awaits[s.index].task : TaskIndex();
    case Selection::Kind::RunSlice:
        return s.index < model.runs.size() ? model.runs.task[s.index] : TaskIndex();
    case Selection::Kind::AsyncSpan:
        return s.index < model.async_spans.size() ? model.async_spans[s.index].task : TaskIndex();
    case Selection::Kind::Blocking:
        return s.index < model.blocking.size() ? model.blocking[s.index].task : TaskIndex();
    default:
        return {};
    }
}

} // namespace weft

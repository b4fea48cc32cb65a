#pragma once
// A small trace with what imported (Chrome trace-event) traces carry, written in the event DSL:
//
//   global instant "everyone" at 70 (recorded on worker)
//   process "browser": counter memory/used 5 at 20, 10 at 30 (holds to the trace end)
//                      process instant "pmark" at 12
//   thread main:   instant "mark" at 10, sample at 15 (leaf < root), span "frame" [0,40] args {"n":1}
//                  flow 1 out at 5 from "frame"; async span 7 "request" [80,95] of task 9 "req",
//                  flow 2 out at 85 from it; no run slices
//   thread worker: span "handle" [50,60]: flow 1 arrives at 50; flow 2 arrives unbound at 90
//   task 9 "req": never runs on a thread; its only span is "request"
// Locations are as an importer makes them: name and category (target), no file.

#include "event_dsl.h"
#include "model_dump.h"

#include <memory>

namespace weft::test {

inline const char* imported_script() {
    return R"(
        process exe=browser pid=1
        thread M name=main
        thread W name=worker
        M 0    span frame args={"n":1}
        M 5    flow out 1 depth=0 at=post@ipc:0
        M 10   instant at=mark@toplevel:0 args={"k":"v"}
        M 12   instant at=pmark@x:0 scope=process
        M 15   sample name=cpu frames=leaf@a.c:1,root@a.c:0
        M 20   counter memory used 5
        M 30   counter memory used 10
        M 40   close
        W 50   span handle
        W 50   flow in 1 depth=0
        W 60   close
        W 70   instant at=everyone@x:0 scope=global
        M 80   create 9 name=req
        M 80   abegin 7 name=request task=9 args={"url":"/"}
        M 85   flow out 2 span=7
        W 90   flow in 2
        M 95   aend 7
        M 100  done 9 ok
    )";
}

// The DSL names a location `name@file:line`; an importer keeps an event's category where the file
// would be (Location::target) and has no file. This moves every location's file there.
inline std::shared_ptr<const Model> as_imported(std::shared_ptr<const Model> built) {
    auto m = std::make_shared<Model>(*built);
    for (size_t i = 1; i < m->locations.size(); ++i) {
        Location& loc = m->locations[i];
        if (loc.file.value == 0) continue;
        loc.target = loc.file;
        loc.file = StringId{0};
        loc.line = 0;
    }
    return m;
}

inline std::shared_ptr<const Model> imported_model() { return as_imported(build_model(imported_script())); }

} // namespace weft::test

// Instants, counters, samples, metadata and the phases Weft does not show.

#include "chrome_json.h"
#include "model_dump.h"

#include <gtest/gtest.h>

#include <cmath>

namespace weft::test {
namespace {

TEST(ChromeMarks, InstantsByScope) {
    const Imported in = load_json(json_array({
        R"({"name":"a","cat":"x","ph":"i","ts":1,"pid":1,"tid":1,"args":{"k":1}})",
        R"({"name":"b","ph":"I","ts":2,"pid":1,"tid":1,"s":"t"})",
        R"({"name":"c","ph":"i","ts":3,"pid":1,"tid":1,"s":"p"})",
        R"({"name":"d","ph":"R","ts":4,"pid":1,"tid":1,"s":"g"})",
        R"({"name":"e","ph":"i","ts":5,"pid":1,"tid":1,"s":"q"})",
        R"({"name":"g","ph":"i","ts":6,"s":"g"})",
    }));
    ASSERT_TRUE(in.report.errors.empty()) << in.errors();
    const Model& m = *in.model;
    const Thread& t = m.threads[m.processes[1].threads[0].value];
    ASSERT_EQ(t.instants.count, 3u); // a, b, e (an unknown scope reads as the thread)
    const Instant& a = m.instants[t.instants.first];
    EXPECT_EQ(m.string(m.location(a.location).name), "a");
    EXPECT_EQ(m.string(m.location(a.location).target), "x");
    EXPECT_EQ(m.string(a.args), R"({"k":1})");
    EXPECT_EQ(m.processes[1].instants.count, 1u);
    EXPECT_EQ(m.global_instants.count, 2u); // d, and g without pid (process 0)
    EXPECT_EQ(note(m, "unknown scope"), 1u);
}

TEST(ChromeMarks, CountersOneTrackPerNameIdAndKey) {
    const Imported in = load_json(json_array({
        R"({"name":"mem","ph":"C","ts":0,"pid":1,"tid":1,"args":{"used":10,"free":"90.5"}})",
        R"({"name":"mem","ph":"C","ts":2,"pid":1,"tid":1,"args":{"used":20}})",
        R"({"name":"mem","ph":"C","ts":1,"pid":1,"tid":1,"id":7,"args":{"used":5}})",
        R"({"name":"empty","ph":"C","ts":3,"pid":1,"tid":1,"args":{"text":"n/a","flag":true}})",
        R"({"name":"x","ph":"X","ts":0,"dur":1,"pid":1,"tid":1})",
    }));
    ASSERT_TRUE(in.report.errors.empty()) << in.errors();
    const Model& m = *in.model;
    std::string tracks;
    for (const CounterTrack& c : m.counters) {
        tracks += std::string(m.string(c.name)) + "/" + std::string(m.string(c.series)) + ":";
        for (uint32_t k = c.samples.first; k < c.samples.end(); ++k)
            tracks += " " + std::to_string(m.counter_samples.time[k]) + "=" + std::to_string(m.counter_samples.value[k]);
        tracks += "; ";
    }
    EXPECT_EQ(tracks, "mem/free: 0=90.500000; mem/used: 0=10.000000 2000=20.000000; mem[7]/used: 1000=5.000000; ");
    EXPECT_EQ(note(m, "without a numeric argument"), 1u);
    EXPECT_EQ(m.threads.size(), 1u);
}

TEST(ChromeMarks, ACounterOnlyThreadFoldsIntoItsProcess) {
    const Imported in = load_json(json_array({
        R"({"name":"c","ph":"C","ts":0,"pid":1,"args":{"v":1}})",
        R"({"name":"x","ph":"X","ts":0,"dur":1,"pid":1,"tid":2})",
    }));
    EXPECT_EQ(in.model->threads.size(), 1u);
    EXPECT_EQ(in.model->counters.size(), 1u);
}

TEST(ChromeMarks, MetadataNamesAndOrdersLanes) {
    const Imported in = load_json(json_array({
        R"({"name":"x","ph":"X","ts":0,"dur":1,"pid":10,"tid":1})",
        R"({"name":"x","ph":"X","ts":0,"dur":1,"pid":20,"tid":1})",
        R"({"name":"x","ph":"X","ts":0,"dur":1,"pid":20,"tid":2})",
        R"({"name":"process_name","ph":"M","pid":20,"args":{"name":"GPU"}})",
        R"({"name":"process_sort_index","ph":"M","pid":20,"args":{"sort_index":-1}})",
        R"({"name":"process_labels","ph":"M","pid":20,"args":{"labels":"gpu,main"}})",
        R"({"name":"thread_name","ph":"M","pid":20,"tid":2,"args":{"name":"VizCompositor"}})",
        R"({"name":"thread_sort_index","ph":"M","pid":20,"tid":2,"args":{"sort_index":-5}})",
        R"({"name":"num_cpus","ph":"M","pid":20,"args":{"number":8}})",
    }));
    ASSERT_TRUE(in.report.errors.empty()) << in.errors();
    const Model& m = *in.model;
    ASSERT_EQ(m.processes.size(), 2u);
    EXPECT_EQ(m.processes[0].exe, "GPU");
    EXPECT_EQ(m.processes[0].pid, 20u);
    EXPECT_EQ(m.processes[0].properties.at("labels"), "gpu,main");
    EXPECT_EQ(m.threads[m.processes[0].threads[0].value].name, "VizCompositor");
    EXPECT_EQ(m.processes[1].pid, 10u);
    EXPECT_EQ(note(m, "metadata events (M) of other kinds"), 1u);
}

TEST(ChromeMarks, SamplesWithStackFrames) {
    const std::string text = R"({"traceEvents":[
        {"name":"cpu","ph":"P","ts":1,"pid":1,"tid":1,"sf":3,"weight":2},
        {"name":"cpu","ph":"P","ts":2,"pid":1,"tid":1,"sf":"9"},
        {"name":"x","ph":"X","ts":0,"dur":1,"pid":1,"tid":7}],
      "stackFrames":{"1":{"name":"main","category":"app"},"2":{"name":"run","parent":1},"3":{"name":"leaf","parent":"2"}},
      "samples":[{"cpu":0,"tid":7,"ts":5,"name":"cycles","sf":2,"weight":1},{"tid":99,"ts":6,"name":"lost","sf":1}]})";
    const Imported in = load_json(text);
    ASSERT_TRUE(in.report.errors.empty()) << in.errors();
    const Model& m = *in.model;
    auto stack = [&](const Sample& s) {
        std::string out;
        for (uint32_t f = s.frames.first; f < s.frames.end(); ++f)
            out += std::string(m.string(m.location(m.frames[f]).name)) + ";";
        return out;
    };
    ASSERT_EQ(m.samples.size(), 4u);
    std::string all;
    for (const Thread& t : m.threads)
        for (uint32_t k = t.samples.first; k < t.samples.end(); ++k)
            all += t.name + "/" + std::to_string(t.os_thread_id) + ":" + std::string(m.string(m.samples[k].name)) + "x" +
                   std::to_string(m.samples[k].weight) + "{" + stack(m.samples[k]) + "} ";
    // Threads by first event: tid 7 has one at ts 0. A sample's tid that no event used gets a
    // process of its own; a frame id no stackFrames entry names stands for itself.
    EXPECT_EQ(all, "/7:cyclesx1{run;main;} /1:cpux2{leaf;run;main;} /1:cpux1{9;} /99:lostx1{main;} ");
    const Sample& first = m.samples[m.threads[1].samples.first];
    EXPECT_EQ(m.string(m.location(m.frames[first.frames.end() - 1]).target), "app");
}

TEST(ChromeMarks, PhasesWeftDoesNotShowAreCounted) {
    const Imported in = load_json(json_array({
        R"({"name":"o","ph":"N","ts":1,"pid":1,"tid":1,"id":"0x1"})",
        R"({"name":"o","ph":"O","ts":2,"pid":1,"tid":1,"id":"0x1","args":{"snapshot":{}}})",
        R"({"name":"o","ph":"D","ts":3,"pid":1,"tid":1,"id":"0x1"})",
        R"({"name":"periodic","ph":"v","ts":4,"pid":1,"tid":1,"id":"0x2","args":{"dumps":{}}})",
        R"({"name":"clock_sync","ph":"c","ts":5,"pid":1,"tid":1,"args":{"sync_id":"x"}})",
        R"({"name":"ctx","ph":"(","ts":6,"pid":1,"tid":1})",
        R"({"name":"?","ph":"Q","ts":7,"pid":1,"tid":1})",
        R"({"name":"x","ph":"X","ts":0,"dur":1,"pid":1,"tid":1})",
    }));
    ASSERT_TRUE(in.report.errors.empty()) << in.errors();
    const Model& m = *in.model;
    EXPECT_EQ(note(m, "object events"), 3u);
    EXPECT_EQ(note(m, "memory dump"), 1u);
    EXPECT_EQ(note(m, "clock sync"), 1u);
    EXPECT_EQ(note(m, "context events"), 1u);
    EXPECT_EQ(note(m, "unknown phase 'Q'"), 1u);
    EXPECT_EQ(m.thread_spans.size(), 1u);
}

TEST(ChromeMarks, V8CpuProfilesBecomeSamplesOfTheProfiledThread) {
    // As Chrome writes them: the profile starts on the sampled thread, its chunks come from the
    // profiler's thread with new call-tree nodes, samples and time deltas (microseconds).
    const Imported in = load_json(json_array({
        R"({"name":"thread_name","ph":"M","pid":1,"tid":1,"args":{"name":"CrRendererMain"}})",
        R"({"name":"x","ph":"X","ts":1000,"dur":1,"pid":1,"tid":1})",
        R"({"name":"Profile","cat":"v8","ph":"P","ts":1001,"pid":1,"tid":1,"id":"0x1","args":{"data":{"startTime":1000}}})",
        R"json({"name":"ProfileChunk","cat":"v8","ph":"P","ts":1050,"pid":1,"tid":9,"id":"0x1","args":{"data":{"cpuProfile":{"nodes":[{"callFrame":{"functionName":"(root)","scriptId":0},"id":1},{"callFrame":{"functionName":"work","url":"file:///p.html","lineNumber":1,"columnNumber":2},"id":2,"parent":1},{"callFrame":{"functionName":"","url":"file:///p.html","lineNumber":9},"id":3,"parent":2}],"samples":[2,3]},"timeDeltas":[10,5]}}})json",
        R"json({"name":"ProfileChunk","cat":"v8","ph":"P","ts":1060,"pid":1,"tid":9,"id":"0x1","args":{"data":{"cpuProfile":{"samples":[1]},"timeDeltas":[20]}}})json",
    }));
    ASSERT_TRUE(in.report.errors.empty()) << in.errors();
    const Model& m = *in.model;
    ASSERT_EQ(m.threads.size(), 1u); // the profiler's thread, holding nothing but its chunks, has no lane
    const Thread& main = m.thread(find_thread(m, "CrRendererMain"));
    ASSERT_EQ(main.samples.count, 3u);
    std::string all;
    for (uint32_t k = main.samples.first; k < main.samples.end(); ++k) {
        const Sample& s = m.samples[k];
        all += std::to_string(s.time) + ":";
        for (uint32_t f = s.frames.first; f < s.frames.end(); ++f)
            all += std::string(m.string(m.location(m.frames[f]).name)) + "@" + m.location_label(m.frames[f]) + ";";
        all += " ";
    }
    EXPECT_EQ(all, "10000:work@file:///p.html:2;(root)@; 15000:(anonymous)@file:///p.html:10;work@file:///p.html:2;(root)@; "
                   "35000:(root)@; ");
}

TEST(ChromeMarks, AFileOfOnlyUnshownEventsStillSaysWhatItHeld) {
    const Imported in = load_json(json_array({R"({"name":"o","ph":"N","ts":1,"pid":1,"tid":1,"id":"0x1"})"}));
    EXPECT_FALSE(in.report.fatal);
    EXPECT_EQ(note(*in.model, "object events"), 1u);
}

} // namespace
} // namespace weft::test

#pragma once
// What gen_chrome_trace's events are called: categories, slice names, args, async requests and
// counters as Chrome writes them, by the kind of thread that writes them.

#include <cstdint>
#include <iterator>
#include <utility>

namespace weft::bench {

enum class Args : uint8_t { Src, V8, Layout, Frame, Mojo, Gpu, Net };

struct SliceName {
    const char* cat;
    const char* name;
    Args args;
};

struct SrcLocation {
    const char* file;
    const char* func;
};

inline constexpr SrcLocation kSources[] = {
    {"../../base/task/sequence_manager/sequence_manager_impl.cc", "RunTask"},
    {"../../mojo/public/cpp/system/simple_watcher.cc", "Notify"},
    {"../../content/browser/renderer_host/render_widget_host_impl.cc", "ForwardInputEvent"},
    {"../../content/renderer/render_frame_impl.cc", "DidCommitNavigation"},
    {"../../third_party/blink/renderer/core/frame/local_frame_view.cc", "UpdateLifecyclePhases"},
    {"../../cc/trees/proxy_main.cc", "BeginMainFrame"},
    {"../../cc/scheduler/scheduler.cc", "BeginImplFrameWithDeadline"},
    {"../../ipc/ipc_mojo_bootstrap.cc", "Accept"},
    {"../../gpu/ipc/service/gpu_channel.cc", "HandleMessage"},
    {"../../components/viz/service/display/display_scheduler.cc", "OnBeginFrame"},
    {"../../services/network/url_loader.cc", "OnResponseStarted"},
    {"../../net/http/http_cache_transaction.cc", "DoLoop"},
    {"../../base/threading/sequence_bound_internal.h", "PostTaskToConstructBound"},
    {"../../third_party/blink/renderer/platform/scheduler/main_thread/main_thread_scheduler_impl.cc",
     "PostTask"},
};

inline constexpr const char* kMojoInterfaces[] = {
    "blink.mojom.WidgetHost",        "content.mojom.FrameHost",    "network.mojom.URLLoaderClient",
    "viz.mojom.CompositorFrameSink", "blink.mojom.LocalFrameHost", "network.mojom.URLLoaderFactory",
    "blink.mojom.FrameWidget",       "gpu.mojom.GpuChannel",
};
inline constexpr const char* kFunctions[] = {
    "onClick",           "render",     "dispatchEvent", "flushUpdates", "(anonymous)", "scheduleWork",
    "reconcileChildren", "commitRoot", "fetchJson",     "next"};
inline constexpr const char* kScripts[] = {"app.3f2a1b9c.js", "vendor.77e0c1d2.js", "runtime.0b9a.js",
                                           "analytics.js"};

enum class Flavor : uint8_t { BrowserMain, Io, Worker, RendererMain, Compositor, GpuMain, Viz, NetworkMain };

inline constexpr SliceName kBrowserMain[] = {
    {"navigation", "NavigationRequest::BeginNavigation", Args::Src},
    {"ipc,toplevel", "Receive mojom::FrameHost", Args::Mojo},
    {"browser", "RenderWidgetHostImpl::ForwardInputEvent", Args::Src},
    {"toplevel", "SimpleWatcher::OnHandleReady", Args::Src},
    {"content", "WebContentsImpl::DidStartNavigation", Args::Src},
    {"cc", "LayerTreeHost::UpdateLayers", Args::Frame},
    {"viz", "HostFrameSinkManager::OnFirstSurfaceActivation", Args::Src},
    {"mojom", "ChannelAssociatedGroupController::Accept", Args::Mojo},
};
inline constexpr SliceName kIo[] = {
    {"ipc,toplevel", "ChannelMojo::OnMessageReceived", Args::Mojo},
    {"mojom", "SimpleWatcher::OnHandleReady", Args::Src},
    {"toplevel", "MessagePumpLibevent::OnLibeventNotification", Args::Src},
    {"ipc", "ChannelAssociatedGroupController::Accept", Args::Mojo},
    {"mojom", "Send mojom::URLLoaderClient", Args::Mojo},
};
inline constexpr SliceName kWorker[] = {
    {"net", "HttpCache::Transaction::DoLoop", Args::Net},
    {"disabled-by-default-net", "SSLClientSocketImpl::DoHandshake", Args::Net},
    {"v8", "v8.parseOnBackground", Args::V8},
    {"v8", "V8.CompileCode", Args::V8},
    {"base", "ScopedBlockingCall::ScopedBlockingCall", Args::Src},
    {"sql", "Database::Execute", Args::Src},
    {"toplevel", "TaskAnnotator::RunTask", Args::Src},
    {"cc", "RasterTaskImpl::RunOnWorkerThread", Args::Frame},
};
inline constexpr SliceName kRendererMain[] = {
    {"blink", "PageAnimator::serviceScriptedAnimations", Args::Frame},
    {"devtools.timeline", "FunctionCall", Args::V8},
    {"v8", "v8.callFunction", Args::V8},
    {"v8", "V8.Execute", Args::V8},
    {"v8", "v8.compile", Args::V8},
    {"v8", "V8.GCScavenger", Args::V8},
    {"blink,devtools.timeline", "Layout", Args::Layout},
    {"blink,devtools.timeline", "UpdateLayoutTree", Args::Frame},
    {"blink,devtools.timeline", "Paint", Args::Frame},
    {"blink", "PrePaint", Args::Frame},
    {"devtools.timeline", "ParseHTML", Args::Frame},
    {"devtools.timeline", "EvaluateScript", Args::V8},
    {"devtools.timeline", "TimerFire", Args::Frame},
    {"blink", "HitTest", Args::Frame},
    {"cc,benchmark", "ProxyMain::BeginMainFrame", Args::Src},
    {"renderer.scheduler", "MainThreadSchedulerImpl::OnTaskCompleted", Args::Src},
};
inline constexpr SliceName kCompositor[] = {
    {"cc", "Scheduler::BeginFrame", Args::Src},
    {"cc", "ProxyImpl::ScheduledActionDraw", Args::Frame},
    {"cc", "LayerTreeHostImpl::PrepareToDraw", Args::Frame},
    {"cc", "TileManager::PrepareTiles", Args::Frame},
    {"viz", "CompositorFrameSinkSupport::SubmitCompositorFrame", Args::Mojo},
};
inline constexpr SliceName kGpuMain[] = {
    {"gpu", "GpuChannel::ExecuteDeferredRequest", Args::Gpu},
    {"gpu", "CommandBufferStub::OnAsyncFlush", Args::Gpu},
    {"gpu", "GLES2DecoderPassthroughImpl::DoSwapBuffers", Args::Gpu},
    {"gpu", "SkiaOutputSurfaceImplOnGpu::SwapBuffers", Args::Gpu},
    {"gpu", "Scheduler::RunNextTask", Args::Gpu},
};
inline constexpr SliceName kViz[] = {
    {"viz", "Display::DrawAndSwap", Args::Frame},
    {"viz", "DirectRenderer::DrawFrame", Args::Frame},
    {"viz", "SurfaceAggregator::Aggregate", Args::Frame},
    {"viz", "DisplayScheduler::OnBeginFrame", Args::Src},
    {"gpu", "SkiaRenderer::SwapBuffers", Args::Gpu},
};
inline constexpr SliceName kNetworkMain[] = {
    {"net", "URLLoader::OnReceiveResponse", Args::Net},
    {"net", "NetworkContext::CreateURLLoaderFactory", Args::Src},
    {"netlog", "URL_REQUEST_START_JOB", Args::Net},
    {"mojom", "SimpleWatcher::OnHandleReady", Args::Src},
};

inline std::pair<const SliceName*, uint32_t> vocabulary(Flavor f) {
    switch (f) {
    case Flavor::BrowserMain:
        return {kBrowserMain, std::size(kBrowserMain)};
    case Flavor::Io:
        return {kIo, std::size(kIo)};
    case Flavor::Worker:
        return {kWorker, std::size(kWorker)};
    case Flavor::RendererMain:
        return {kRendererMain, std::size(kRendererMain)};
    case Flavor::Compositor:
        return {kCompositor, std::size(kCompositor)};
    case Flavor::GpuMain:
        return {kGpuMain, std::size(kGpuMain)};
    case Flavor::Viz:
        return {kViz, std::size(kViz)};
    case Flavor::NetworkMain:
        return {kNetworkMain, std::size(kNetworkMain)};
    }
    return {kIo, std::size(kIo)};
}

// Slices written as B/E pairs (TRACE_EVENT_BEGIN / _END) rather than as complete events.
inline constexpr SliceName kBeginEnd[] = {
    {"blink", "ScriptedAnimationController::dispatchEvents", Args::Frame},
    {"v8", "V8.GC_MC_BACKGROUND_MARKING", Args::V8},
    {"toplevel", "ScopedAllowBlocking", Args::Src},
    {"cc", "PictureLayerImpl::AppendQuads", Args::Frame},
};

struct InstantName {
    const char* cat;
    const char* name;
    char scope; // 't' or 'p'
};
inline constexpr InstantName kInstants[] = {
    {"devtools.timeline", "InvalidateLayout", 't'}, {"blink", "ScheduleStyleRecalculation", 't'},
    {"cc", "BeginImplFrameDeadline", 't'},          {"loading", "MarkDOMContent", 't'},
    {"navigation", "NavigationTiming", 'p'},        {"v8", "V8.GCLowMemoryNotification", 'p'},
};
inline constexpr const char* kFlowNames[] = {"ThreadPool_PostTask", "SequenceManager PostTask",
                                             "MojoMessage"};

// A nestable async request: an outer span and nested steps, on threads of one process.
struct RequestKind {
    const char* cat;
    const char* outer;
    const char* steps[5];
};
inline constexpr RequestKind kBrowserRequests = {
    "navigation",
    "NavigationRequest",
    {"WillStartRequest", "WillRedirectRequest", "WillProcessResponse", "ReadyToCommit", "CommitNavigation"}};
inline constexpr RequestKind kRendererRequests = {
    "loading",
    "ResourceLoad",
    {"WillSendRequest", "ReceiveResponse", "ReceiveData", "Decode", "DidFinishLoading"}};
inline constexpr RequestKind kNetworkRequests = {
    "net",
    "URLRequest",
    {"HOST_RESOLVER_MANAGER_JOB", "SSL_CONNECT", "HTTP_TRANSACTION_SEND_REQUEST",
     "HTTP_TRANSACTION_READ_HEADERS", "URL_REQUEST_JOB_FILTERED_BYTES_READ"}};

struct CounterKind {
    const char* cat;
    const char* name;
    const char* keys[2]; // one or two series
};

} // namespace weft::bench

/* weft_asyncio._speedups: the agent's per-event work in C.
 *
 * The two hooks (Handle._run and BaseEventLoop._call_soon, hooks.c) record exactly what the
 * pure-Python ones in _agent.py record, and follow their structure so that the two can be read
 * side by side. What makes this path cheap is that the hot state is C data:
 *   - StateBase (the base of _agent._ThreadState) and BufferBase (the base of
 *     _writer.ThreadBuffer) keep the fields read on every callback as C members, which Python
 *     reads and writes as ordinary attributes;
 *   - the running thread's state is found through a C thread-local, not threading.local;
 *   - the attributes of a Handle are read at the offsets of its slots;
 *   - events are packed here, the clock is read here, a callback runs in its context here, and
 *     an await's site is found by walking the coroutine chain here, with the caches of _sites.
 * What is rare stays in Python and is called from here: a task seen for the first time, the
 * first sight of a code object or location, a completion with an exception, an await on a task
 * or a bare future, blocking, lag samples, handing a block over. */

#include "speedups.h"

Config cfg;
static int configured;

PyObject* g_recorder;
PyObject* g_tasks;
long long g_blocking_ticks;
Py_ssize_t g_max_tasks;
unsigned long long g_next_task_id = 1;
unsigned long g_generation;

PyObject *s_state, *s__enter_loop, *s__lag, *s__blocking, *s_append, *s_done, *s_cancelled, *s__exception,
    *s__fut_waiter, *s_flush, *s_get_name, *s_get_coro, *s_string, *s_location, *s___self__, *s___name__,
    *s_cr_code, *s_cr_await, *s_cr_frame, *s_gi_frame, *s_gi_yieldfrom, *s_f_code, *s_f_lasti, *s_run,
    *s__lag_wanted, *s__callback, *s__args, *s__context, *s__loop, *s__when, *s_task_dash, *s_gather,
    *s__GatheringFuture, *s___qualname__;

static int take(PyObject* from, const char* name, PyObject** out) {
    PyObject* v = PyObject_GetAttrString(from, name);
    if (!v) return -1;
    Py_XSETREF(*out, v);
    return 0;
}

/* The hooks, as the method descriptors configure() makes of them for Handle and BaseEventLoop:
 * a method descriptor is called with its instance directly (no bound method is made per call,
 * as it would be for a Python function or an instancemethod). */
static PyMethodDef run_def = {"_run", (PyCFunction)run_hook, METH_NOARGS,
                              "Handle._run while tracing (weft_asyncio)."};
static PyMethodDef call_soon_def = {"_call_soon", (PyCFunction)(void (*)(void))call_soon_hook, METH_FASTCALL,
                                    "BaseEventLoop._call_soon while tracing (weft_asyncio)."};

static PyObject* configure(PyObject* module, PyObject* args) {
    PyObject *agent, *sites;
    if (!PyArg_ParseTuple(args, "OO:configure", &agent, &sites)) return NULL;
    if (take(agent, "_orig_run", &cfg.orig_run) || take(agent, "_orig_call_soon", &cfg.orig_call_soon) ||
        take(agent, "_CALLBACK_KIND", &cfg.callback_kind) || take(agent, "_STEP_NAMES", &cfg.step_names) ||
        take(agent, "_TASK_TYPES", &cfg.task_types) || take(agent, "_TimerHandle", &cfg.timer_type) ||
        take(agent, "_report_step_error", &cfg.report_step_error) ||
        take(agent, "_stamp_lag_probe", &cfg.stamp_lag_probe) || take(agent, "_NO_PROBE", &cfg.no_probe) ||
        take(agent, "_coro_name", &cfg.coro_name) ||
        take(agent, "_new_created_event", &cfg.new_created_event) ||
        take(agent, "__dict__", &cfg.agent_globals) || take(sites, "is_internal", &cfg.is_internal) ||
        take(sites, "_remember_lasti", &cfg.remember_lasti) ||
        take(sites, "_internal_description", &cfg.internal_description))
        return NULL;
    if (!PyDict_Check(cfg.callback_kind) || !PyAnySet_Check(cfg.step_names) ||
        !PyDict_Check(cfg.agent_globals)) {
        PyErr_SetString(PyExc_TypeError, "weft_asyncio._speedups.configure: unexpected tables");
        return NULL;
    }
    PyObject* max_bytes = PyObject_GetAttrString(agent, "MAX_BLOCK_STRING_BYTES");
    if (!max_bytes) return NULL;
    cfg.max_block_string_bytes = PyLong_AsLongLong(max_bytes);
    Py_DECREF(max_bytes);
    if (cfg.max_block_string_bytes == -1 && PyErr_Occurred()) return NULL;
    PyObject* handle_type = PyObject_GetAttrString(agent, "_Handle");
    if (!handle_type) return NULL;
    if (!PyType_Check(handle_type)) {
        Py_DECREF(handle_type);
        PyErr_SetString(PyExc_TypeError, "weft_asyncio._speedups.configure: _Handle is no type");
        return NULL;
    }
    Py_XSETREF(cfg.handle_type, (PyTypeObject*)handle_type);
    PyObject* loop_type = PyObject_GetAttrString(agent, "_BaseEventLoop");
    if (!loop_type) return NULL;
    PyObject* run = PyType_Check(loop_type) ? PyDescr_NewMethod(cfg.handle_type, &run_def) : NULL;
    PyObject* call_soon = run ? PyDescr_NewMethod((PyTypeObject*)loop_type, &call_soon_def) : NULL;
    Py_DECREF(loop_type);
    if (!call_soon || PyModule_AddObject(module, "Handle_run", run) < 0) {
        Py_XDECREF(run);
        Py_XDECREF(call_soon);
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "_BaseEventLoop is no type");
        return NULL;
    }
    if (PyModule_AddObject(module, "BaseEventLoop_call_soon", call_soon) < 0) {
        Py_DECREF(call_soon);
        return NULL;
    }
    cfg.off_callback = slot_offset(cfg.handle_type, "_callback");
    cfg.off_args = slot_offset(cfg.handle_type, "_args");
    cfg.off_context = slot_offset(cfg.handle_type, "_context");
    cfg.off_loop = slot_offset(cfg.handle_type, "_loop");
    cfg.off_when = PyType_Check(cfg.timer_type) ? slot_offset((PyTypeObject*)cfg.timer_type, "_when") : -1;
    configured = 1;
    Py_RETURN_NONE;
}

static PyObject* set_recorder(PyObject* module, PyObject* rec) {
    if (rec != Py_None && !configured) {
        PyErr_SetString(PyExc_RuntimeError, "weft_asyncio._speedups: configure() first");
        return NULL;
    }
    PyObject* tasks = NULL;
    long long blocking_ticks = 0;
    if (rec != Py_None) {
        tasks = PyObject_GetAttrString(rec, "tasks");
        if (!tasks) return NULL;
        if (!PyDict_Check(tasks)) {
            Py_DECREF(tasks);
            PyErr_SetString(PyExc_TypeError, "Recorder.tasks must be a dict");
            return NULL;
        }
        PyObject* m = PyObject_GetAttrString(rec, "max_tasks");
        g_max_tasks = m ? PyLong_AsSsize_t(m) : -1;
        Py_XDECREF(m);
        if (g_max_tasks < 0) {
            Py_DECREF(tasks);
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "Recorder.max_tasks < 0");
            return NULL;
        }
        PyObject* b = PyObject_GetAttrString(rec, "blocking_ticks");
        if (!b) {
            Py_DECREF(tasks);
            return NULL;
        }
        blocking_ticks = PyLong_AsLongLong(b);
        Py_DECREF(b);
        if (blocking_ticks == -1 && PyErr_Occurred()) {
            Py_DECREF(tasks);
            return NULL;
        }
        Py_INCREF(rec);
    }
    ++g_generation;
    Py_XSETREF(g_recorder, rec == Py_None ? NULL : rec);
    Py_XSETREF(g_tasks, tasks);
    g_blocking_ticks = blocking_ticks;
    Py_RETURN_NONE;
}

static PyObject* now_ticks_py(PyObject* module, PyObject* unused) {
    return PyLong_FromLongLong(now_ticks());
}

static PyMethodDef module_functions[] = {
    {"configure", configure, METH_VARARGS,
     "configure(agent, sites): the agent's and _sites' tables and fallbacks."},
    {"set_recorder", set_recorder, METH_O, "set_recorder(rec or None): the active recorder."},
    {"now_ticks", now_ticks_py, METH_NOARGS, "The agent's clock, as time.perf_counter_ns()."},
    {"watch_start", watch_start, METH_VARARGS,
     "watch_start(period_s, threshold_ticks, on_blocked, every_second): the watchdog thread."},
    {"watch_state", watch_state, METH_O, "watch_state(state): a loop thread to watch."},
    {"watch_stop", watch_stop, METH_NOARGS, "Stop the watchdog thread and forget its states."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    "weft_asyncio._speedups",
    "The Python agent's per-event work in C (see _agent.py for the pure-Python equivalent).",
    -1,
    module_functions,
    NULL,
    NULL,
    NULL,
    NULL,
};

#define INTERN(var, text)                                                                                    \
    do {                                                                                                     \
        if (!((var) = PyUnicode_InternFromString(text))) return NULL;                                        \
    } while (0)

PyMODINIT_FUNC PyInit__speedups(void) {
    INTERN(s_state, "state");
    INTERN(s__enter_loop, "_enter_loop");
    INTERN(s__lag, "_lag");
    INTERN(s__blocking, "_blocking");
    INTERN(s_append, "append");
    INTERN(s_done, "done");
    INTERN(s_cancelled, "cancelled");
    INTERN(s__exception, "_exception");
    INTERN(s__fut_waiter, "_fut_waiter");
    INTERN(s_flush, "flush");
    INTERN(s_get_name, "get_name");
    INTERN(s_get_coro, "get_coro");
    INTERN(s_string, "string");
    INTERN(s_location, "location");
    INTERN(s___self__, "__self__");
    INTERN(s___name__, "__name__");
    INTERN(s___qualname__, "__qualname__");
    INTERN(s_cr_code, "cr_code");
    INTERN(s_cr_await, "cr_await");
    INTERN(s_cr_frame, "cr_frame");
    INTERN(s_gi_frame, "gi_frame");
    INTERN(s_gi_yieldfrom, "gi_yieldfrom");
    INTERN(s_f_code, "f_code");
    INTERN(s_f_lasti, "f_lasti");
    INTERN(s_run, "run");
    INTERN(s__lag_wanted, "_lag_wanted");
    INTERN(s__callback, "_callback");
    INTERN(s__args, "_args");
    INTERN(s__context, "_context");
    INTERN(s__loop, "_loop");
    INTERN(s__when, "_when");
    INTERN(s_gather, "gather");
    INTERN(s_task_dash, "Task-");
    INTERN(s__GatheringFuture, "_GatheringFuture");
    if (sites_init() < 0) return NULL;
    watch_init();
    if (PyType_Ready(&EventLog_Type) < 0 || PyType_Ready(&BufferBase_Type) < 0 ||
        PyType_Ready(&StateBase_Type) < 0)
        return NULL;
    PyObject* m = PyModule_Create(&module_def);
    if (!m) return NULL;
    Py_INCREF(&EventLog_Type);
    if (PyModule_AddObject(m, "EventLog", (PyObject*)&EventLog_Type) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(&BufferBase_Type);
    Py_INCREF(&StateBase_Type);
    if (PyModule_AddObject(m, "BufferBase", (PyObject*)&BufferBase_Type) < 0 ||
        PyModule_AddObject(m, "StateBase", (PyObject*)&StateBase_Type) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}

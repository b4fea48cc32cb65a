/* The hooks: Handle._run and BaseEventLoop._call_soon while tracing (as _agent._run_hook and
 * _agent._call_soon_hook), and the running thread's recording state they find. */

#include "speedups.h"

/* The running thread's state, as the active recorder made it (borrowed: its threading.local
 * holds it for as long as the thread lives). */
#define FAST_TLS __attribute__((tls_model("initial-exec")))
static _Thread_local StateBase* tl_state FAST_TLS;
static _Thread_local unsigned long tl_generation FAST_TLS;

/* ---- the thread's state ------------------------------------------------------------------- */

static StateBase* thread_state(void) {
    if (tl_generation == g_generation && tl_state) return tl_state;
    PyObject* state = PyObject_CallMethodNoArgs(g_recorder, s_state);
    if (!state) return NULL;
    if (!PyObject_TypeCheck(state, &StateBase_Type) ||
        !PyObject_TypeCheck(((StateBase*)state)->buf, &BufferBase_Type)) {
        Py_DECREF(state);
        PyErr_SetString(PyExc_TypeError, "weft_asyncio: thread state of an unexpected type");
        return NULL;
    }
    tl_state = (StateBase*)state;
    tl_generation = g_generation;
    Py_DECREF(state); /* rec._tls keeps it */
    return tl_state;
}

/* ---- running a callback ------------------------------------------------------------------- */

/* What Handle._run does: callback(*args) in the handle's context; NULL with the exception set. */
static PyObject* run_in_context(PyObject* handle, PyObject* callback) {
    PyObject* args = handle_slot(handle, cfg.off_args, s__args);
    if (!args) return NULL;
    PyObject* context = handle_slot(handle, cfg.off_context, s__context);
    if (!context) {
        Py_DECREF(args);
        return NULL;
    }
    PyObject* result = NULL;
    if (PyContext_CheckExact(context) && PyTuple_CheckExact(args)) {
        if (PyContext_Enter(context) == 0) {
            result = PyObject_Vectorcall(callback, &PyTuple_GET_ITEM(args, 0), PyTuple_GET_SIZE(args), NULL);
            if (PyContext_Exit(context) < 0) Py_CLEAR(result);
        }
    } else {
        PyObject* seq = PySequence_Tuple(args);
        if (seq) {
            PyObject* full = PyTuple_New(PyTuple_GET_SIZE(seq) + 1);
            if (full) {
                Py_INCREF(callback);
                PyTuple_SET_ITEM(full, 0, callback);
                for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(seq); ++i) {
                    PyObject* item = PyTuple_GET_ITEM(seq, i);
                    Py_INCREF(item);
                    PyTuple_SET_ITEM(full, i + 1, item);
                }
                PyObject* run = PyObject_GetAttr(context, s_run);
                if (run) {
                    result = PyObject_Call(run, full, NULL);
                    Py_DECREF(run);
                }
                Py_DECREF(full);
            }
            Py_DECREF(seq);
        }
    }
    Py_DECREF(context);
    Py_DECREF(args);
    return result;
}

/* Runs the callback; an exception it raised is reported as asyncio reports it (through the
 * original Handle._run), except SystemExit and KeyboardInterrupt, which are left set (-1). */
static int run_callback(PyObject* handle, PyObject* callback) {
    PyObject* result = run_in_context(handle, callback);
    if (result) {
        Py_DECREF(result);
        return 0;
    }
    if (PyErr_ExceptionMatches(PyExc_SystemExit) || PyErr_ExceptionMatches(PyExc_KeyboardInterrupt))
        return -1;
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb && value) PyException_SetTraceback(value, tb);
    PyObject* r = PyObject_CallFunctionObjArgs(cfg.report_step_error, handle, value ? value : Py_None, NULL);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    if (r) {
        Py_DECREF(r);
        return 0;
    }
    /* the report itself raised (a SystemExit from an exception handler, say): propagate */
    return -1;
}

static void blocking(StateBase* state, long long t0, long long t1, long long task_id) {
    PyObject *a = PyLong_FromLongLong(t0), *b = PyLong_FromLongLong(t1), *c = PyLong_FromLongLong(task_id);
    if (a && b && c) {
        PyObject* args[5] = {state->buf, (PyObject*)state, a, b, c};
        if (call_method(g_recorder, s__blocking, args, 5) < 0) PyErr_Clear();
    }
    Py_XDECREF(a);
    Py_XDECREF(b);
    Py_XDECREF(c);
}

/* Recorder._lag, called when a callback starts past lag_due. While a probe waits (lag_due is 0
 * then), a callback that is not the probe changes nothing, as long as the probe is alive: that
 * case, the frequent one, is decided here. */
static void lag(StateBase* state, PyObject* handle, long long t0) {
    PyObject* probe = state->lag_probe;
    if (probe && probe != cfg.no_probe && PyWeakref_Check(probe)) {
        PyObject* timed = PyWeakref_GET_OBJECT(probe);
        if (timed != handle && timed != Py_None) return;
    }
    PyObject* t = PyLong_FromLongLong(t0);
    if (t) {
        PyObject* args[3] = {(PyObject*)state, handle, t};
        if (call_method(g_recorder, s__lag, args, 3) < 0) PyErr_Clear();
        Py_DECREF(t);
    }
}

/* Saves a pending exception (a SystemExit the callback raised) around bookkeeping. */
typedef struct {
    PyObject *type, *value, *tb;
} SavedError;

static SavedError save_error(int failed) {
    SavedError e = {NULL, NULL, NULL};
    if (failed) PyErr_Fetch(&e.type, &e.value, &e.tb);
    return e;
}

static void restore_error(SavedError e) {
    if (e.type) {
        drop_agent_error();
        PyErr_Restore(e.type, e.value, e.tb);
    } else {
        drop_agent_error();
    }
}

/* ---- the hooks ---------------------------------------------------------------------------- */

/* Handle._run while tracing (_agent._run_hook): `handle` is self. */
PyObject* run_hook(PyObject* handle, PyObject* unused) {
    if (!g_recorder) return PyObject_CallOneArg(cfg.orig_run, handle);
    StateBase* state = thread_state();
    if (!state) {
        PyErr_Clear();
        return PyObject_CallOneArg(cfg.orig_run, handle);
    }
    PyObject* loop = handle_slot(handle, cfg.off_loop, s__loop);
    if (!loop) return NULL;
    if (state->loop != loop) {
        PyObject* args[2] = {(PyObject*)state, loop};
        if (call_method(g_recorder, s__enter_loop, args, 2) < 0) PyErr_Clear();
    }
    Py_DECREF(loop);
    PyObject* callback = handle_slot(handle, cfg.off_callback, s__callback);
    if (!callback) return NULL;
    PyObject* task = task_of(callback);
    Py_XINCREF(task);
    if (!task) {
        /* Not a task step: timed only, for blocking detection (and now and then for lag). */
        long long t0 = now_ticks();
        if (state->lag_clock && (PyObject*)Py_TYPE(handle) == cfg.timer_type) {
            PyObject* when = handle_slot(handle, cfg.off_when, s__when);
            if (when) {
                double due = PyFloat_AsDouble(when);
                Py_DECREF(when);
                double late = monotonic_seconds() - due;
                if (!PyErr_Occurred() && late > state->lag_late) state->lag_late = late;
            }
            drop_agent_error();
        }
        if (t0 >= state->lag_due) lag(state, handle, t0);
        state->active_since = t0;
        int failed = run_callback(handle, callback) < 0;
        long long t1 = now_ticks();
        state->active_since = 0;
        Py_DECREF(callback);
        if (t1 - t0 >= g_blocking_ticks) {
            SavedError e = save_error(failed);
            blocking(state, t0, t1, 0);
            restore_error(e);
        }
        if (failed) return NULL;
        Py_RETURN_NONE;
    }
    Py_INCREF(state); /* the step may end the thread's recording (stop()) */
    BufferBase* buf = (BufferBase*)state->buf;
    Py_INCREF(buf);
    PyObject* result = NULL;
    PyObject* entry = entry_of(task);
    if (!entry) {
        drop_agent_error();
        PyObject* made = created(state, task, 0); /* created before tracing started */
        if (made && made != Py_None) {
            entry = made;
        } else {
            Py_XDECREF(made);
            drop_agent_error();
            /* untracked (max_tasks): its run_begin and run_end are counted as lost */
            buf->dropped += 2;
            result = PyObject_CallOneArg(cfg.orig_run, handle);
            goto out;
        }
    } else {
        Py_INCREF(entry);
    }
    const long long task_id = entry_id(entry);
    long long t0 = now_ticks();
    if (t0 >= state->lag_due) lag(state, handle, t0);
    if (entry_awaiting(entry)) { /* woken without passing through _call_soon */
        set_entry(entry, 2, Py_False);
        if (append3(buf, AWAIT_END, t0, task_id) < 0) PyErr_Clear();
    }
    if (append3(buf, TASK_RUN_BEGIN, t0, task_id) < 0) PyErr_Clear();
    const long long outer = state->running;
    state->running = task_id;
    state->active_since = t0;
    const int failed = run_callback(handle, callback) < 0;
    const long long t1 = now_ticks();
    state->active_since = 0;
    state->running = outer;
    SavedError e = save_error(failed);
    /* buf->events now: a flush inside the step may have started a new block */
    if (append3(buf, TASK_RUN_END, t1, task_id) < 0) PyErr_Clear();
    if (t1 - t0 >= g_blocking_ticks) blocking(state, t0, t1, task_id);
    PyObject* done = PyObject_CallMethodNoArgs(task, s_done);
    if (done == Py_True) {
        if (completed(buf, task, entry, task_id) < 0) PyErr_Clear();
    } else if (done == Py_False) {
        PyObject* waiter = PyObject_GetAttr(task, s__fut_waiter);
        if (waiter && waiter != Py_None && await_begin(buf, task, waiter, entry, t1) < 0) PyErr_Clear();
        Py_XDECREF(waiter);
    }
    Py_XDECREF(done);
    drop_agent_error();
    if (PyObject_Length(buf->events) >= buf->max_events) {
        if (call_method((PyObject*)buf, s_flush, NULL, 0) < 0) PyErr_Clear();
    }
    restore_error(e);
    if (!failed) result = Py_NewRef(Py_None);
    Py_DECREF(entry);
out:
    Py_DECREF(buf);
    Py_DECREF(state);
    Py_DECREF(task);
    Py_DECREF(callback);
    return result;
}

/* BaseEventLoop._call_soon while tracing (_agent._call_soon_hook): self is the loop. */
PyObject* call_soon_hook(PyObject* self, PyObject* const* given, Py_ssize_t nargs) {
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "_call_soon() takes callback, args and context");
        return NULL;
    }
    PyObject* args[4] = {self, given[0], given[1], given[2]};
    PyObject* callback = args[1];
    if (g_recorder) {
        PyObject* task = task_of(callback);
        if (task) {
            Py_INCREF(task);
            PyObject* entry = entry_of(task);
            if (!entry) {
                drop_agent_error();
                StateBase* state = thread_state();
                PyObject* made = state ? created(state, task, 1) : NULL;
                Py_XDECREF(made);
            } else if (entry_awaiting(entry)) { /* the future it waited for is done: woken */
                set_entry(entry, 2, Py_False);
                StateBase* state = thread_state();
                if (state) append3((BufferBase*)state->buf, AWAIT_END, now_ticks(), entry_id(entry));
            }
            Py_DECREF(task);
            drop_agent_error();
        }
    }
    PyObject* handle = PyObject_Vectorcall(cfg.orig_call_soon, args, 4, NULL);
    if (!handle) return NULL;
    /* (Debug mode's creation stack needs no trimming: this hook has no Python frame.) */
    PyObject* wanted = PyDict_GetItemWithError(cfg.agent_globals, s__lag_wanted);
    if (wanted == Py_True) {
        PyObject* r = PyObject_CallOneArg(cfg.stamp_lag_probe, handle);
        Py_XDECREF(r);
    }
    drop_agent_error();
    return handle;
}

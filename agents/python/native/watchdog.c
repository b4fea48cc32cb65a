/* The watchdog thread. */

#include "speedups.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

/* A thread of its own that looks at the loop threads' active_since every period without the GIL,
 * and takes it only to sample a loop blocked past the threshold (Recorder.sample_blocked) and
 * about once a second for housekeeping. A Python thread would take the GIL at every wake-up,
 * and a loop thread hands the GIL over at each of its polls while another thread waits for it:
 * at 40 wake-ups a second that costs a busy loop several per cent. */

typedef struct {
    StateBase* state;        /* a strong reference, taken with the GIL */
    long long sampled_since; /* the blocked run already reported to Python */
} Watched;

static pthread_mutex_t w_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t w_wake;
static pthread_t w_thread;
static int w_started, w_stop;
static Watched* w_states;
static size_t w_count, w_capacity;
static long long w_period_ns, w_threshold_ticks;
static PyObject *w_on_blocked, *w_every_second;

static int interpreter_finalizing(void) {
#if PY_VERSION_HEX >= 0x030D0000
    return Py_IsFinalizing();
#else
    return _Py_IsFinalizing();
#endif
}

static void call_with_gil(PyObject* blocked, PyObject* second) {
    if (interpreter_finalizing()) return;
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject* callbacks[2] = {blocked, second};
    for (int i = 0; i < 2; ++i) {
        if (!callbacks[i]) continue;
        PyObject* r = PyObject_CallNoArgs(callbacks[i]);
        if (r)
            Py_DECREF(r);
        else
            PyErr_Clear(); /* best effort: the traced program must not notice */
    }
    PyGILState_Release(gil);
}

static void* watch_main(void* unused) {
    struct timespec due;
    clock_gettime(CLOCK_MONOTONIC, &due);
    long long last_second = now_ticks();
    pthread_mutex_lock(&w_lock);
    while (!w_stop) {
        due.tv_nsec += w_period_ns % 1000000000LL;
        due.tv_sec += w_period_ns / 1000000000LL + due.tv_nsec / 1000000000L;
        due.tv_nsec %= 1000000000L;
        while (!w_stop && pthread_cond_timedwait(&w_wake, &w_lock, &due) != ETIMEDOUT) {
        }
        if (w_stop) break;
        const long long now = now_ticks();
        int blocked = 0;
        if (w_threshold_ticks > 0) {
            for (size_t i = 0; i < w_count; ++i) {
                /* written by its loop thread (with the GIL) around each callback */
                const long long since = __atomic_load_n(&w_states[i].state->active_since, __ATOMIC_RELAXED);
                if (since && now - since >= w_threshold_ticks && w_states[i].sampled_since != since) {
                    w_states[i].sampled_since = since;
                    blocked = 1;
                }
            }
        }
        const int second = now - last_second >= 1000000000LL;
        if (second) last_second = now;
        if (blocked || second) {
            PyObject* on_blocked = blocked ? w_on_blocked : NULL;
            PyObject* every_second = second ? w_every_second : NULL;
            pthread_mutex_unlock(&w_lock);
            call_with_gil(on_blocked, every_second);
            pthread_mutex_lock(&w_lock);
        }
    }
    pthread_mutex_unlock(&w_lock);
    return NULL;
}

static void watch_forget_after_fork(void) {
    /* the thread does not exist in a child process: start afresh there */
    pthread_mutex_init(&w_lock, NULL);
    w_started = 0;
    w_stop = 0;
    w_count = 0; /* the references are the parent's; leaked in the child rather than freed */
}

PyObject* watch_start(PyObject* module, PyObject* args) {
    double period_s;
    long long threshold;
    PyObject *on_blocked, *every_second;
    if (!PyArg_ParseTuple(args, "dLOO:watch_start", &period_s, &threshold, &on_blocked, &every_second))
        return NULL;
    if (w_started) {
        PyErr_SetString(PyExc_RuntimeError, "the watchdog is already running");
        return NULL;
    }
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w_wake, &attr);
    pthread_condattr_destroy(&attr);
    Py_XSETREF(w_on_blocked, Py_NewRef(on_blocked));
    Py_XSETREF(w_every_second, Py_NewRef(every_second));
    w_period_ns = period_s > 0.0005 ? (long long)(period_s * 1e9) : 500000;
    w_threshold_ticks = threshold;
    w_stop = 0;
    if (pthread_create(&w_thread, NULL, watch_main, NULL) != 0) {
        PyErr_SetString(PyExc_RuntimeError, "cannot start the watchdog thread");
        return NULL;
    }
    w_started = 1;
    Py_RETURN_NONE;
}

PyObject* watch_state(PyObject* module, PyObject* state) {
    if (!PyObject_TypeCheck(state, &StateBase_Type)) {
        PyErr_SetString(PyExc_TypeError, "watch_state() takes a thread state");
        return NULL;
    }
    pthread_mutex_lock(&w_lock);
    if (w_count == w_capacity) {
        const size_t capacity = w_capacity ? 2 * w_capacity : 8;
        Watched* grown = realloc(w_states, capacity * sizeof *grown);
        if (!grown) {
            pthread_mutex_unlock(&w_lock);
            return PyErr_NoMemory();
        }
        w_states = grown;
        w_capacity = capacity;
    }
    Py_INCREF(state);
    w_states[w_count].state = (StateBase*)state;
    w_states[w_count].sampled_since = 0;
    ++w_count;
    pthread_mutex_unlock(&w_lock);
    Py_RETURN_NONE;
}

PyObject* watch_stop(PyObject* module, PyObject* unused) {
    if (w_started) {
        pthread_mutex_lock(&w_lock);
        w_stop = 1;
        pthread_cond_signal(&w_wake);
        pthread_mutex_unlock(&w_lock);
        Py_BEGIN_ALLOW_THREADS /* it may be waiting for the GIL to call Python */
            pthread_join(w_thread, NULL);
        Py_END_ALLOW_THREADS pthread_cond_destroy(&w_wake);
        w_started = 0;
    }
    pthread_mutex_lock(&w_lock);
    const size_t count = w_count;
    Watched* states = w_states;
    w_states = NULL;
    w_count = w_capacity = 0;
    pthread_mutex_unlock(&w_lock);
    for (size_t i = 0; i < count; ++i)
        Py_DECREF(states[i].state);
    free(states);
    Py_CLEAR(w_on_blocked);
    Py_CLEAR(w_every_second);
    Py_RETURN_NONE;
}

void watch_init(void) {
    pthread_atfork(NULL, NULL, watch_forget_after_fork);
}

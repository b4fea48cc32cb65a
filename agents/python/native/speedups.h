/* weft_asyncio._speedups: what its parts share. module.c says what the extension is for. */

#ifndef WEFT_ASYNCIO_SPEEDUPS_H
#define WEFT_ASYNCIO_SPEEDUPS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include <structmember.h>
#include <time.h>

/* ---- event logs (event_log.c) -------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    unsigned char* data;
    Py_ssize_t size, capacity;
    uint32_t* starts; /* start of each event in data */
    Py_ssize_t count, starts_capacity;
} EventLog;

extern PyTypeObject EventLog_Type;
#define EventLog_CheckExact(o) Py_IS_TYPE((o), &EventLog_Type)

int log_append(EventLog* log, const unsigned char* event, Py_ssize_t size);
/* Rewrites the packed uint32 field at byte `offset` of event `index`; 0 when it has none. */
int log_patch_u32(EventLog* log, Py_ssize_t index, Py_ssize_t offset, uint64_t value);

/* ---- a thread's buffer and recording state (thread_types.c) -------------------------------- */

/* The fields of _writer.ThreadBuffer that the hooks write (it derives from this type). */
typedef struct {
    PyObject_HEAD
    PyObject* events; /* an EventLog (its setter refuses anything else) */
    long long last;   /* tick of the previous event: each event's dt is taken from it */
    Py_ssize_t max_events;
    long long generation;    /* counts blocks */
    PyObject* strings;       /* str -> block-local id */
    PyObject* locations;     /* location tuple -> block-local id */
    PyObject* string_list;   /* the block's strings, in id order (id 1 first) */
    long long string_bytes;  /* their length */
    PyObject* pending_names; /* (task_created event, weak reference to its task) */
    long long dropped;       /* events lost since the last block */
} BufferBase;

/* The fields of _agent._ThreadState that the hooks read and write (it derives from this type). */
typedef struct {
    PyObject_HEAD
    PyObject *ident, *buf, *sample, *loop, *lag_probe;
    long long active_since, running, lag_due, lag_probe_ticks;
    double lag_late;
    char lag_clock, lag_arm;
} StateBase;

extern PyTypeObject BufferBase_Type, StateBase_Type;

/* ---- what configure() and set_recorder() are given (module.c) ------------------------------- */

typedef struct {
    PyObject *orig_run, *orig_call_soon, *callback_kind, *step_names, *task_types, *timer_type,
        *report_step_error, *agent_globals, *stamp_lag_probe, *no_probe, *coro_name, *new_created_event;
    long long max_block_string_bytes;
    /* _sites: the functions that fill its caches */
    PyObject *is_internal, *remember_lasti, *internal_description;
    PyTypeObject* handle_type;
    /* offsets of Handle's slots (-1: read by name) */
    Py_ssize_t off_callback, off_args, off_context, off_loop, off_when;
} Config;

extern Config cfg;
extern PyObject* g_recorder; /* the active Recorder, or NULL */
extern PyObject* g_tasks;    /* its task table: id(task) -> entry list */
extern long long g_blocking_ticks;
extern Py_ssize_t g_max_tasks;
extern unsigned long long g_next_task_id; /* task ids: one sequence per process */
extern unsigned long g_generation;        /* changes whenever the recorder does */

/* Interned attribute and method names. */
extern PyObject *s_state, *s__enter_loop, *s__lag, *s__blocking, *s_append, *s_done, *s_cancelled,
    *s__exception, *s__fut_waiter, *s_flush, *s_get_name, *s_get_coro, *s_string, *s_location, *s___self__,
    *s___name__, *s_cr_code, *s_cr_await, *s_cr_frame, *s_gi_frame, *s_gi_yieldfrom, *s_f_code, *s_f_lasti,
    *s_run, *s__lag_wanted, *s__callback, *s__args, *s__context, *s__loop, *s__when, *s_task_dash, *s_gather,
    *s__GatheringFuture, *s___qualname__;

/* Event kinds (docs/FORMAT.md, "Events") and what _CALLBACK_KIND says of a callback's type. */
enum { KIND_BY_NAME = 1, KIND_WRAPPER = 2 };
enum {
    TASK_CREATED = 5,
    TASK_RUN_BEGIN = 6,
    TASK_RUN_END = 7,
    TASK_COMPLETED = 8,
    AWAIT_BEGIN = 9,
    AWAIT_END = 10,
};
#define FIELD7_C (2 + 9 + 5 + 5 + 1) /* offset of a task_created event's name (_cbor.FIELD7_C) */

/* ---- small helpers (recording.c) ------------------------------------------------------------ */

/* time.perf_counter_ns() on Linux, the agent's tick. */
static inline long long now_ticks(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* time.monotonic(), the clock of asyncio's loop.time(). */
static inline double monotonic_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline void put_be(unsigned char* p, uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) {
        p[i] = (unsigned char)v;
        v >>= 8;
    }
}

PyObject* handle_slot(PyObject* handle, Py_ssize_t offset, PyObject* name);
Py_ssize_t slot_offset(PyTypeObject* type, const char* name);
int append3(BufferBase* buf, int kind, long long ticks, long long a);
int append5(BufferBase* buf, int kind, long long ticks, long long a, long long b, long long c);
long long intern(BufferBase* buf, PyObject* table, PyObject* method, PyObject* key);
long long intern_string(BufferBase* buf, PyObject* text);
int call_method(PyObject* obj, PyObject* name, PyObject* const* args, size_t nargs);
void drop_agent_error(void);

/* ---- code locations (sites.c) -------------------------------------------------------------- */

int sites_init(void);
int is_internal(PyObject* code);
PyObject* creation_site(void);
int await_site(PyObject* coro, PyObject** description, PyObject** location);

/* ---- tasks (tasks.c) ----------------------------------------------------------------------- */

PyObject* task_of(PyObject* callback);
PyObject* entry_of(PyObject* task);
PyObject* created(StateBase* state, PyObject* task, int seen_created);
long long entry_id(PyObject* entry);
int entry_awaiting(PyObject* entry);
void set_entry(PyObject* entry, Py_ssize_t i, PyObject* value);
int await_begin(BufferBase* buf, PyObject* task, PyObject* waiter, PyObject* entry, long long t1);
int completed(BufferBase* buf, PyObject* task, PyObject* entry, long long task_id);

/* ---- the hooks (hooks.c) and the watchdog (watchdog.c) ------------------------------------- */

PyObject* run_hook(PyObject* handle, PyObject* unused);
PyObject* call_soon_hook(PyObject* self, PyObject* const* given, Py_ssize_t nargs);

void watch_init(void);
PyObject* watch_start(PyObject* module, PyObject* args);
PyObject* watch_state(PyObject* module, PyObject* state);
PyObject* watch_stop(PyObject* module, PyObject* unused);

#endif

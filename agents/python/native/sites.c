/* Code locations (as _sites.py): where a task is created, where a suspended coroutine chain waits
 * and on what. */

#include "speedups.h"

#include <frameobject.h>

/* ---- await sites (as _sites.await_site) ---------------------------------------------------- */

/* What the hooks know of a code object, keyed by its address: a code object's own hash (which
 * _sites' caches use) hashes its bytecode and constants each time, costlier than the rest of
 * an event. Each value holds its code object, so the address is not reused while cached. */
static PyObject* g_code_info; /* address -> (code, internal: bool, description, {lasti: location}) */
#define MAX_CODE_INFO 50000

enum { INFO_CODE, INFO_INTERNAL, INFO_DESCRIPTION, INFO_SITES };

/* In front of g_code_info, a direct-mapped cache of borrowed pointers: its entries stay valid
 * as long as g_code_info holds them, and it is emptied whenever g_code_info is. */
#define CODE_CACHE_SIZE 1024
static struct { PyObject *code, *info; } g_code_cache[CODE_CACHE_SIZE];

static inline size_t code_slot(PyObject* code) {
    return ((uintptr_t)code >> 4) & (CODE_CACHE_SIZE - 1);
}

/* The entry of `code` (borrowed), made with _sites' functions when unseen; NULL on error. */
static PyObject* code_info(PyObject* code) {
    const size_t slot = code_slot(code);
    if (g_code_cache[slot].code == code) return g_code_cache[slot].info;
    PyObject* key = PyLong_FromVoidPtr(code);
    if (!key) return NULL;
    PyObject* info = PyDict_GetItemWithError(g_code_info, key);
    if (info || PyErr_Occurred()) {
        Py_DECREF(key);
        if (info) {
            g_code_cache[slot].code = code;
            g_code_cache[slot].info = info;
        }
        return info;
    }
    PyObject* flag = PyObject_CallOneArg(cfg.is_internal, code);
    const int internal = flag ? PyObject_IsTrue(flag) : -1;
    Py_XDECREF(flag);
    PyObject* description = internal > 0    ? PyObject_CallOneArg(cfg.internal_description, code)
                            : internal == 0 ? Py_NewRef(Py_None)
                                            : NULL;
    PyObject* sites = description ? PyDict_New() : NULL;
    if (sites) info = PyTuple_Pack(4, code, internal ? Py_True : Py_False, description, sites);
    Py_XDECREF(description);
    Py_XDECREF(sites);
    if (info) {
        if (PyDict_GET_SIZE(g_code_info) >= MAX_CODE_INFO) {
            memset(g_code_cache, 0, sizeof g_code_cache);
            PyDict_Clear(g_code_info);
        }
        if (PyDict_SetItem(g_code_info, key, info) < 0) {
            Py_CLEAR(info);
        } else {
            Py_DECREF(info); /* the dict keeps it */
            g_code_cache[slot].code = code;
            g_code_cache[slot].info = info;
        }
    }
    Py_DECREF(key);
    return info;
}

/* 1 when `code` is asyncio's, the agent's or a runner's (_sites.is_internal), 0 if not, -1 on
 * error. */
int is_internal(PyObject* code) {
    PyObject* info = code_info(code);
    return info ? PyTuple_GET_ITEM(info, INFO_INTERNAL) == Py_True : -1;
}

/* The location of `frame` (running `code`) where it is now, as _sites.frame_location. */
static PyObject* frame_lasti_location(PyObject* code, PyObject* frame) {
    PyObject* info = code_info(code);
    if (!info) return NULL;
    PyObject* sites = PyTuple_GET_ITEM(info, INFO_SITES);
#if PY_VERSION_HEX >= 0x030B0000
    PyObject* lasti = PyLong_FromLong(PyFrame_GetLasti((PyFrameObject*)frame));
#else
    PyObject* lasti = PyObject_GetAttr(frame, s_f_lasti);
#endif
    if (!lasti) return NULL;
    PyObject* loc = PyDict_GetItemWithError(sites, lasti);
    if (loc) {
        Py_INCREF(loc);
    } else if (!PyErr_Occurred()) {
        PyObject* address = PyLong_FromVoidPtr(code);
        PyObject* key = address ? PyTuple_Pack(2, address, lasti) : NULL; /* as _sites keys it */
        Py_XDECREF(address);
        loc = key ? PyObject_CallFunctionObjArgs(cfg.remember_lasti, key, frame, NULL) : NULL;
        Py_XDECREF(key);
        if (loc && PyDict_SetItem(sites, lasti, loc) < 0) Py_CLEAR(loc);
    }
    Py_DECREF(lasti);
    return loc;
}

/* What the suspended coroutine chain of `coro` waits on and where: *description (NULL when no
 * internal coroutine names it) and *location (None when no user frame was seen), both new
 * references. 0, or -1 on error. */
int await_site(PyObject* coro, PyObject** description, PyObject** location) {
    *description = NULL;
    *location = Py_None;
    Py_INCREF(Py_None);
    Py_INCREF(coro);
    for (int i = 0; i < 64; ++i) {
        PyObject *code, *frame = NULL, *next;
        if (PyCoro_CheckExact(coro)) {
            code = PyObject_GetAttr(coro, s_cr_code);
            next = code ? PyObject_GetAttr(coro, s_cr_await) : NULL;
        } else {
            frame = PyObject_GetAttr(coro, s_gi_frame);
            if (!frame) {
                PyErr_Clear();
                break;
            }
            if (frame == Py_None) {
                Py_DECREF(frame);
                break; /* a future, a task, or a finished generator: the end of the chain */
            }
            code = PyObject_GetAttr(frame, s_f_code);
            next = code ? PyObject_GetAttr(coro, s_gi_yieldfrom) : NULL;
            if (code && !next) {
                PyErr_Clear();
                next = Py_None;
                Py_INCREF(next);
            }
        }
        if (!code || !next) goto fail_step;
        PyObject* info = code_info(code);
        if (!info) goto fail_step;
        if (PyTuple_GET_ITEM(info, INFO_INTERNAL) == Py_True) {
            PyObject* d = Py_NewRef(PyTuple_GET_ITEM(info, INFO_DESCRIPTION));
            Py_DECREF(code);
            Py_DECREF(next);
            Py_XDECREF(frame);
            Py_DECREF(coro);
            *description = d;
            return 0;
        }
        if (!frame) {
            frame = PyObject_GetAttr(coro, s_cr_frame);
            if (!frame) goto fail_step;
            if (frame == Py_None) {
                Py_DECREF(frame);
                Py_DECREF(code);
                Py_DECREF(next);
                break;
            }
        }
        PyObject* loc = frame_lasti_location(code, frame);
        Py_DECREF(code);
        Py_DECREF(frame);
        if (!loc) {
            Py_DECREF(next);
            Py_DECREF(coro);
            return -1;
        }
        Py_SETREF(*location, loc);
        Py_DECREF(coro);
        coro = next;
        if (coro == Py_None) break;
        continue;
    fail_step:
        Py_XDECREF(code);
        Py_XDECREF(next);
        Py_XDECREF(frame);
        Py_DECREF(coro);
        return -1;
    }
    Py_DECREF(coro);
    return 0;
}

/* The await that begins as `task` suspends on task._fut_waiter, as Recorder._await_begin. */
/* 1 when `name` is asyncio's default task name, "Task-" and digits. */

/* Where a task was created: the first frame outside asyncio and the agent, from the running one
 * (call_soon's: this hook has no frame of its own) outwards, as _sites.caller_location. A new
 * reference: a location tuple, or None. */
PyObject* creation_site(void) {
    PyFrameObject* frame = PyEval_GetFrame();
    Py_XINCREF(frame);
    while (frame) {
        PyObject* code = (PyObject*)PyFrame_GetCode(frame);
        const int internal = is_internal(code);
        if (internal <= 0) {
            PyObject* loc = internal < 0 ? NULL : frame_lasti_location(code, (PyObject*)frame);
            Py_DECREF(code);
            Py_DECREF(frame);
            return loc;
        }
        Py_DECREF(code);
        PyFrameObject* back = PyFrame_GetBack(frame);
        Py_DECREF(frame);
        frame = back;
    }
    Py_RETURN_NONE;
}

/* Recorder.created, in C: the creation of `task`, first seen now on this thread; returns its
 * entry (a new reference), None when untracked (max_tasks), NULL on error. */

int sites_init(void) {
    if (!g_code_info && !(g_code_info = PyDict_New())) return -1;
    return 0;
}

/* Tasks: which callback is a task's step, the agent's entry for a task, its creation, its awaits
 * and its completion (as Recorder.created, Recorder._await_begin and _agent._completed). */

#include "speedups.h"

/* The task whose step or wake-up `callback` is (borrowed), or NULL (no error set): what
 * _CALLBACK_KIND, _STEP_NAMES and _TASK_TYPES tell the Python hooks. */
PyObject* task_of(PyObject* callback) {
    PyObject* kind = PyDict_GetItemWithError(cfg.callback_kind, (PyObject*)Py_TYPE(callback));
    if (!kind) {
        drop_agent_error();
        return NULL;
    }
    PyObject* task = NULL;
    if (PyLong_AsLong(kind) == KIND_WRAPPER) {
        PyObject* self = PyObject_GetAttr(callback, s___self__);
        if (!self) {
            PyErr_Clear();
            return NULL;
        }
        Py_DECREF(self); /* the callback keeps it */
        return self;
    }
    /* A method: most are a transport's or a future's, told apart by name first. */
    PyObject* name;
    if (PyMethod_Check(callback) && PyFunction_Check(PyMethod_GET_FUNCTION(callback))) {
        name = ((PyFunctionObject*)PyMethod_GET_FUNCTION(callback))->func_name;
        Py_INCREF(name);
        task = PyMethod_GET_SELF(callback);
    } else {
        name = PyObject_GetAttr(callback, s___name__);
        if (!name) {
            PyErr_Clear();
            return NULL;
        }
    }
    int step = PySet_Contains(cfg.step_names, name);
    Py_DECREF(name);
    if (step <= 0) {
        drop_agent_error();
        return NULL;
    }
    if (!task) {
        if (PyCFunction_Check(callback)) {
            task = PyCFunction_GET_SELF(callback);
        } else {
            task = PyObject_GetAttr(callback, s___self__);
            if (!task) {
                PyErr_Clear();
                return NULL;
            }
            Py_DECREF(task);
        }
    }
    if (!task) return NULL;
    int is_task = PyObject_IsInstance(task, cfg.task_types);
    if (is_task <= 0) {
        drop_agent_error();
        return NULL;
    }
    return task;
}

/* The agent's entry for `task` (borrowed), NULL when it has none or a stale one. */
PyObject* entry_of(PyObject* task) {
    PyObject* key = PyLong_FromVoidPtr(task);
    if (!key) return NULL;
    PyObject* entry = PyDict_GetItemWithError(g_tasks, key);
    Py_DECREF(key);
    if (!entry || !PyList_CheckExact(entry) || PyList_GET_SIZE(entry) < 4) return NULL;
    PyObject* ref = PyList_GET_ITEM(entry, 1);
    if (!PyWeakref_Check(ref) || PyWeakref_GET_OBJECT(ref) != task) return NULL;
    return entry;
}

PyObject* created(StateBase* state, PyObject* task, int seen_created) {
    BufferBase* buf = (BufferBase*)state->buf;
    if (PyDict_GET_SIZE(g_tasks) >= g_max_tasks) {
        buf->dropped += 1; /* the creation or wake-up seen now */
        Py_RETURN_NONE;
    }
    PyObject *ref = NULL, *name = NULL, *loc = NULL, *event = NULL, *entry = NULL;
    PyObject* coro = PyObject_CallMethodNoArgs(task, s_get_coro);
    if (coro) {
        name = PyObject_GetAttr(coro, s___qualname__);
        Py_DECREF(coro);
    }
    if (!name || !PyUnicode_Check(name)) {
        PyErr_Clear();
        Py_XSETREF(name, PyObject_CallOneArg(cfg.coro_name, task));
        if (!name) goto fail;
    }
    const long long sid = intern_string(buf, name);
    if (sid < 0) goto fail;
    if (seen_created) {
        loc = creation_site();
        if (!loc) goto fail;
    } else {
        loc = Py_NewRef(Py_None);
    }
    const long long lid = intern(buf, buf->locations, s_location, loc);
    if (lid < 0) goto fail;
    if (!(ref = PyWeakref_NewRef(task, NULL))) goto fail;
    const long long task_id = (long long)g_next_task_id++;
    const long long t = now_ticks();
    const long long dt = t - buf->last;
    const long long fields[5] = {task_id, state->running, 0, sid, lid};
    int fits = dt >= 0;
    for (int i = 0; i < 5; ++i)
        fits = fits && fields[i] >= 0 && fields[i] <= 0xFFFFFFFFLL;
    if (fits) {
        unsigned char b[2 + 9 + 5 * 5] = {0x87, TASK_CREATED, 0x1B};
        put_be(b + 3, (uint64_t)dt, 8);
        for (int i = 0; i < 5; ++i) {
            b[11 + 5 * i] = 0x1A;
            put_be(b + 12 + 5 * i, (uint64_t)fields[i], 4);
        }
        /* known by its index in the log, where its name (the third field) is filled in later */
        EventLog* log = (EventLog*)buf->events;
        event = PyLong_FromSsize_t(log->count);
        if (!event || log_append(log, b, sizeof b) < 0) goto fail;
    } else {
        event = PyObject_CallFunction(cfg.new_created_event, "LLLLL", dt, task_id, state->running, sid, lid);
        PyObject* r = event ? PyObject_CallMethodOneArg(buf->events, s_append, event) : NULL;
        if (!r) goto fail;
        Py_DECREF(r);
    }
    buf->last = t;
    PyObject* pending = PyTuple_Pack(2, event, ref);
    if (!pending || PyList_Append(buf->pending_names, pending) < 0) {
        Py_XDECREF(pending);
        goto fail;
    }
    Py_DECREF(pending);
    PyObject* generation = PyLong_FromLongLong(buf->generation);
    PyObject* made = generation ? PyTuple_Pack(3, event, (PyObject*)buf, generation) : NULL;
    Py_XDECREF(generation);
    PyObject* id = made ? PyLong_FromLongLong(task_id) : NULL;
    if (id) entry = PyList_New(4);
    if (!entry) {
        Py_XDECREF(made);
        Py_XDECREF(id);
        goto fail;
    }
    PyList_SET_ITEM(entry, 0, id);
    PyList_SET_ITEM(entry, 1, ref);
    ref = NULL; /* the entry has it */
    PyList_SET_ITEM(entry, 2, Py_NewRef(Py_False));
    PyList_SET_ITEM(entry, 3, made);
    PyObject* key = PyLong_FromVoidPtr(task);
    if (!key || PyDict_SetItem(g_tasks, key, entry) < 0) {
        Py_XDECREF(key);
        Py_CLEAR(entry);
        goto fail;
    }
    Py_DECREF(key);
fail:
    Py_XDECREF(ref);
    Py_XDECREF(name);
    Py_XDECREF(loc);
    Py_XDECREF(event);
    return entry;
}

long long entry_id(PyObject* entry) {
    return PyLong_AsLongLong(PyList_GET_ITEM(entry, 0));
}

int entry_awaiting(PyObject* entry) {
    return PyList_GET_ITEM(entry, 2) == Py_True;
}

void set_entry(PyObject* entry, Py_ssize_t i, PyObject* value) {
    Py_INCREF(value);
    PyList_SetItem(entry, i, value); /* steals; drops the old item */
}

static int is_default_task_name(PyObject* name) {
    const Py_ssize_t n = PyUnicode_GET_LENGTH(name);
    if (n < 6 || PyUnicode_Tailmatch(name, s_task_dash, 0, 5, -1) != 1) return 0;
    for (Py_ssize_t i = 5; i < n; ++i)
        if (!Py_UNICODE_ISDIGIT(PyUnicode_READ_CHAR(name, i))) return 0;
    return 1;
}

/* What an awaited task is called (_agent._task_label): its name, or for a task that kept the
 * default name its coroutine's qualified name (else the coroutine's type name). */
static PyObject* task_label(PyObject* task) {
    PyObject* name = PyObject_CallMethodNoArgs(task, s_get_name);
    if (!name || !PyUnicode_Check(name) || !is_default_task_name(name)) return name;
    PyObject* coro = PyObject_CallMethodNoArgs(task, s_get_coro);
    if (!coro) {
        PyErr_Clear();
        return name;
    }
    PyObject* label = PyObject_GetAttr(coro, s___qualname__);
    if (!label || !PyUnicode_Check(label) || PyUnicode_GET_LENGTH(label) == 0) {
        PyErr_Clear();
        Py_XSETREF(label, PyObject_GetAttr((PyObject*)Py_TYPE(coro), s___name__));
    }
    Py_DECREF(coro);
    if (!label || !PyUnicode_Check(label) || PyUnicode_GET_LENGTH(label) == 0) {
        PyErr_Clear();
        Py_XDECREF(label);
        return name;
    }
    Py_DECREF(name);
    return label;
}

int await_begin(BufferBase* buf, PyObject* task, PyObject* waiter, PyObject* entry, long long t1) {
    PyObject* coro = PyObject_CallMethodNoArgs(task, s_get_coro);
    PyObject *description = NULL, *location = NULL;
    if (!coro || await_site(coro, &description, &location) < 0) {
        PyErr_Clear();
        Py_CLEAR(description);
        Py_XSETREF(location, Py_NewRef(Py_None));
    }
    Py_XDECREF(coro);
    if (!description) {
        const int is_task = PyObject_IsInstance(waiter, cfg.task_types);
        if (is_task > 0) {
            PyObject* label = task_label(waiter);
            description = label ? PyUnicode_FromFormat("Task<%S>", label) : NULL;
            Py_XDECREF(label);
        } else if (is_task == 0) {
            description = PyObject_GetAttr((PyObject*)Py_TYPE(waiter), s___name__);
        }
        if (description && PyUnicode_Check(description) &&
            PyUnicode_Compare(description, s__GatheringFuture) == 0)
            Py_SETREF(description, Py_NewRef(s_gather));
        if (!description) {
            Py_DECREF(location);
            return -1;
        }
    }
    set_entry(entry, 2, Py_True);
    long long sid = intern_string(buf, description);
    long long lid = sid < 0 ? -1 : intern(buf, buf->locations, s_location, location);
    Py_DECREF(description);
    Py_DECREF(location);
    if (sid < 0 || lid < 0) return -1;
    return append5(buf, AWAIT_BEGIN, t1, entry_id(entry), sid, lid);
}

/* ---- completion (as _agent._completed) --------------------------------------------------- */

/* The id of "Type: message" (500 characters at most) for a task's exception, 0 when it cannot
 * be told (str() of the exception raised). */
static long long exception_message(BufferBase* buf, PyObject* exc) {
    PyObject* type_name = PyObject_GetAttr((PyObject*)Py_TYPE(exc), s___name__);
    PyObject* text = type_name ? PyObject_Str(exc) : NULL;
    PyObject* full = text ? PyUnicode_FromFormat("%S: %U", type_name, text) : NULL;
    PyObject* cut = full ? PyUnicode_Substring(full, 0, 500) : NULL;
    long long sid = cut ? intern_string(buf, cut) : 0;
    Py_XDECREF(type_name);
    Py_XDECREF(text);
    Py_XDECREF(full);
    Py_XDECREF(cut);
    if (sid < 0 || PyErr_Occurred()) {
        PyErr_Clear();
        sid = 0;
    }
    return sid;
}

int completed(BufferBase* buf, PyObject* task, PyObject* entry, long long task_id) {
    long long outcome = 0, message = 0;
    PyObject* r = PyObject_CallMethodNoArgs(task, s_cancelled);
    if (r) {
        outcome = r == Py_True;
        Py_DECREF(r);
        if (!outcome) {
            PyObject* exc = PyObject_GetAttr(task, s__exception);
            const int failed = exc && exc != Py_None;
            if (!exc) PyErr_Clear();
            if (failed) outcome = 2;
            if (failed) message = exception_message(buf, exc);
            Py_XDECREF(exc);
        }
    } else {
        PyErr_Clear();
    }
    PyObject* made = PyList_GET_ITEM(entry, 3);
    if (made != Py_None) {
        /* Fill in the name of its task_created event while that block is still open. */
        Py_INCREF(made);
        set_entry(entry, 3, Py_None);
        PyObject *event, *cbuf, *generation;
        if (PyTuple_CheckExact(made) && PyTuple_GET_SIZE(made) == 3 &&
            (event = PyTuple_GET_ITEM(made, 0), cbuf = PyTuple_GET_ITEM(made, 1),
             generation = PyTuple_GET_ITEM(made, 2), PyObject_TypeCheck(cbuf, &BufferBase_Type)) &&
            ((BufferBase*)cbuf)->generation == PyLong_AsLongLong(generation)) {
            PyObject* name = PyObject_CallMethodNoArgs(task, s_get_name);
            long long sid = name ? intern_string((BufferBase*)cbuf, name) : -1;
            Py_XDECREF(name);
            /* (an event that did not fit the packed widths was encoded in full: it has no name field) */
            if (sid >= 0 && sid <= 0xFFFFFFFFLL && PyLong_Check(event))
                log_patch_u32((EventLog*)((BufferBase*)cbuf)->events, PyLong_AsSsize_t(event), FIELD7_C,
                              (uint64_t)sid);
        }
        drop_agent_error();
        Py_DECREF(made);
    }
    /* dt 0: at the run_end just appended */
    int rc = append5(buf, TASK_COMPLETED, buf->last, task_id, outcome, message);
    PyObject* key = PyLong_FromVoidPtr(task);
    if (key) {
        if (PyDict_DelItem(g_tasks, key) < 0) PyErr_Clear();
        Py_DECREF(key);
    }
    return rc;
}

/* EventLog, the native hooks' `events`: one growing byte buffer and each event's start, instead of a list
 * of one bytes object per event. Appending is a copy into the buffer, handing a block over needs
 * no join, and a block of 16k events costs ~0.4 MB instead of ~1.4 MB of small objects (whose
 * fresh pages the kernel has to clear). It behaves as the list it replaces does where the
 * writer uses one: append, len, slices from an index, items as bytes, iteration. */

#include "speedups.h"

#define MAX_LOG_BYTES 0x7FFFFFFF

static int log_reserve(EventLog* log, Py_ssize_t bytes, Py_ssize_t events) {
    if (log->size + bytes > log->capacity) {
        if (log->size + bytes > MAX_LOG_BYTES) {
            PyErr_SetString(PyExc_OverflowError, "EventLog past 2 GiB");
            return -1;
        }
        Py_ssize_t capacity = log->capacity ? log->capacity : 4096;
        while (capacity < log->size + bytes)
            capacity *= 2;
        unsigned char* data = PyMem_Realloc(log->data, capacity);
        if (!data) {
            PyErr_NoMemory();
            return -1;
        }
        log->data = data;
        log->capacity = capacity;
    }
    if (log->count + events > log->starts_capacity) {
        Py_ssize_t capacity = log->starts_capacity ? log->starts_capacity : 256;
        while (capacity < log->count + events)
            capacity *= 2;
        uint32_t* starts = PyMem_Realloc(log->starts, capacity * sizeof *starts);
        if (!starts) {
            PyErr_NoMemory();
            return -1;
        }
        log->starts = starts;
        log->starts_capacity = capacity;
    }
    return 0;
}

int log_append(EventLog* log, const unsigned char* event, Py_ssize_t size) {
    if (log_reserve(log, size, 1) < 0) return -1;
    log->starts[log->count++] = (uint32_t)log->size;
    memcpy(log->data + log->size, event, size);
    log->size += size;
    return 0;
}

static Py_ssize_t log_event_size(const EventLog* log, Py_ssize_t i) {
    return (i + 1 < log->count ? (Py_ssize_t)log->starts[i + 1] : log->size) - log->starts[i];
}

static void log_dealloc(EventLog* log) {
    PyMem_Free(log->data);
    PyMem_Free(log->starts);
    Py_TYPE(log)->tp_free((PyObject*)log);
}

static Py_ssize_t log_length(EventLog* log) {
    return log->count;
}

static PyObject* log_item(EventLog* log, Py_ssize_t i) {
    if (i < 0 || i >= log->count) {
        PyErr_SetString(PyExc_IndexError, "EventLog index out of range");
        return NULL;
    }
    return PyBytes_FromStringAndSize((const char*)log->data + log->starts[i], log_event_size(log, i));
}

/* A copy of events [begin, end). */
static PyObject* log_slice(EventLog* log, Py_ssize_t begin, Py_ssize_t end) {
    EventLog* copy = PyObject_New(EventLog, &EventLog_Type);
    if (!copy) return NULL;
    copy->data = NULL;
    copy->starts = NULL;
    copy->size = copy->capacity = copy->count = copy->starts_capacity = 0;
    if (end > begin) {
        const Py_ssize_t from = log->starts[begin];
        const Py_ssize_t to = end < log->count ? (Py_ssize_t)log->starts[end] : log->size;
        if (log_reserve(copy, to - from, end - begin) < 0) {
            Py_DECREF(copy);
            return NULL;
        }
        memcpy(copy->data, log->data + from, to - from);
        for (Py_ssize_t i = begin; i < end; ++i)
            copy->starts[i - begin] = log->starts[i] - (uint32_t)from;
        copy->size = to - from;
        copy->count = end - begin;
    }
    return (PyObject*)copy;
}

static PyObject* log_subscript(EventLog* log, PyObject* key) {
    if (PyIndex_Check(key)) {
        Py_ssize_t i = PyNumber_AsSsize_t(key, PyExc_IndexError);
        if (i == -1 && PyErr_Occurred()) return NULL;
        if (i < 0) i += log->count;
        return log_item(log, i);
    }
    if (PySlice_Check(key)) {
        Py_ssize_t start, stop, step;
        if (PySlice_Unpack(key, &start, &stop, &step) < 0) return NULL;
        PySlice_AdjustIndices(log->count, &start, &stop, step);
        if (step != 1) {
            PyErr_SetString(PyExc_ValueError, "EventLog slices have no step");
            return NULL;
        }
        return log_slice(log, start, stop);
    }
    PyErr_SetString(PyExc_TypeError, "EventLog indices are integers or slices");
    return NULL;
}

static PyObject* log_append_py(EventLog* log, PyObject* event) {
    Py_buffer view;
    if (PyObject_GetBuffer(event, &view, PyBUF_SIMPLE) < 0) return NULL;
    const int r = view.len > 0 ? log_append(log, view.buf, view.len) : 0;
    PyBuffer_Release(&view);
    if (r < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject* log_tobytes(EventLog* log, PyObject* unused) {
    return PyBytes_FromStringAndSize((const char*)log->data, log->size);
}

/* The value of the CBOR integer at p (a uint or negative int of any width); 0 with *ok = 0 if
 * it is none, or runs past end. */
static long long cbor_int(const unsigned char* p, const unsigned char* end, const unsigned char** next,
                          int* ok) {
    *ok = 0;
    if (p >= end) return 0;
    const int major = p[0] >> 5, info = p[0] & 31;
    if (major > 1 || info > 27) return 0;
    uint64_t v = info;
    const unsigned char* q = p + 1;
    if (info >= 24) {
        const int width = 1 << (info - 24);
        if (end - q < width) return 0;
        v = 0;
        for (int i = 0; i < width; ++i)
            v = (v << 8) | q[i];
        q += width;
    }
    *next = q;
    *ok = 1;
    return major == 0 ? (long long)v : -1 - (long long)v;
}

/* The sum of the events' dt: how far the last one is from the tick before the first. */
static PyObject* log_sum_dt(EventLog* log, PyObject* unused) {
    long long total = 0;
    for (Py_ssize_t i = 0; i < log->count; ++i) {
        const unsigned char* p = log->data + log->starts[i];
        const unsigned char* end = p + log_event_size(log, i);
        int ok;
        /* the array's head (one byte for the few fields of an event), the kind, then dt */
        if (p + 1 >= end) continue;
        const unsigned char* q;
        cbor_int(p + 1, end, &q, &ok);
        if (!ok) continue;
        const long long dt = cbor_int(q, end, &q, &ok);
        if (ok) total += dt;
    }
    return PyLong_FromLongLong(total);
}

/* Writes `value` as the 4-byte big-endian uint32 at byte `offset` of event `index` (a field packed
 * by the hooks with head 0x1A); false when the event has no such field. */
int log_patch_u32(EventLog* log, Py_ssize_t index, Py_ssize_t offset, uint64_t value) {
    if (index < 0 || index >= log->count || offset < 1 || value > 0xFFFFFFFFu) return 0;
    if (offset + 4 > log_event_size(log, index)) return 0;
    unsigned char* p = log->data + log->starts[index];
    if (p[offset - 1] != 0x1A) return 0;
    put_be(p + offset, value, 4);
    return 1;
}

static PyObject* log_patch_u32_py(EventLog* log, PyObject* args) {
    Py_ssize_t index, offset;
    unsigned long long value;
    if (!PyArg_ParseTuple(args, "nnK:patch_u32", &index, &offset, &value)) return NULL;
    return PyBool_FromLong(log_patch_u32(log, index, offset, value));
}

static PySequenceMethods log_as_sequence = {
    .sq_length = (lenfunc)log_length,
    .sq_item = (ssizeargfunc)log_item,
};

static PyMappingMethods log_as_mapping = {
    .mp_length = (lenfunc)log_length,
    .mp_subscript = (binaryfunc)log_subscript,
};

static PyMethodDef log_methods[] = {
    {"append", (PyCFunction)log_append_py, METH_O, "append(event): one encoded event (bytes)."},
    {"tobytes", (PyCFunction)log_tobytes, METH_NOARGS, "All events, back to back."},
    {"sum_dt", (PyCFunction)log_sum_dt, METH_NOARGS, "The sum of the events' dt fields."},
    {"patch_u32", (PyCFunction)log_patch_u32_py, METH_VARARGS,
     "patch_u32(index, offset, value): rewrite a packed uint32 field of one event."},
    {NULL, NULL, 0, NULL},
};

PyTypeObject EventLog_Type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "weft_asyncio._speedups.EventLog",
    .tp_doc = "A block's encoded events, back to back (what the native hooks append to).",
    .tp_basicsize = sizeof(EventLog),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_dealloc = (destructor)log_dealloc,
    .tp_as_sequence = &log_as_sequence,
    .tp_as_mapping = &log_as_mapping,
    .tp_methods = log_methods,
};

/* Small pieces every part of the hooks uses: slots of a Handle, packing and appending events,
 * interning strings, calling Python, dropping the agent's own errors. */

#include "speedups.h"

/* A slot of a Handle, at its offset (new reference; NULL with AttributeError when unset). */
PyObject* handle_slot(PyObject* handle, Py_ssize_t offset, PyObject* name) {
    if (offset >= 0 && PyObject_TypeCheck(handle, cfg.handle_type)) {
        PyObject* v = *(PyObject**)((char*)handle + offset);
        if (v) {
            Py_INCREF(v);
            return v;
        }
    }
    return PyObject_GetAttr(handle, name);
}

Py_ssize_t slot_offset(PyTypeObject* type, const char* name) {
    PyObject* d = PyDict_GetItemString(type->tp_dict, name);
    if (d && Py_IS_TYPE(d, &PyMemberDescr_Type)) {
        PyMemberDef* m = ((PyMemberDescrObject*)d)->d_member;
        if (m->type == T_OBJECT_EX || m->type == T_OBJECT) return m->offset;
    }
    return -1;
}

/* buf.append(kind, ticks, *fields): the full encoder, for values past the packed widths. */
static int append_slow(BufferBase* buf, int kind, long long ticks, const long long* fields, int n) {
    PyObject* args[8];
    int made = 0, r = -1;
    args[made++] = (PyObject*)buf;
    if (!(args[made++] = PyLong_FromLong(kind))) goto done;
    if (!(args[made++] = PyLong_FromLongLong(ticks))) goto done;
    for (int i = 0; i < n; ++i)
        if (!(args[made++] = PyLong_FromLongLong(fields[i]))) goto done;
    PyObject* res = PyObject_VectorcallMethod(s_append, args, made, NULL);
    if (res) {
        Py_DECREF(res);
        r = 0;
    }
done:
    for (int i = 1; i < made; ++i)
        Py_XDECREF(args[i]);
    return r;
}

/* [kind, dt, a] at `ticks`, packed as _cbor.pack3 packs it. */
int append3(BufferBase* buf, int kind, long long ticks, long long a) {
    const long long dt = ticks - buf->last;
    if (dt < 0 || a < 0 || a > 0xFFFFFFFFLL) return append_slow(buf, kind, ticks, &a, 1);
    unsigned char b[16] = {0x83, (unsigned char)kind, 0x1B};
    put_be(b + 3, (uint64_t)dt, 8);
    b[11] = 0x1A;
    put_be(b + 12, (uint64_t)a, 4);
    if (log_append((EventLog*)buf->events, b, sizeof b) < 0) return -1;
    buf->last = ticks;
    return 0;
}

/* [kind, dt, a, b, c] at `ticks`, packed as _cbor.pack5 packs it. */
int append5(BufferBase* buf, int kind, long long ticks, long long a, long long b_, long long c) {
    const long long dt = ticks - buf->last;
    const long long f[3] = {a, b_, c};
    for (int i = 0; i < 3; ++i)
        if (f[i] < 0 || f[i] > 0xFFFFFFFFLL) return append_slow(buf, kind, ticks, f, 3);
    if (dt < 0) return append_slow(buf, kind, ticks, f, 3);
    unsigned char b[26] = {0x85, (unsigned char)kind, 0x1B};
    put_be(b + 3, (uint64_t)dt, 8);
    for (int i = 0; i < 3; ++i) {
        b[11 + 5 * i] = 0x1A;
        put_be(b + 12 + 5 * i, (uint64_t)f[i], 4);
    }
    if (log_append((EventLog*)buf->events, b, sizeof b) < 0) return -1;
    buf->last = ticks;
    return 0;
}

/* The block-local id of `key` in `table` (buf.strings or buf.locations), interned by
 * buf.<method>(key) when new; -1 with an exception set on failure. */
long long intern(BufferBase* buf, PyObject* table, PyObject* method, PyObject* key) {
    if (key == Py_None) return 0;
    PyObject* id = PyDict_GetItemWithError(table, key);
    if (id) return PyLong_AsLongLong(id);
    if (PyErr_Occurred()) return -1;
    PyObject* args[2] = {(PyObject*)buf, key};
    PyObject* made = PyObject_VectorcallMethod(method, args, 2, NULL);
    if (!made) return -1;
    long long v = PyLong_AsLongLong(made);
    Py_DECREF(made);
    return v;
}

/* The block-local id of `text` (0 for None or ""), added to the block's table when new: what
 * ThreadBuffer.string does, on the same fields. -1 with an exception set on failure. */
long long intern_string(BufferBase* buf, PyObject* text) {
    if (text == Py_None) return 0;
    if (PyUnicode_Check(text) && PyUnicode_GET_LENGTH(text) == 0) return 0;
    PyObject* id = PyDict_GetItemWithError(buf->strings, text);
    if (id) return PyLong_AsLongLong(id);
    if (PyErr_Occurred()) return -1;
    if (!PyUnicode_Check(text)) { /* not what the hooks pass: the Python method decides */
        PyObject* args[2] = {(PyObject*)buf, text};
        PyObject* made = PyObject_VectorcallMethod(s_string, args, 2, NULL);
        if (!made) return -1;
        long long v = PyLong_AsLongLong(made);
        Py_DECREF(made);
        return v;
    }
    if (PyList_Append(buf->string_list, text) < 0) return -1;
    const Py_ssize_t sid = PyList_GET_SIZE(buf->string_list);
    PyObject* sid_obj = PyLong_FromSsize_t(sid);
    if (!sid_obj) return -1;
    const int r = PyDict_SetItem(buf->strings, text, sid_obj);
    Py_DECREF(sid_obj);
    if (r < 0) return -1;
    buf->string_bytes += PyUnicode_GET_LENGTH(text);
    if (buf->string_bytes > cfg.max_block_string_bytes) buf->max_events = 0; /* hand it over */
    return sid;
}

/* obj.name(args...) with the result dropped; -1 on error. */
int call_method(PyObject* obj, PyObject* name, PyObject* const* args, size_t nargs) {
    PyObject* stack[8];
    stack[0] = obj;
    for (size_t i = 0; i < nargs; ++i)
        stack[i + 1] = args[i];
    PyObject* r = PyObject_VectorcallMethod(name, stack, nargs + 1, NULL);
    if (!r) return -1;
    Py_DECREF(r);
    return 0;
}

/* Errors of the agent's own bookkeeping never reach the program (the pure-Python hooks guard
 * the same places); whatever the program itself raised is kept. */
void drop_agent_error(void) {
    if (PyErr_Occurred()) PyErr_Clear();
}

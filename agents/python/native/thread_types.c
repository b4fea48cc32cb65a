/* BufferBase and StateBase: the C fields of a thread's buffer and recording state. */

#include "speedups.h"

static int buffer_traverse(BufferBase* self, visitproc visit, void* arg) {
    Py_VISIT(self->events);
    Py_VISIT(self->strings);
    Py_VISIT(self->locations);
    Py_VISIT(self->string_list);
    Py_VISIT(self->pending_names);
    return 0;
}

static int buffer_clear(BufferBase* self) {
    Py_CLEAR(self->events);
    Py_CLEAR(self->strings);
    Py_CLEAR(self->locations);
    Py_CLEAR(self->string_list);
    Py_CLEAR(self->pending_names);
    return 0;
}

static void buffer_dealloc(BufferBase* self) {
    PyObject_GC_UnTrack(self);
    buffer_clear(self);
    Py_TYPE(self)->tp_free((PyObject*)self);
}

static PyMemberDef buffer_members[] = {
    {"last", T_LONGLONG, offsetof(BufferBase, last), 0, NULL},
    {"max_events", T_PYSSIZET, offsetof(BufferBase, max_events), 0, NULL},
    {"generation", T_LONGLONG, offsetof(BufferBase, generation), 0, NULL},
    {"strings", T_OBJECT_EX, offsetof(BufferBase, strings), 0, NULL},
    {"locations", T_OBJECT_EX, offsetof(BufferBase, locations), 0, NULL},
    {"string_list", T_OBJECT_EX, offsetof(BufferBase, string_list), 0, NULL},
    {"string_bytes", T_LONGLONG, offsetof(BufferBase, string_bytes), 0, NULL},
    {"pending_names", T_OBJECT_EX, offsetof(BufferBase, pending_names), 0, NULL},
    {"dropped", T_LONGLONG, offsetof(BufferBase, dropped), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

/* `events` is always an EventLog: the hooks append to it without asking what it is. */
static PyObject* buffer_get_events(BufferBase* self, void* unused) {
    if (!self->events) {
        PyErr_SetString(PyExc_AttributeError, "events");
        return NULL;
    }
    return Py_NewRef(self->events);
}

static int buffer_set_events(BufferBase* self, PyObject* value, void* unused) {
    if (!value || !EventLog_CheckExact(value)) {
        PyErr_SetString(PyExc_TypeError, "ThreadBuffer.events must be an EventLog");
        return -1;
    }
    Py_XSETREF(self->events, Py_NewRef(value));
    return 0;
}

static PyGetSetDef buffer_getset[] = {
    {"events", (getter)buffer_get_events, (setter)buffer_set_events, "the block's events (an EventLog)",
     NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject BufferBase_Type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "weft_asyncio._speedups.BufferBase",
    .tp_doc = "The fields of a thread's event buffer that the native hooks write.",
    .tp_basicsize = sizeof(BufferBase),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_new = PyType_GenericNew,
    .tp_dealloc = (destructor)buffer_dealloc,
    .tp_traverse = (traverseproc)buffer_traverse,
    .tp_clear = (inquiry)buffer_clear,
    .tp_members = buffer_members,
    .tp_getset = buffer_getset,
};

static int state_traverse(StateBase* self, visitproc visit, void* arg) {
    Py_VISIT(self->ident);
    Py_VISIT(self->buf);
    Py_VISIT(self->sample);
    Py_VISIT(self->loop);
    Py_VISIT(self->lag_probe);
    return 0;
}

static int state_clear(StateBase* self) {
    Py_CLEAR(self->ident);
    Py_CLEAR(self->buf);
    Py_CLEAR(self->sample);
    Py_CLEAR(self->loop);
    Py_CLEAR(self->lag_probe);
    return 0;
}

static void state_dealloc(StateBase* self) {
    PyObject_GC_UnTrack(self);
    state_clear(self);
    Py_TYPE(self)->tp_free((PyObject*)self);
}

static PyMemberDef state_members[] = {
    {"ident", T_OBJECT_EX, offsetof(StateBase, ident), 0, NULL},
    {"buf", T_OBJECT_EX, offsetof(StateBase, buf), 0, NULL},
    {"sample", T_OBJECT_EX, offsetof(StateBase, sample), 0, NULL},
    {"loop", T_OBJECT_EX, offsetof(StateBase, loop), 0, NULL},
    {"lag_probe", T_OBJECT_EX, offsetof(StateBase, lag_probe), 0, NULL},
    {"active_since", T_LONGLONG, offsetof(StateBase, active_since), 0, NULL},
    {"running", T_LONGLONG, offsetof(StateBase, running), 0, NULL},
    {"lag_due", T_LONGLONG, offsetof(StateBase, lag_due), 0, NULL},
    {"lag_probe_ticks", T_LONGLONG, offsetof(StateBase, lag_probe_ticks), 0, NULL},
    {"lag_late", T_DOUBLE, offsetof(StateBase, lag_late), 0, NULL},
    {"lag_clock", T_BOOL, offsetof(StateBase, lag_clock), 0, NULL},
    {"lag_arm", T_BOOL, offsetof(StateBase, lag_arm), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

PyTypeObject StateBase_Type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "weft_asyncio._speedups.StateBase",
    .tp_doc = "The fields of a thread's recording state that the native hooks read and write.",
    .tp_basicsize = sizeof(StateBase),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_new = PyType_GenericNew,
    .tp_dealloc = (destructor)state_dealloc,
    .tp_traverse = (traverseproc)state_traverse,
    .tp_clear = (inquiry)state_clear,
    .tp_members = state_members,
};

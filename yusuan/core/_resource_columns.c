/* A resource's columns taken out of its rows in C (issue 14).

   columns(rows, names) gives, for every name of ``names``, the list of ``dict.get(row, name)``
   of every row of ``rows``: the lists ``yusuan.core.resource_columns._column`` makes with
   ``list(map(dict.get, rows, repeat(name)))``, the same objects in the same order. The rows
   are walked once, each row's fields looked up while it is in the cache, instead of once per
   field (amounts: 47 fields, 73,000 rows on the corpora).

   Why it is the same: ``dict.get`` of a dict (or of a dict subclass: ``dict.get`` is the base
   method, which neither calls ``__missing__`` nor an overridden ``__getitem__``) is
   ``PyDict_GetItemWithError`` of the key, or None when it is missing. The columns are taken
   here only when every name is exactly a ``str`` and every key of every row is exactly a
   ``str``: a lookup then compares ``str`` with ``str`` in C and runs no Python code, so the
   order of the lookups (row by row here, field by field in Python) cannot matter and nothing
   can change the rows while they are read. The checks are made after the lists are
   allocated (an allocation may collect garbage, which may run Python code) and nothing is
   allocated after them. Anything else gives None, and the caller takes the columns in
   Python: ``rows`` or ``names`` not exactly lists, a row not a dict, a name or a key not
   exactly a ``str``.

   classes(column) gives ``set(map(type, column))`` of a list: the classes of a column's
   values, which the CSV cells, the CSV text and the schema proof each ask of every column.

   Built as the optional extension ``yusuan.core._resource_columns`` (setup.py); without it
   resource_columns.py takes the columns in Python, which stays the oracle
   (tests/unit/test_resource_columns_native.py). */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Every row a dict whose every key is exactly a str. */
static int str_keyed_dicts(PyObject *rows) {
    Py_ssize_t n = PyList_GET_SIZE(rows);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *row = PyList_GET_ITEM(rows, i), *key, *value;
        Py_ssize_t position = 0;
        if (!PyDict_Check(row)) return 0;
        while (PyDict_Next(row, &position, &key, &value)) {
            if (!PyUnicode_CheckExact(key)) return 0;
        }
    }
    return 1;
}

static int all_exact_str(PyObject *names) {
    Py_ssize_t m = PyList_GET_SIZE(names);
    for (Py_ssize_t j = 0; j < m; j++) {
        if (!PyUnicode_CheckExact(PyList_GET_ITEM(names, j))) return 0;
    }
    return 1;
}

/* m empty-slotted lists of length n (every slot filled by the caller before it is returned);
   NULL with an exception set on failure. */
static PyObject *new_columns(Py_ssize_t m, Py_ssize_t n) {
    PyObject *out = PyList_New(m);
    if (out == NULL) return NULL;
    for (Py_ssize_t j = 0; j < m; j++) {
        PyObject *column = PyList_New(n);
        if (column == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, j, column);
    }
    return out;
}

/* Fill every slot of the columns with None, so that lists left unfilled can be freed. */
static void fill_none(PyObject *out) {
    Py_ssize_t m = PyList_GET_SIZE(out);
    for (Py_ssize_t j = 0; j < m; j++) {
        PyObject *column = PyList_GET_ITEM(out, j);
        Py_ssize_t n = PyList_GET_SIZE(column);
        for (Py_ssize_t i = 0; i < n; i++) {
            if (PyList_GET_ITEM(column, i) == NULL) {
                Py_INCREF(Py_None);
                PyList_SET_ITEM(column, i, Py_None);
            }
        }
    }
}

static PyObject *columns(PyObject *self, PyObject *args) {
    PyObject *rows, *names;
    if (!PyArg_ParseTuple(args, "OO:columns", &rows, &names)) return NULL;
    if (!PyList_CheckExact(rows) || !PyList_CheckExact(names)) Py_RETURN_NONE;
    Py_ssize_t n = PyList_GET_SIZE(rows), m = PyList_GET_SIZE(names);
    PyObject *out = new_columns(m, n);
    if (out == NULL) return NULL;
    /* from here on nothing is allocated and no Python code runs */
    if (PyList_GET_SIZE(rows) != n || PyList_GET_SIZE(names) != m || !all_exact_str(names) || !str_keyed_dicts(rows)) {
        fill_none(out);
        Py_DECREF(out);
        Py_RETURN_NONE;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *row = PyList_GET_ITEM(rows, i);
        for (Py_ssize_t j = 0; j < m; j++) {
            PyObject *value = PyDict_GetItemWithError(row, PyList_GET_ITEM(names, j)); /* borrowed */
            if (value == NULL) {
                if (PyErr_Occurred()) { /* not expected of str keys; raised as dict.get would */
                    fill_none(out);
                    Py_DECREF(out);
                    return NULL;
                }
                value = Py_None;
            }
            Py_INCREF(value);
            PyList_SET_ITEM(PyList_GET_ITEM(out, j), i, value);
        }
    }
    return out;
}

/* classes(column) -> set(map(type, column)) for a list (None for anything else: Python's).
   The list is walked by index with its size read again at every step, as the list iterator
   of ``map`` walks it, so even a class whose hash runs Python code that changes the list
   sees the same walk; each class is held while it is added. The last few classes seen are
   not added again (a column has one to three). */
static PyObject *classes(PyObject *self, PyObject *column) {
    if (!PyList_CheckExact(column)) Py_RETURN_NONE;
    PyObject *out = PySet_New(NULL);
    if (out == NULL) return NULL;
    PyObject *recent[4] = {NULL, NULL, NULL, NULL};
    int kept = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(column); i++) {
        PyObject *kind = (PyObject *)Py_TYPE(PyList_GET_ITEM(column, i));
        int k = 0;
        while (k < kept && recent[k] != kind) k++;
        if (k < kept) continue;
        Py_INCREF(kind);
        int added = PySet_Add(out, kind);
        Py_DECREF(kind);
        if (added < 0) {
            Py_DECREF(out);
            return NULL;
        }
        if (kept < 4) recent[kept++] = kind; /* held by the set from now on */
    }
    return out;
}

static PyMethodDef methods[] = {
    {"columns", columns, METH_VARARGS,
     "columns(rows, names) -> [[dict.get(row, name) for row in rows] for name in names], or None "
     "when rows or names are not lists, a row is not a dict or a name or key is not a str."},
    {"classes", classes, METH_O, "classes(column) -> set(map(type, column)) of a list, or None for anything else."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_resource_columns",
    "A resource's columns taken out of its rows in C (yusuan/core/resource_columns.py).", -1, methods,
};

PyMODINIT_FUNC PyInit__resource_columns(void) { return PyModule_Create(&module); }

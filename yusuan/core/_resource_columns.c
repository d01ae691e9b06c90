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

   utf8_buffers(column) gives the buffers of the Arrow ``string`` array that
   ``pa.array(column, type=pa.string())`` makes of a list of ``str`` and None: the int32
   offsets, the UTF-8 bytes of the values one after another and, when a value is None, the
   validity bitmap (least significant bit first, 1 for a value). pyarrow encodes each
   non-ASCII ``str`` with ``PyUnicode_AsUTF8AndSize``, which allocates and keeps a UTF-8 copy
   on every string object (most of the Parquet conversion's CPU, issue 14); here each code
   point is written straight into the one data buffer. The same bytes: UTF-8 of a code point
   is fixed, and a surrogate (which has no UTF-8, where pyarrow raises) is left to Python, as
   is a value that is not exactly a ``str`` or None, a string not in the canonical compact
   form, or more data than int32 offsets can hold.

   csv_bytes(header, cells) gives the UTF-8 bytes of the CSV file ``csv.writer`` (comma, ``"``
   doubled, minimal quoting, lines ended by ``\n``) writes of the header and the rows of
   ``cells`` (one list per column): the bytes ``yusuan.core.resource_format.joined_csv_text``
   joins and encodes, on the same terms (its docstring says why they are the writer's). A cell
   is written as its text, ``None`` as nothing and an exact ``int`` in decimal (``str()`` of
   it), quoted with its quotes doubled exactly when it holds a comma, a ``"`` or a line feed.
   Left to Python (None): fewer than two columns, columns of unequal length, a cell of another
   class (a bool, a float, a str subclass), an int beyond 64 bits, a carriage return or a NUL,
   a surrogate (which has no UTF-8: the encoder raises).

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


/* The UTF-8 length of a str, or -1 when it holds a surrogate (no UTF-8: left to Python). */
static Py_ssize_t utf8_length(PyObject *text) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), size = n;
    if (PyUnicode_IS_ASCII(text)) return n;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x80) continue;
        if (c < 0x800) size += 1;
        else if (c >= 0xD800 && c <= 0xDFFF) return -1;
        else if (c < 0x10000) size += 2;
        else size += 3;
    }
    return size;
}

/* Writes the UTF-8 of a str (checked by utf8_length) at out; the bytes written. */
static Py_ssize_t write_utf8(PyObject *text, char *out) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (PyUnicode_IS_ASCII(text)) {
        memcpy(out, PyUnicode_DATA(text), (size_t)n);
        return n;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    unsigned char *o = (unsigned char *)out;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x80) {
            *o++ = (unsigned char)c;
        } else if (c < 0x800) {
            *o++ = (unsigned char)(0xC0 | (c >> 6));
            *o++ = (unsigned char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            *o++ = (unsigned char)(0xE0 | (c >> 12));
            *o++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            *o++ = (unsigned char)(0x80 | (c & 0x3F));
        } else {
            *o++ = (unsigned char)(0xF0 | (c >> 18));
            *o++ = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
            *o++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            *o++ = (unsigned char)(0x80 | (c & 0x3F));
        }
    }
    return (Py_ssize_t)(o - (unsigned char *)out);
}

/* A value the string buffers take: exactly a str in its canonical compact form (ready), or None. */
static int plain_text(PyObject *value) {
    return value == Py_None || (PyUnicode_CheckExact(value) && PyUnicode_IS_READY(value) && PyUnicode_IS_COMPACT(value));
}

/* The data size and the number of None of a column, or -1 when it is left to Python. */
static Py_ssize_t column_data_size(PyObject *column, Py_ssize_t *nulls) {
    Py_ssize_t n = PyList_GET_SIZE(column), size = 0;
    *nulls = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *value = PyList_GET_ITEM(column, i);
        if (!plain_text(value)) return -1;
        if (value == Py_None) {
            (*nulls)++;
            continue;
        }
        Py_ssize_t length = utf8_length(value);
        if (length < 0 || length > INT32_MAX - size) return -1;
        size += length;
    }
    return size;
}

/* Fills the offsets, data and validity (NULL when there are no None) of the column; 0 when
   the column is no longer what was measured (then left to Python). Allocates nothing. */
static int fill_string_buffers(PyObject *column, Py_ssize_t n, Py_ssize_t size, Py_ssize_t nulls, int32_t *offsets, char *data, unsigned char *validity) {
    Py_ssize_t at = 0, seen = 0;
    if (PyList_GET_SIZE(column) != n) return 0;
    offsets[0] = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *value = PyList_GET_ITEM(column, i);
        if (!plain_text(value)) return 0;
        if (value != Py_None) {
            Py_ssize_t length = utf8_length(value);
            if (length < 0 || length > size - at) return 0;
            at += write_utf8(value, data + at);
            if (validity != NULL) validity[i >> 3] |= (unsigned char)(1u << (i & 7));
        } else if (validity == NULL || ++seen > nulls) {
            return 0;
        }
        offsets[i + 1] = (int32_t)at;
    }
    return at == size && seen == nulls;
}

/* utf8_buffers(column) -> (offsets, data, validity or None, null count), or None (Python's). */
static PyObject *utf8_buffers(PyObject *self, PyObject *column) {
    if (!PyList_CheckExact(column)) Py_RETURN_NONE;
    Py_ssize_t n = PyList_GET_SIZE(column), nulls;
    if (n >= INT32_MAX) Py_RETURN_NONE;
    Py_ssize_t size = column_data_size(column, &nulls);
    if (size < 0) Py_RETURN_NONE;
    PyObject *offsets = PyBytes_FromStringAndSize(NULL, (n + 1) * (Py_ssize_t)sizeof(int32_t));
    PyObject *data = PyBytes_FromStringAndSize(NULL, size);
    PyObject *validity = nulls ? PyBytes_FromStringAndSize(NULL, (n + 7) / 8) : Py_NewRef(Py_None);
    if (offsets == NULL || data == NULL || validity == NULL) {
        Py_XDECREF(offsets);
        Py_XDECREF(data);
        Py_XDECREF(validity);
        return NULL;
    }
    unsigned char *bits = NULL;
    if (nulls) {
        bits = (unsigned char *)PyBytes_AS_STRING(validity);
        memset(bits, 0, (size_t)((n + 7) / 8));
    }
    /* from here on nothing is allocated and no Python code runs */
    if (!fill_string_buffers(column, n, size, nulls, (int32_t *)PyBytes_AS_STRING(offsets), PyBytes_AS_STRING(data), bits)) {
        Py_DECREF(offsets);
        Py_DECREF(data);
        Py_DECREF(validity);
        Py_RETURN_NONE;
    }
    PyObject *count = PyLong_FromSsize_t(nulls), *out = count ? PyTuple_New(4) : NULL;
    if (out == NULL) {
        Py_XDECREF(count);
        Py_DECREF(offsets);
        Py_DECREF(data);
        Py_DECREF(validity);
        return NULL;
    }
    PyTuple_SET_ITEM(out, 0, offsets);
    PyTuple_SET_ITEM(out, 1, data);
    PyTuple_SET_ITEM(out, 2, validity);
    PyTuple_SET_ITEM(out, 3, count);
    return out;
}

/* How csv.writer writes a cell, measured: the bytes of its text in UTF-8 and whether it is
   quoted. */
typedef struct {
    Py_ssize_t size; /* the bytes written, quotes included */
    int quoted;
    long long number; /* an int cell's value */
    int is_number;
} Cell;

/* Measures a str cell; 0 when it is left to Python (a carriage return, a NUL, a surrogate). */
static int measure_text(PyObject *text, Cell *cell) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), size = 0, quotes = 0;
    int kind = PyUnicode_KIND(text), special = 0;
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x80) {
            size += 1;
            if (c == ',' || c == '\n') special = 1;
            else if (c == '"') quotes++;
            else if (c == '\r' || c == 0) return 0;
        } else if (c < 0x800) {
            size += 2;
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            return 0;
        } else {
            size += c < 0x10000 ? 3 : 4;
        }
    }
    cell->quoted = special || quotes;
    cell->size = cell->quoted ? size + quotes + 2 : size;
    cell->is_number = 0;
    return 1;
}

/* Measures any cell: a str, None or an exact int of 64 bits; 0 when it is left to Python. */
static int measure_cell(PyObject *value, Cell *cell) {
    if (PyUnicode_CheckExact(value)) return PyUnicode_IS_READY(value) && measure_text(value, cell);
    cell->quoted = 0;
    cell->is_number = 0;
    if (value == Py_None) {
        cell->size = 0;
        return 1;
    }
    if (!PyLong_CheckExact(value)) return 0;
    int overflow = 0;
    long long number = PyLong_AsLongLongAndOverflow(value, &overflow);
    if (overflow || (number == -1 && PyErr_Occurred())) {
        PyErr_Clear();
        return 0;
    }
    char digits[32];
    cell->size = snprintf(digits, sizeof digits, "%lld", number);
    cell->number = number;
    cell->is_number = 1;
    return 1;
}

/* Writes a measured cell at out; the end of what was written. */
static char *write_cell(PyObject *value, const Cell *cell, char *out) {
    if (value == Py_None) return out;
    if (cell->is_number) {
        char digits[32];
        int length = snprintf(digits, sizeof digits, "%lld", cell->number);
        memcpy(out, digits, (size_t)length);
        return out + length;
    }
    if (!cell->quoted) return out + write_utf8(value, out);
    Py_ssize_t n = PyUnicode_GET_LENGTH(value);
    int kind = PyUnicode_KIND(value);
    const void *data = PyUnicode_DATA(value);
    *out++ = '"';
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c == '"') *out++ = '"';
        if (c < 0x80) {
            *out++ = (char)c;
        } else {
            unsigned char *o = (unsigned char *)out;
            if (c < 0x800) {
                *o++ = (unsigned char)(0xC0 | (c >> 6));
            } else if (c < 0x10000) {
                *o++ = (unsigned char)(0xE0 | (c >> 12));
                *o++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            } else {
                *o++ = (unsigned char)(0xF0 | (c >> 18));
                *o++ = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
                *o++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            }
            *o++ = (unsigned char)(0x80 | (c & 0x3F));
            out = (char *)o;
        }
    }
    *out++ = '"';
    return out;
}

/* The header and the columns as csv_bytes takes them: lists, at least two columns, each
   column as long as the first; the number of rows, or -1. */
static Py_ssize_t table_rows(PyObject *header, PyObject *cells) {
    if (!PyList_CheckExact(header) || !PyList_CheckExact(cells)) return -1;
    Py_ssize_t m = PyList_GET_SIZE(header);
    if (m < 2 || PyList_GET_SIZE(cells) != m) return -1;
    Py_ssize_t n = -1;
    for (Py_ssize_t j = 0; j < m; j++) {
        PyObject *column = PyList_GET_ITEM(cells, j);
        if (!PyList_CheckExact(column)) return -1;
        if (n < 0) n = PyList_GET_SIZE(column);
        else if (PyList_GET_SIZE(column) != n) return -1;
    }
    return n;
}

/* The cell of row i (row 0: the header, then the rows of the columns) of column j. */
static PyObject *table_cell(PyObject *header, PyObject *cells, Py_ssize_t i, Py_ssize_t j) {
    return i == 0 ? PyList_GET_ITEM(header, j) : PyList_GET_ITEM(PyList_GET_ITEM(cells, j), i - 1);
}

/* The bytes of the file, or -1 when it is left to Python. */
static Py_ssize_t table_size(PyObject *header, PyObject *cells, Py_ssize_t n) {
    Py_ssize_t m = PyList_GET_SIZE(header), size = 0;
    Cell cell;
    for (Py_ssize_t i = 0; i <= n; i++) {
        for (Py_ssize_t j = 0; j < m; j++) {
            if (!measure_cell(table_cell(header, cells, i, j), &cell)) return -1;
            if (cell.size > PY_SSIZE_T_MAX / 2 - size) return -1;
            size += cell.size;
        }
        size += m; /* m - 1 commas and a line feed */
    }
    return size;
}

/* Writes the file into out (size bytes); 0 when the table is no longer what was measured.
   Allocates nothing and runs no Python code. */
static int write_table(PyObject *header, PyObject *cells, Py_ssize_t n, char *out, Py_ssize_t size) {
    if (table_rows(header, cells) != n) return 0;
    Py_ssize_t m = PyList_GET_SIZE(header);
    char *start = out;
    Cell cell;
    for (Py_ssize_t i = 0; i <= n; i++) {
        for (Py_ssize_t j = 0; j < m; j++) {
            PyObject *value = table_cell(header, cells, i, j);
            if (!measure_cell(value, &cell)) return 0;
            if (cell.size + (j > 0) + (j == m - 1) > size - (out - start)) return 0; /* the cell, its comma, the line end */
            if (j) *out++ = ',';
            out = write_cell(value, &cell, out);
        }
        *out++ = '\n';
    }
    return out - start == size;
}

/* csv_bytes(header, cells) -> the UTF-8 bytes csv.writer writes, or None (Python's). */
static PyObject *csv_bytes(PyObject *self, PyObject *args) {
    PyObject *header, *cells;
    if (!PyArg_ParseTuple(args, "OO:csv_bytes", &header, &cells)) return NULL;
    Py_ssize_t n = table_rows(header, cells);
    if (n < 0) Py_RETURN_NONE;
    Py_ssize_t size = table_size(header, cells, n);
    if (size < 0) Py_RETURN_NONE;
    PyObject *out = PyBytes_FromStringAndSize(NULL, size);
    if (out == NULL) return NULL;
    /* from here on nothing is allocated and no Python code runs */
    if (!write_table(header, cells, n, PyBytes_AS_STRING(out), size)) {
        Py_DECREF(out);
        Py_RETURN_NONE;
    }
    return out;
}

static PyMethodDef methods[] = {
    {"columns", columns, METH_VARARGS,
     "columns(rows, names) -> [[dict.get(row, name) for row in rows] for name in names], or None "
     "when rows or names are not lists, a row is not a dict or a name or key is not a str."},
    {"classes", classes, METH_O, "classes(column) -> set(map(type, column)) of a list, or None for anything else."},
    {"utf8_buffers", utf8_buffers, METH_O,
     "utf8_buffers(column) -> (offsets, data, validity or None, null count): the buffers of "
     "pa.array(column, type=pa.string()) of a list of str and None, or None (left to Python)."},
    {"csv_bytes", csv_bytes, METH_VARARGS,
     "csv_bytes(header, cells) -> the UTF-8 bytes csv.writer (comma, minimal quoting, \"\\n\") writes of the "
     "header and the rows of the columns, or None (left to Python)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_resource_columns",
    "A resource's columns taken out of its rows in C (yusuan/core/resource_columns.py).", -1, methods,
};

PyMODINIT_FUNC PyInit__resource_columns(void) { return PyModule_Create(&module); }

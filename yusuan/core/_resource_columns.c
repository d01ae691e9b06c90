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
   allocated after them. A row's keys are checked just before its fields are looked up (its
   entries read once while they are in the cache, not in a first pass over every row: about
   −10 % of the call on a pass's tables); a row that fails gives None, the lists filled so far
   dropped, as when every row was checked first (its lookups only read rows already checked).
   Where the names are distinct (every resource's), a row is read by one walk over its
   entries, the key's cached hash probing a small table of the names matched by text (stop 35:
   about −40 % of the call on a pass's rows, 0.43–0.55 → 0.27–0.35 CPU-s for 6 million cells):
   the row's own hash table is not probed once per name, and the walk is the key check's.
   Repeated names are looked up one by one as before. Anything else gives None, and the caller takes the columns in
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
   form, or more data than int32 offsets can hold. A value that is the very object written
   last (a column repeats one object on many rows) is measured and written once: its bytes are
   copied from where they were written, a str being immutable and no Python code running.

   int64_buffers(column) gives the buffers of the Arrow ``int64`` array that
   ``pa.array(column, type=pa.int64())`` makes of a list of exact ``int`` and None: the values
   as native-endian 64-bit integers one after another (0 where a value is None) and, when a
   value is None, the validity bitmap as above. pyarrow converts each value through its own
   Python-object loop; here it is ``PyLong_AsLongLongAndOverflow`` of an exact int, which runs
   no Python code and allocates nothing. Left to Python (None): a value that is not exactly an
   ``int`` or None (a bool, a str, an int subclass), an int beyond 64 bits (where pyarrow
   raises), a list changed between its measure and its filling.

   csv_bytes(header, cells) gives the UTF-8 bytes of the CSV file ``csv.writer`` (comma, ``"``
   doubled, minimal quoting, lines ended by ``\n``) writes of the header and the rows of
   ``cells`` (one list per column): the bytes ``yusuan.core.resource_format.joined_csv_text``
   joins and encodes, on the same terms (its docstring says why they are the writer's). A cell
   is written as its text, ``None`` as nothing and an exact ``int`` in decimal (``str()`` of
   it), quoted with its quotes doubled exactly when it holds a comma, a ``"`` or a line feed.
   Left to Python (None): fewer than two columns, columns of unequal length, a cell of another
   class (a bool, a float, a str subclass), an int beyond 64 bits, a carriage return or a NUL,
   a surrogate (which has no UTF-8: the encoder raises). A cell that is the very object of the
   cell above it (68 % of the staged cells on the corpora: a document's id, a table's, a unit)
   takes that cell's measure and is written as a copy of its bytes: the text of a str, None or
   int is a function of the object alone, and nothing can change the objects meanwhile.

   same_classes(a, b) gives whether two tables (lists of columns, each a list) have values
   of the very same classes place by place: ``[list(map(type, c)) for c in a] ==
   [list(map(type, c)) for c in b]``, without a list of classes per column (the memos of
   yusuan/package/parquet_memo.py compare them for every table found equal). Left to Python
   (None): a table or a column that is not exactly a list. Reads types only: allocates nothing,
   runs no Python code.

   delimited_quotes(data) gives ``regexp.findall(data)`` of the first pattern of
   ``csv.Sniffer._guess_quote_and_delimiter``,
   ``(?P<delim>[^\w\n"'])(?P<space> ?)(?P<quote>["']).*?(?P=quote)(?P=delim)`` with DOTALL,
   tried where ``yusuan.checks.schema_proof.delimited_quotes`` tries it (one or two characters
   before each quote character, from the end of the last match on), the staged CSVs' dialect
   sniff (issue 14). A match at ``s`` is read off the pattern: ``data[s]`` neither a word
   character (``\w`` of a str pattern: ``Py_UNICODE_ISALNUM`` or ``_``, as the regular
   expression engine tests it) nor a line feed nor a quote character; then either a space and a
   quote character, or a quote character (the optional space is greedy: the space is tried
   first, and with it left out the quote would have to be the space); then the lazy ``.*?``
   (any character, DOTALL) stops at the first place after the quote where the quote and the
   delimiter follow one another, and the match ends after them; if there is none, the pattern
   fails at ``s``. The groups are ``(delim, space, quote)``. Left to Python (None): not an
   exact str.

   Built as the optional extension ``yusuan.core._resource_columns`` (setup.py); without it
   resource_columns.py takes the columns in Python, which stays the oracle
   (tests/unit/test_resource_columns_native.py). */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* A dict whose every key is exactly a str. */
static int str_keyed_dict(PyObject *row) {
    PyObject *key, *value;
    Py_ssize_t position = 0;
    if (!PyDict_Check(row)) return 0;
    while (PyDict_Next(row, &position, &key, &value)) {
        if (!PyUnicode_CheckExact(key)) return 0;
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

/* The columns of the names, by their text: an open-addressed table of the names' indexes (plus
   one; 0 an empty slot) keyed by each name's hash, which a str caches. Made of PyMem_Malloc:
   it allocates no object and runs no Python code. */
typedef struct {
    Py_ssize_t mask;
    Py_ssize_t *slots;
} NameTable;

static int same_text(PyObject *a, PyObject *b) {
    if (a == b) return 1;
    Py_ssize_t length = PyUnicode_GET_LENGTH(a);
    int kind = PyUnicode_KIND(a);
    return length == PyUnicode_GET_LENGTH(b) && kind == PyUnicode_KIND(b)
           && memcmp(PyUnicode_DATA(a), PyUnicode_DATA(b), (size_t)length * (size_t)kind) == 0;
}

/* The index of the name of text ``key`` (an exact, ready str whose hash is known), or -1. */
static Py_ssize_t name_index(const NameTable *table, PyObject *names, PyObject *key, Py_hash_t hash) {
    for (Py_ssize_t slot = (Py_ssize_t)((size_t)hash & (size_t)table->mask);; slot = (slot + 1) & table->mask) {
        Py_ssize_t found = table->slots[slot];
        if (found == 0) return -1;
        if (same_text(PyList_GET_ITEM(names, found - 1), key)) return found - 1;
    }
}

/* 1: the table of ``names`` (exact str, all distinct) made; 0: a name repeated or not a
   canonical str (the caller looks each name up instead); -1: no memory. */
static int name_table(PyObject *names, NameTable *table) {
    Py_ssize_t m = PyList_GET_SIZE(names), size = 8;
    while (size < 2 * m) size *= 2;
    table->mask = size - 1;
    table->slots = PyMem_Calloc((size_t)size, sizeof(Py_ssize_t));
    if (table->slots == NULL) return -1;
    for (Py_ssize_t j = 0; j < m; j++) {
        PyObject *name = PyList_GET_ITEM(names, j);
        if (PyUnicode_READY(name) < 0 || !PyUnicode_IS_COMPACT(name)) return 0; /* no str of 3.11 fails this */
        Py_hash_t hash = PyObject_Hash(name); /* an exact str: computed in C, cached, never fails */
        if (hash == -1) return 0;
        if (name_index(table, names, name, hash) >= 0) return 0;
        Py_ssize_t slot = (Py_ssize_t)((size_t)hash & (size_t)table->mask);
        while (table->slots[slot]) slot = (slot + 1) & table->mask;
        table->slots[slot] = j + 1;
    }
    return 1;
}

/* Row i's cells by its entries: each entry whose key is the text of a name fills that name's
   column; the names no key matched are None. 0 when a key is not exactly a str (the caller
   gives None). One pass over the row's entries in their order, the key's cached hash probing
   the small table of names, instead of a probe of the row's own table per name (the keys'
   check walked the entries anyway). The same cells: every key and name is an exact str, so
   ``dict.get(row, name)`` is the value of the one key equal to the name, or None. */
static int fill_row_by_entries(PyObject *row, Py_ssize_t i, PyObject *names, const NameTable *table, PyObject *out) {
    PyObject *key, *value;
    Py_ssize_t position = 0, m = PyList_GET_SIZE(names), filled = 0;
    while (PyDict_Next(row, &position, &key, &value)) {
        if (!PyUnicode_CheckExact(key)) return 0;
        Py_hash_t hash = ((PyASCIIObject *)key)->hash; /* a dict's key: its hash is cached */
        if (hash == -1 || !PyUnicode_IS_COMPACT(key)) return 0;
        Py_ssize_t j = name_index(table, names, key, hash);
        if (j < 0) continue;
        Py_INCREF(value);
        PyList_SET_ITEM(PyList_GET_ITEM(out, j), i, value);
        filled++;
    }
    if (filled < m) {
        for (Py_ssize_t j = 0; j < m; j++) {
            PyObject *column = PyList_GET_ITEM(out, j);
            if (PyList_GET_ITEM(column, i) == NULL) {
                Py_INCREF(Py_None);
                PyList_SET_ITEM(column, i, Py_None);
            }
        }
    }
    return 1;
}

/* Row i's cells by a lookup per name (names repeated); 0 when a key is not exactly a str,
   -1 with an exception set (not expected of str keys; raised as dict.get would). */
static int fill_row_by_names(PyObject *row, Py_ssize_t i, PyObject *names, PyObject *out) {
    if (!str_keyed_dict(row)) return 0; /* checked just before its fields are looked up, while in the cache */
    for (Py_ssize_t j = 0; j < PyList_GET_SIZE(names); j++) {
        PyObject *value = PyDict_GetItemWithError(row, PyList_GET_ITEM(names, j)); /* borrowed */
        if (value == NULL) {
            if (PyErr_Occurred()) return -1;
            value = Py_None;
        }
        Py_INCREF(value);
        PyList_SET_ITEM(PyList_GET_ITEM(out, j), i, value);
    }
    return 1;
}

static PyObject *columns(PyObject *self, PyObject *args) {
    PyObject *rows, *names;
    if (!PyArg_ParseTuple(args, "OO:columns", &rows, &names)) return NULL;
    if (!PyList_CheckExact(rows) || !PyList_CheckExact(names)) Py_RETURN_NONE;
    Py_ssize_t n = PyList_GET_SIZE(rows), m = PyList_GET_SIZE(names);
    PyObject *out = new_columns(m, n);
    if (out == NULL) return NULL;
    /* from here on no object is allocated and no Python code runs */
    if (PyList_GET_SIZE(rows) != n || PyList_GET_SIZE(names) != m || !all_exact_str(names)) {
        fill_none(out);
        Py_DECREF(out);
        Py_RETURN_NONE;
    }
    NameTable table;
    int by_entries = name_table(names, &table);
    if (by_entries < 0) {
        fill_none(out);
        Py_DECREF(out);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *row = PyList_GET_ITEM(rows, i);
        int done = !PyDict_Check(row) ? 0 : by_entries ? fill_row_by_entries(row, i, names, &table, out) : fill_row_by_names(row, i, names, out);
        if (done != 1) {
            PyMem_Free(table.slots);
            fill_none(out);
            Py_DECREF(out);
            if (done < 0) return NULL;
            Py_RETURN_NONE;
        }
    }
    PyMem_Free(table.slots);
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
    Py_ssize_t n = PyList_GET_SIZE(column), size = 0, length = 0;
    PyObject *last = NULL; /* the last str measured, whose UTF-8 is length bytes */
    *nulls = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *value = PyList_GET_ITEM(column, i);
        if (value == Py_None) {
            (*nulls)++;
            continue;
        }
        if (value != last) { /* the very object measured last: the same length */
            if (!plain_text(value)) return -1;
            length = utf8_length(value);
            if (length < 0) return -1;
            last = value;
        }
        if (length > INT32_MAX - size) return -1;
        size += length;
    }
    return size;
}

/* Fills the offsets, data and validity (NULL when there are no None) of the column; 0 when
   the column is no longer what was measured (then left to Python). Allocates nothing. */
static int fill_string_buffers(PyObject *column, Py_ssize_t n, Py_ssize_t size, Py_ssize_t nulls, int32_t *offsets, char *data, unsigned char *validity) {
    Py_ssize_t at = 0, seen = 0, last_at = 0, length = 0;
    PyObject *last = NULL; /* the last str written, at last_at, length bytes */
    if (PyList_GET_SIZE(column) != n) return 0;
    offsets[0] = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *value = PyList_GET_ITEM(column, i);
        if (value != Py_None) {
            if (value == last) { /* the very object written last (no Python code runs): its bytes again */
                if (length > size - at) return 0;
                memcpy(data + at, data + last_at, (size_t)length);
            } else {
                if (!plain_text(value)) return 0;
                length = utf8_length(value);
                if (length < 0 || length > size - at) return 0;
                if (write_utf8(value, data + at) != length) return 0;
                last = value;
                last_at = at;
            }
            at += length;
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

/* The number of None of a column of exact int and None, or -1 when it is left to Python. */
static Py_ssize_t int_column_nulls(PyObject *column) {
    Py_ssize_t n = PyList_GET_SIZE(column), nulls = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *value = PyList_GET_ITEM(column, i);
        if (value == Py_None) nulls++;
        else if (!PyLong_CheckExact(value)) return -1;
    }
    return nulls;
}

/* Fills the values and validity (NULL when there are no None) of the column; 0 when a value
   is beyond 64 bits or the column is no longer what was measured (then left to Python).
   Allocates nothing and runs no Python code (exact ints only). */
static int fill_int64_buffers(PyObject *column, Py_ssize_t n, Py_ssize_t nulls, int64_t *data, unsigned char *validity) {
    Py_ssize_t seen = 0;
    if (PyList_GET_SIZE(column) != n) return 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *value = PyList_GET_ITEM(column, i);
        if (value == Py_None) {
            if (validity == NULL || ++seen > nulls) return 0;
            data[i] = 0;
            continue;
        }
        if (!PyLong_CheckExact(value)) return 0;
        int overflow = 0;
        long long number = PyLong_AsLongLongAndOverflow(value, &overflow);
        if (overflow || (number == -1 && PyErr_Occurred())) {
            PyErr_Clear();
            return 0;
        }
        data[i] = (int64_t)number;
        if (validity != NULL) validity[i >> 3] |= (unsigned char)(1u << (i & 7));
    }
    return seen == nulls;
}

/* int64_buffers(column) -> (data, validity or None, null count), or None (Python's). */
static PyObject *int64_buffers(PyObject *self, PyObject *column) {
    if (!PyList_CheckExact(column)) Py_RETURN_NONE;
    Py_ssize_t n = PyList_GET_SIZE(column);
    if (n > PY_SSIZE_T_MAX / (Py_ssize_t)sizeof(int64_t)) Py_RETURN_NONE;
    Py_ssize_t nulls = int_column_nulls(column);
    if (nulls < 0) Py_RETURN_NONE;
    PyObject *data = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(int64_t));
    PyObject *validity = nulls ? PyBytes_FromStringAndSize(NULL, (n + 7) / 8) : Py_NewRef(Py_None);
    PyObject *count = PyLong_FromSsize_t(nulls);
    if (data == NULL || validity == NULL || count == NULL) {
        Py_XDECREF(data);
        Py_XDECREF(validity);
        Py_XDECREF(count);
        return NULL;
    }
    unsigned char *bits = NULL;
    if (nulls) {
        bits = (unsigned char *)PyBytes_AS_STRING(validity);
        memset(bits, 0, (size_t)((n + 7) / 8));
    }
    /* from here on nothing is allocated and no Python code runs, until the tuple */
    if (!fill_int64_buffers(column, n, nulls, (int64_t *)PyBytes_AS_STRING(data), bits)) {
        Py_DECREF(data);
        Py_DECREF(validity);
        Py_DECREF(count);
        Py_RETURN_NONE;
    }
    PyObject *out = PyTuple_New(3);
    if (out == NULL) {
        Py_DECREF(data);
        Py_DECREF(validity);
        Py_DECREF(count);
        return NULL;
    }
    PyTuple_SET_ITEM(out, 0, data);
    PyTuple_SET_ITEM(out, 1, validity);
    PyTuple_SET_ITEM(out, 2, count);
    return out;
}

/* same_classes(a, b) -> True/False, or None (Python's). */
static PyObject *same_classes(PyObject *self, PyObject *args) {
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO:same_classes", &a, &b)) return NULL;
    if (!PyList_CheckExact(a) || !PyList_CheckExact(b)) Py_RETURN_NONE;
    Py_ssize_t m = PyList_GET_SIZE(a);
    for (Py_ssize_t j = 0; j < m || j < PyList_GET_SIZE(b); j++) {
        if (j >= m || j >= PyList_GET_SIZE(b)) Py_RETURN_FALSE;
        PyObject *x = PyList_GET_ITEM(a, j), *y = PyList_GET_ITEM(b, j);
        if (!PyList_CheckExact(x) || !PyList_CheckExact(y)) Py_RETURN_NONE;
    }
    for (Py_ssize_t j = 0; j < m; j++) {
        PyObject *x = PyList_GET_ITEM(a, j), *y = PyList_GET_ITEM(b, j);
        Py_ssize_t n = PyList_GET_SIZE(x);
        if (PyList_GET_SIZE(y) != n) Py_RETURN_FALSE;
        for (Py_ssize_t i = 0; i < n; i++) {
            if (Py_TYPE(PyList_GET_ITEM(x, i)) != Py_TYPE(PyList_GET_ITEM(y, i))) Py_RETURN_FALSE;
        }
    }
    Py_RETURN_TRUE;
}

/* The sniff's first pattern at s, as described above: 1 and its groups and end, or 0. */
static int quoted_match_at(int kind, const void *text, Py_ssize_t n, Py_ssize_t s, Py_UCS4 *delim, int *space, Py_UCS4 *quote, Py_ssize_t *end) {
    if (s < 0 || s + 1 >= n) return 0;
    Py_UCS4 c = PyUnicode_READ(kind, text, s);
    if (c == '\n' || c == '"' || c == '\'' || c == '_' || Py_UNICODE_ISALNUM(c)) return 0;
    Py_ssize_t at; /* the quote's place */
    Py_UCS4 next = PyUnicode_READ(kind, text, s + 1);
    if (next == ' ' && s + 2 < n && (PyUnicode_READ(kind, text, s + 2) == '"' || PyUnicode_READ(kind, text, s + 2) == '\'')) {
        at = s + 2;
        *space = 1;
    } else if (next == '"' || next == '\'') {
        at = s + 1;
        *space = 0;
    } else {
        return 0;
    }
    Py_UCS4 q = PyUnicode_READ(kind, text, at);
    for (Py_ssize_t j = at + 1; j + 1 < n; j++) {
        if (PyUnicode_READ(kind, text, j) == q && PyUnicode_READ(kind, text, j + 1) == c) {
            *delim = c;
            *quote = q;
            *end = j + 2;
            return 1;
        }
    }
    return 0; /* without the space the quote would have to be the space: no match either */
}

static PyObject *quoted_groups(Py_UCS4 delim, int space, Py_UCS4 quote) {
    PyObject *d = PyUnicode_FromOrdinal((int)delim);
    PyObject *sp = PyUnicode_FromStringAndSize(space ? " " : "", space ? 1 : 0);
    PyObject *q = PyUnicode_FromOrdinal((int)quote);
    PyObject *out = (d && sp && q) ? PyTuple_New(3) : NULL;
    if (out == NULL) {
        Py_XDECREF(d);
        Py_XDECREF(sp);
        Py_XDECREF(q);
        return NULL;
    }
    PyTuple_SET_ITEM(out, 0, d);
    PyTuple_SET_ITEM(out, 1, sp);
    PyTuple_SET_ITEM(out, 2, q);
    return out;
}

/* delimited_quotes(data) -> the list of groups of the sniff's first pattern, or None. */
static PyObject *delimited_quotes(PyObject *self, PyObject *data) {
    if (!PyUnicode_CheckExact(data) || PyUnicode_READY(data) < 0) Py_RETURN_NONE;
    int kind = PyUnicode_KIND(data);
    const void *text = PyUnicode_DATA(data);
    Py_ssize_t n = PyUnicode_GET_LENGTH(data), end = 0;
    PyObject *found = PyList_New(0);
    if (found == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, text, i);
        if (c != '"' && c != '\'') continue;
        for (Py_ssize_t start = i - 2; start < i; start++) {
            if (start < end) continue;
            Py_UCS4 delim, quote;
            int space;
            Py_ssize_t stop;
            if (!quoted_match_at(kind, text, n, start, &delim, &space, &quote, &stop)) continue;
            PyObject *groups = quoted_groups(delim, space, quote);
            if (groups == NULL || PyList_Append(found, groups) < 0) {
                Py_XDECREF(groups);
                Py_DECREF(found);
                return NULL;
            }
            Py_DECREF(groups);
            end = stop;
        }
    }
    return found;
}

/* How csv.writer writes a cell, measured: the bytes of its text in UTF-8, whether it is quoted
   and, for an int, its value. */
typedef struct {
    Py_ssize_t size; /* the bytes written, quotes included */
    Py_ssize_t at;   /* where they were written in the file (set as it is written) */
    long long number;
    unsigned char quoted;
    unsigned char is_number;
} Cell;

/* ASCII characters and what the writer does with them: 1 quotes the cell (comma, line feed),
   2 quotes it and is doubled (the quote), 3 leaves the file to Python (carriage return, NUL). */
static unsigned char ascii_rule[128];

static void init_ascii_rule(void) {
    ascii_rule[','] = 1;
    ascii_rule['\n'] = 1;
    ascii_rule['"'] = 2;
    ascii_rule['\r'] = 3;
    ascii_rule[0] = 3;
}

/* Adds up what a code point of a str is written as; 0 when the cell is left to Python. */
#define MEASURE_CODE_POINTS(TYPE)                                          \
    do {                                                                   \
        const TYPE *chars = (const TYPE *)data;                            \
        for (Py_ssize_t i = 0; i < n; i++) {                               \
            Py_UCS4 c = chars[i];                                          \
            if (c < 0x80) {                                                \
                unsigned char rule = ascii_rule[c];                        \
                size += 1;                                                 \
                if (rule == 1) special = 1;                                \
                else if (rule == 2) quotes++;                              \
                else if (rule == 3) return 0;                              \
            } else if (c < 0x800) {                                        \
                size += 2;                                                 \
            } else if (c >= 0xD800 && c <= 0xDFFF) {                       \
                return 0;                                                  \
            } else {                                                       \
                size += c < 0x10000 ? 3 : 4;                               \
            }                                                              \
        }                                                                  \
    } while (0)

/* Measures a str cell; 0 when it is left to Python (a carriage return, a NUL, a surrogate). */
static int measure_text(PyObject *text, Cell *cell) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), size = 0, quotes = 0;
    int special = 0;
    const void *data = PyUnicode_DATA(text);
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND: MEASURE_CODE_POINTS(Py_UCS1); break;
    case PyUnicode_2BYTE_KIND: MEASURE_CODE_POINTS(Py_UCS2); break;
    default: MEASURE_CODE_POINTS(Py_UCS4); break;
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
    cell->size = 0;
    if (value == Py_None) return 1;
    if (!PyLong_CheckExact(value)) return 0;
    int overflow = 0;
    long long number = PyLong_AsLongLongAndOverflow(value, &overflow);
    if (overflow || (number == -1 && PyErr_Occurred())) {
        PyErr_Clear();
        return 0;
    }
    unsigned long long magnitude = number < 0 ? 0ULL - (unsigned long long)number : (unsigned long long)number;
    cell->size = number < 0;
    do {
        cell->size++;
        magnitude /= 10;
    } while (magnitude);
    cell->number = number;
    cell->is_number = 1;
    return 1;
}

/* Writes the decimal text of a number (str() of an int) ending just before end. */
static void write_number(long long number, char *out, Py_ssize_t size) {
    unsigned long long magnitude = number < 0 ? 0ULL - (unsigned long long)number : (unsigned long long)number;
    char *at = out + size;
    do {
        *--at = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude);
    if (number < 0) *--at = '-';
}

/* Writes the UTF-8 of one code point; the end of what was written. */
static inline unsigned char *put_code_point(Py_UCS4 c, unsigned char *o) {
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
    return o;
}

#define WRITE_CODE_POINTS(TYPE)                                            \
    do {                                                                   \
        const TYPE *chars = (const TYPE *)data;                            \
        for (Py_ssize_t i = 0; i < n; i++) {                               \
            if (quoted && chars[i] == '"') *o++ = '"';                     \
            o = put_code_point(chars[i], o);                               \
        }                                                                  \
    } while (0)

/* Writes a measured cell at out (cell->size bytes). */
static void write_cell(PyObject *value, const Cell *cell, char *out) {
    if (cell->is_number) {
        write_number(cell->number, out, cell->size);
        return;
    }
    if (value == Py_None) return;
    Py_ssize_t n = PyUnicode_GET_LENGTH(value);
    const void *data = PyUnicode_DATA(value);
    int quoted = cell->quoted;
    if (!quoted && PyUnicode_IS_ASCII(value)) {
        memcpy(out, data, (size_t)n);
        return;
    }
    unsigned char *o = (unsigned char *)out;
    if (quoted) *o++ = '"';
    switch (PyUnicode_KIND(value)) {
    case PyUnicode_1BYTE_KIND: WRITE_CODE_POINTS(Py_UCS1); break;
    case PyUnicode_2BYTE_KIND: WRITE_CODE_POINTS(Py_UCS2); break;
    default: WRITE_CODE_POINTS(Py_UCS4); break;
    }
    if (quoted) *o++ = '"';
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

/* The cell of line i (line 0: the header, then the rows of the columns) of column j. */
static PyObject *table_cell(PyObject *header, PyObject *cells, Py_ssize_t i, Py_ssize_t j) {
    return i == 0 ? PyList_GET_ITEM(header, j) : PyList_GET_ITEM(PyList_GET_ITEM(cells, j), i - 1);
}

/* Measures every cell, line by line, into measured; the bytes of the file, or -1 when it is
   left to Python. */
static Py_ssize_t measure_table(PyObject *header, PyObject *cells, Py_ssize_t n, Cell *measured) {
    Py_ssize_t m = PyList_GET_SIZE(header), size = 0;
    for (Py_ssize_t i = 0; i <= n; i++) {
        for (Py_ssize_t j = 0; j < m; j++) {
            Cell *cell = measured + i * m + j;
            if (i > 0 && table_cell(header, cells, i, j) == table_cell(header, cells, i - 1, j)) {
                *cell = cell[-m]; /* the very object of the line above: the same text */
            } else if (!measure_cell(table_cell(header, cells, i, j), cell)) {
                return -1;
            }
            if (cell->size > PY_SSIZE_T_MAX / 4 - size) return -1;
            size += cell->size;
        }
        size += m; /* m - 1 commas and a line feed */
    }
    return size;
}

/* Writes the measured file into out. A cell that is the very object of the cell above it
   (a document's id, a unit, a table's id on every row) is written as a copy of the bytes
   written for that cell: its text is a function of the object alone, and no object can change
   while the file is written (no Python code runs). */
static void write_table(PyObject *header, PyObject *cells, Py_ssize_t n, Cell *measured, char *out) {
    Py_ssize_t m = PyList_GET_SIZE(header);
    char *start = out;
    for (Py_ssize_t i = 0; i <= n; i++) {
        for (Py_ssize_t j = 0; j < m; j++) {
            Cell *cell = measured + i * m + j;
            PyObject *value = table_cell(header, cells, i, j);
            if (j) *out++ = ',';
            cell->at = out - start;
            if (i > 0 && value == table_cell(header, cells, i - 1, j)) {
                memcpy(out, start + cell[-m].at, (size_t)cell->size);
            } else {
                write_cell(value, cell, out);
            }
            out += cell->size;
        }
        *out++ = '\n';
    }
}

/* csv_bytes(header, cells) -> the UTF-8 bytes csv.writer writes, or None (Python's). The
   cells are measured and written into memory of PyMem_Malloc, which allocates no object and
   runs no Python code, so the lists cannot change in between; the bytes object is made of it
   at the end. */
static PyObject *csv_bytes(PyObject *self, PyObject *args) {
    PyObject *header, *cells;
    if (!PyArg_ParseTuple(args, "OO:csv_bytes", &header, &cells)) return NULL;
    Py_ssize_t n = table_rows(header, cells);
    if (n < 0) Py_RETURN_NONE;
    Py_ssize_t m = PyList_GET_SIZE(header);
    if (n + 1 > PY_SSIZE_T_MAX / (Py_ssize_t)sizeof(Cell) / m) Py_RETURN_NONE;
    Cell *measured = PyMem_Malloc((size_t)((n + 1) * m) * sizeof(Cell));
    if (measured == NULL) return PyErr_NoMemory();
    Py_ssize_t size = measure_table(header, cells, n, measured);
    if (size < 0) {
        PyMem_Free(measured);
        Py_RETURN_NONE;
    }
    char *text = PyMem_Malloc((size_t)size + 1);
    if (text == NULL) {
        PyMem_Free(measured);
        return PyErr_NoMemory();
    }
    write_table(header, cells, n, measured, text);
    PyMem_Free(measured);
    PyObject *out = PyBytes_FromStringAndSize(text, size);
    PyMem_Free(text);
    return out;
}

/* decimal_texts(column, decimal) -> the cells csv_cells makes of a column of exact str, None and
   exact ``decimal`` (decimal.Decimal) values: a str as it is, None as "", a Decimal as
   ``format(value, "f")``; None (left to Python) for any other value or a list changed while it
   is read. ``format(value, "f")`` runs the Decimal's format-spec parser (about 290 ns a value,
   issue 14: 285,000 Decimal cells a pass); ``str(value)`` (about 90 ns) is the same text
   whenever it is written in plain notation, which is exactly when it holds nothing but digits,
   '-' and '.': both then write the coefficient's digits with the point where the exponent puts
   it and the sign (also of a zero). Otherwise (an exponent, NaN, Infinity) the text is
   ``format(value, "f")``'s own. A value that is the very object of the value before it takes
   that value's text. */
static PyObject *format_f, *empty_text;

static int plain_digits(PyObject *text) {
    if (!PyUnicode_IS_ASCII(text)) return 0;
    const Py_UCS1 *data = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t k = 0; k < length; k++) {
        Py_UCS1 c = data[k];
        if (!((c >= '0' && c <= '9') || c == '-' || c == '.')) return 0;
    }
    return length > 0;
}

static PyObject *decimal_text(PyObject *value) {
    PyObject *text = PyObject_Str(value);
    if (text == NULL || plain_digits(text)) return text;
    Py_DECREF(text);
    return PyObject_Format(value, format_f);
}

static PyObject *decimal_texts(PyObject *self, PyObject *args) {
    PyObject *column, *decimal;
    if (!PyArg_ParseTuple(args, "OO:decimal_texts", &column, &decimal)) return NULL;
    if (!PyList_CheckExact(column) || !PyType_Check(decimal)) Py_RETURN_NONE;
    Py_ssize_t n = PyList_GET_SIZE(column);
    PyObject *out = PyList_New(n), *last = NULL, *last_text = NULL;
    if (out == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (PyList_GET_SIZE(column) != n) { /* changed by code a collection ran: Python's */
            Py_XDECREF(last);
            Py_DECREF(out);
            Py_RETURN_NONE;
        }
        PyObject *value = PyList_GET_ITEM(column, i), *text;
        if (value == last) {
            text = last_text;
            Py_INCREF(text);
        } else if (value == Py_None) {
            text = empty_text;
            Py_INCREF(text);
        } else if (PyUnicode_CheckExact(value)) {
            text = value;
            Py_INCREF(text);
        } else if (Py_TYPE(value) == (PyTypeObject *)decimal) {
            Py_INCREF(value); /* held while its text is made */
            text = decimal_text(value);
            Py_DECREF(value);
            if (text == NULL) {
                Py_XDECREF(last);
                Py_DECREF(out);
                return NULL;
            }
        } else {
            Py_XDECREF(last);
            Py_DECREF(out);
            Py_RETURN_NONE;
        }
        PyList_SET_ITEM(out, i, text);
        if (value != last) { /* held, so that no other object takes its address meanwhile */
            Py_INCREF(value);
            Py_XSETREF(last, value);
            last_text = text; /* out holds it */
        }
    }
    Py_XDECREF(last);
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
    {"int64_buffers", int64_buffers, METH_O,
     "int64_buffers(column) -> (data, validity or None, null count): the buffers of "
     "pa.array(column, type=pa.int64()) of a list of int and None, or None (left to Python)."},
    {"same_classes", same_classes, METH_VARARGS,
     "same_classes(a, b) -> whether two lists of lists hold values of the same classes place by "
     "place, or None (left to Python)."},
    {"delimited_quotes", delimited_quotes, METH_O,
     "delimited_quotes(data) -> the groups of csv.Sniffer's first quote pattern found where "
     "schema_proof.delimited_quotes looks, or None (left to Python)."},
    {"csv_bytes", csv_bytes, METH_VARARGS,
     "csv_bytes(header, cells) -> the UTF-8 bytes csv.writer (comma, minimal quoting, \"\\n\") writes of the "
     "header and the rows of the columns, or None (left to Python)."},
    {"decimal_texts", decimal_texts, METH_VARARGS,
     "decimal_texts(column, decimal) -> csv_cells' texts of a column of str, None and exact decimal values "
     "(a str as it is, None as \"\", a Decimal as format(value, \"f\")), or None (left to Python)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_resource_columns",
    "A resource's columns taken out of its rows in C (yusuan/core/resource_columns.py).", -1, methods,
};

PyMODINIT_FUNC PyInit__resource_columns(void) {
    init_ascii_rule();
    format_f = PyUnicode_InternFromString("f");
    empty_text = PyUnicode_FromString("");
    if (format_f == NULL || empty_text == NULL) return NULL;
    return PyModule_Create(&module);
}

/* The tables of a page's cells in C: part of the extension yusuan.extract._layout_loops (its
 * method table is in _layout_loops.c; setup.py compiles the files into it). cells_to_tables
 * is described where it is defined, below. FMA contraction is off (setup.py). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "_layout_loops.h"

/* A float, or an int a double holds exactly (as Python compares and adds it): 1, else 0. */
int layout_exact_number(PyObject *value, double *out) {
    if (PyFloat_CheckExact(value)) {
        *out = PyFloat_AS_DOUBLE(value);
        return 1;
    }
    if (!PyLong_CheckExact(value)) return 0;
    int overflow = 0;
    long long n = PyLong_AsLongLongAndOverflow(value, &overflow);
    if (overflow || (n == -1 && PyErr_Occurred())) {
        PyErr_Clear();
        return 0;
    }
    if (n > 9007199254740992LL || n < -9007199254740992LL) return 0; /* 2**53 */
    *out = (double)n;
    return 1;
}

/* ------------------------------------------------------------------ cells to tables */

/* A set of corners (x, y) for one table at a time: open addressing over doubles, -0.0 taken
 * as 0.0 (they are equal floats, as in Python's set of tuples); a slot is in the set when its
 * stamp is the table's, so a new table starts empty without clearing. */
typedef struct {
    double x, y;
    Py_ssize_t stamp;
} Corner;

typedef struct {
    Corner *slots;
    size_t mask;
    Py_ssize_t stamp;
} Corners;

static size_t corner_hash(double x, double y) {
    uint64_t a, b;
    x = x == 0.0 ? 0.0 : x;
    y = y == 0.0 ? 0.0 : y;
    memcpy(&a, &x, sizeof a);
    memcpy(&b, &y, sizeof b);
    uint64_t h = a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL + (a << 6) + (a >> 2));
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 32;
    return (size_t)h;
}

static int has_corner(const Corners *set, double x, double y) {
    for (size_t i = corner_hash(x, y) & set->mask;; i = (i + 1) & set->mask) {
        const Corner *c = &set->slots[i];
        if (c->stamp != set->stamp) return 0;
        if (c->x == x && c->y == y) return 1;
    }
}

static void add_corner(Corners *set, double x, double y) {
    for (size_t i = corner_hash(x, y) & set->mask;; i = (i + 1) & set->mask) {
        Corner *c = &set->slots[i];
        if (c->stamp != set->stamp) {
            c->x = x;
            c->y = y;
            c->stamp = set->stamp;
            return;
        }
        if (c->x == x && c->y == y) return;
    }
}

typedef struct {
    double x0, top, x1, bottom;
    PyObject *cell; /* borrowed: the cell tuple (the list holds it) */
} Boxed;

/* A table: where its cells start in the joined order, how many, and its sort key (the
 * smallest (top, x0) of its cells) and number. */
typedef struct {
    Py_ssize_t start, count, number;
    double top, x0;
} Grouped;

static int by_first_cell(const void *a, const void *b) {
    const Grouped *x = a, *y = b;
    if (x->top != y->top) return x->top < y->top ? -1 : 1;
    if (x->x0 != y->x0) return x->x0 < y->x0 ? -1 : 1;
    return (x->number > y->number) - (x->number < y->number);
}

/* The cells as boxes, each a tuple of four exact finite floats: 1, else 0. */
static int read_cells(PyObject *cells, Boxed *boxes) {
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(cells); i++) {
        PyObject *cell = PyList_GET_ITEM(cells, i);
        if (!PyTuple_CheckExact(cell) || PyTuple_GET_SIZE(cell) != 4) return 0;
        double at[4];
        for (int k = 0; k < 4; k++) {
            PyObject *value = PyTuple_GET_ITEM(cell, k);
            if (!PyFloat_CheckExact(value) || !isfinite(at[k] = PyFloat_AS_DOUBLE(value))) return 0;
        }
        boxes[i] = (Boxed){at[0], at[1], at[2], at[3], cell};
    }
    return 1;
}

/* Whether a cell is listed twice (equal tuples: all four floats equal), by sorting copies. */
static int by_box_values(const void *a, const void *b) {
    const Boxed *x = a, *y = b;
    if (x->x0 != y->x0) return x->x0 < y->x0 ? -1 : 1;
    if (x->top != y->top) return x->top < y->top ? -1 : 1;
    if (x->x1 != y->x1) return x->x1 < y->x1 ? -1 : 1;
    if (x->bottom != y->bottom) return x->bottom < y->bottom ? -1 : 1;
    return 0;
}

static int listed_twice(const Boxed *boxes, Py_ssize_t n, Boxed *scratch) {
    memcpy(scratch, boxes, (size_t)n * sizeof(Boxed));
    qsort(scratch, (size_t)n, sizeof(Boxed), by_box_values);
    for (Py_ssize_t i = 1; i < n; i++)
        if (by_box_values(&scratch[i - 1], &scratch[i]) == 0) return 1;
    return 0;
}

/* The sweeps: ``joined`` gets the cells in the order they join their tables, ``tables`` each
 * table's span of it. Returns the number of tables. */
static Py_ssize_t sweep(const Boxed *boxes, Py_ssize_t n, Corners *corners, Py_ssize_t *remaining, Py_ssize_t *joined, Grouped *tables) {
    Py_ssize_t left = n, done = 0, count = 0, start = 0;
    for (Py_ssize_t i = 0; i < n; i++) remaining[i] = i;
    corners->stamp = 1;
    while (left > 0) {
        Py_ssize_t before = done, staying = 0;
        for (Py_ssize_t k = 0; k < left; k++) {
            const Boxed *b = &boxes[remaining[k]];
            if (done == start || has_corner(corners, b->x0, b->top) || has_corner(corners, b->x0, b->bottom)
                || has_corner(corners, b->x1, b->top) || has_corner(corners, b->x1, b->bottom)) {
                add_corner(corners, b->x0, b->top);
                add_corner(corners, b->x0, b->bottom);
                add_corner(corners, b->x1, b->top);
                add_corner(corners, b->x1, b->bottom);
                joined[done++] = remaining[k];
            } else {
                remaining[staying++] = remaining[k];
            }
        }
        left = staying;
        if (done == before) { /* a sweep that added nothing: the table is complete */
            tables[count] = (Grouped){start, done - start, count, 0.0, 0.0};
            count++;
            start = done;
            corners->stamp++;
        }
    }
    if (done > start) {
        tables[count] = (Grouped){start, done - start, count, 0.0, 0.0};
        count++;
    }
    return count;
}

/* cells_to_tables(cells) -> list of lists of cells, or None.
 *
 * plumber_equivalents.cells_to_tables for a list of distinct cells that are tuples of four
 * exact finite floats: pdfplumber's sweeps (a cell joins the table so far when one of its
 * corners is one of the table's, the first remaining cell starts a table, a sweep that adds
 * none ends it), the tables sorted by their smallest (top, x0) (ties in the order they were
 * made, as Python's stable sort), tables of one cell dropped; each table's cells in the order
 * they joined, the very cell tuples. None for anything else (a cell listed twice, an int, a
 * NaN): the caller runs the Python code. */
PyObject *layout_cells_to_tables(PyObject *self, PyObject *args) {
    PyObject *cells;
    if (!PyArg_ParseTuple(args, "O!", &PyList_Type, &cells)) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(cells);
    size_t capacity = 16;
    while (capacity < (size_t)(8 * (n ? n : 1))) capacity <<= 1; /* four corners a cell, at most half full */
    Boxed *boxes = PyMem_Malloc((n ? n : 1) * sizeof(Boxed)), *scratch = PyMem_Malloc((n ? n : 1) * sizeof(Boxed));
    Py_ssize_t *remaining = PyMem_Malloc((n ? n : 1) * sizeof(Py_ssize_t)), *joined = PyMem_Malloc((n ? n : 1) * sizeof(Py_ssize_t));
    Grouped *tables = PyMem_Malloc((n ? n : 1) * sizeof(Grouped));
    Corners corners = {PyMem_Calloc(capacity, sizeof(Corner)), capacity - 1, 0};
    PyObject *result = NULL;
    if (boxes == NULL || scratch == NULL || remaining == NULL || joined == NULL || tables == NULL || corners.slots == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (!read_cells(cells, boxes) || listed_twice(boxes, n, scratch)) {
        result = Py_None;
        Py_INCREF(result);
        goto done;
    }
    Py_ssize_t count = sweep(boxes, n, &corners, remaining, joined, tables);
    for (Py_ssize_t t = 0; t < count; t++) { /* min((c[1], c[0]) for c in table) */
        Grouped *g = &tables[t];
        const Boxed *first = &boxes[joined[g->start]];
        g->top = first->top;
        g->x0 = first->x0;
        for (Py_ssize_t k = 1; k < g->count; k++) {
            const Boxed *b = &boxes[joined[g->start + k]];
            if (b->top < g->top || (b->top == g->top && b->x0 < g->x0)) {
                g->top = b->top;
                g->x0 = b->x0;
            }
        }
    }
    qsort(tables, (size_t)count, sizeof(Grouped), by_first_cell);
    if ((result = PyList_New(0)) == NULL) goto done;
    for (Py_ssize_t t = 0; t < count; t++) {
        const Grouped *g = &tables[t];
        if (g->count < 2) continue;
        PyObject *table = PyList_New(g->count);
        if (table == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        for (Py_ssize_t k = 0; k < g->count; k++) {
            PyObject *cell = boxes[joined[g->start + k]].cell;
            Py_INCREF(cell);
            PyList_SET_ITEM(table, k, cell);
        }
        int failed = PyList_Append(result, table);
        Py_DECREF(table);
        if (failed < 0) {
            Py_CLEAR(result);
            goto done;
        }
    }
done:
    PyMem_Free(boxes);
    PyMem_Free(scratch);
    PyMem_Free(remaining);
    PyMem_Free(joined);
    PyMem_Free(tables);
    PyMem_Free(corners.slots);
    return result;
}

/* The text of every cell of a ruled table in C: part of the extension
 * yusuan.extract._layout_loops (its method table is in _layout_loops.c; setup.py compiles the
 * files into it).
 *
 * table_text: pdf.extract_table's loop over a table's rows and cells, with each cell's text
 * made by _layout_loops.c's cell_text (plumber_equivalents.extract_text). A row's characters
 * are those whose middle lies in the row's band (bisected in the middles sorted by
 * pdf.CharCentres), sorted by their centre (ties in the band's order, as Python's stable
 * sort leaves them); a cell's are those of the band whose centre lies in its columns (bisected),
 * tested against the cell's own top and bottom when the cell is not as high as its row, in the
 * page's order. In Python each cell costs two bisections, a slice, a sort, a list of the
 * characters and a call; here they are loops over arrays of doubles.
 *
 * Only what it can prove the same: rows given as (box, cells) with boxes and cells exact
 * tuples of four finite floats (a cell may be None), the page's middles and centres exact
 * finite floats and its order a permutation of the characters' indices by middle (pdf.CharCentres
 * with ``ordered`` and ``across``), and every non-empty cell's characters read by cell_text.
 * For anything else it returns None and the caller runs the Python loop. FMA contraction is
 * off (setup.py). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdlib.h>

#include "_layout_loops.h"

typedef struct {
    double centre;
    Py_ssize_t index; /* of the character on the page */
    Py_ssize_t place; /* in the band: ties of centre keep it (a stable sort's order) */
} Across;

static int by_centre_then_place(const void *a, const void *b) {
    const Across *x = a, *y = b;
    if (x->centre != y->centre) return x->centre < y->centre ? -1 : 1;
    return (x->place > y->place) - (x->place < y->place);
}

static int by_index(const void *a, const void *b) {
    Py_ssize_t x = *(const Py_ssize_t *)a, y = *(const Py_ssize_t *)b;
    return (x > y) - (x < y);
}

/* The first position in sorted[0:count] whose value is not below value (bisect_left). */
static Py_ssize_t first_not_below(const double *sorted, Py_ssize_t count, double value) {
    Py_ssize_t low = 0, high = count;
    while (low < high) {
        Py_ssize_t middle = low + (high - low) / 2;
        if (sorted[middle] < value)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

/* The four finite floats of an exact 4-tuple: 1, else 0. */
static int finite_box(PyObject *box, double out[4]) {
    if (!PyTuple_CheckExact(box) || PyTuple_GET_SIZE(box) != 4) return 0;
    for (int k = 0; k < 4; k++) {
        PyObject *value = PyTuple_GET_ITEM(box, k);
        if (!PyFloat_CheckExact(value)) return 0;
        out[k] = PyFloat_AS_DOUBLE(value);
        if (!isfinite(out[k])) return 0;
    }
    return 1;
}

/* An exact list of count exact finite floats into values: 1, else 0. */
static int finite_floats(PyObject *list, Py_ssize_t count, double *values) {
    if (!PyList_CheckExact(list) || PyList_GET_SIZE(list) != count) return 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *value = PyList_GET_ITEM(list, i);
        if (!PyFloat_CheckExact(value)) return 0;
        values[i] = PyFloat_AS_DOUBLE(value);
        if (!isfinite(values[i])) return 0;
    }
    return 1;
}

/* The page's facts the rows are read with: middles and centres of the characters, the
 * indices in order of middle and the middles in that order. */
typedef struct {
    Py_ssize_t count;
    double *middles, *centres, *keys;
    Py_ssize_t *order;
    Across *band;       /* scratch: a row's characters by centre */
    double *lefts;      /* scratch: their centres */
    Py_ssize_t *within; /* scratch: a cell's characters */
} Page;

static void free_page(Page *page) {
    PyMem_Free(page->middles);
    PyMem_Free(page->centres);
    PyMem_Free(page->keys);
    PyMem_Free(page->order);
    PyMem_Free(page->band);
    PyMem_Free(page->lefts);
    PyMem_Free(page->within);
}

/* Read the page's facts: 1, 0 for input the Python loop must read, -1 on error. */
static int read_page(PyObject *middles, PyObject *centres, PyObject *order, Page *page) {
    Py_ssize_t count = page->count, size = count ? count : 1;
    page->middles = PyMem_Malloc(size * sizeof(double));
    page->centres = PyMem_Malloc(size * sizeof(double));
    page->keys = PyMem_Malloc(size * sizeof(double));
    page->order = PyMem_Malloc(size * sizeof(Py_ssize_t));
    page->band = PyMem_Malloc(size * sizeof(Across));
    page->lefts = PyMem_Malloc(size * sizeof(double));
    page->within = PyMem_Malloc(size * sizeof(Py_ssize_t));
    char *seen = PyMem_Calloc(size, 1);
    if (!page->middles || !page->centres || !page->keys || !page->order || !page->band || !page->lefts || !page->within || !seen) {
        PyMem_Free(seen);
        PyErr_NoMemory();
        return -1;
    }
    int readable = finite_floats(middles, count, page->middles) && finite_floats(centres, count, page->centres)
                   && PyList_CheckExact(order) && PyList_GET_SIZE(order) == count;
    for (Py_ssize_t k = 0; readable && k < count; k++) {
        PyObject *value = PyList_GET_ITEM(order, k);
        Py_ssize_t index = PyLong_CheckExact(value) ? PyLong_AsSsize_t(value) : -1;
        if (index == -1 && PyErr_Occurred()) PyErr_Clear();
        if (index < 0 || index >= count || seen[index]) {
            readable = 0;
            break;
        }
        seen[index] = 1;
        page->order[k] = index;
        page->keys[k] = page->middles[index];
        if (k && page->keys[k] < page->keys[k - 1]) readable = 0; /* not sorted: not pdf.CharCentres' */
    }
    PyMem_Free(seen);
    return readable;
}

/* A cell's text: the characters of the row's band (sorted by centre in page->band and
 * page->lefts, ``across`` of them) whose centre lies in [x0, x1) and, unless the cell is as
 * high as its row, whose middle lies in [top, bottom), given to cell_text in page order.
 * New reference; None when cell_text cannot read them; NULL on error. */
static PyObject *one_cell(Page *page, PyObject *chars, Py_ssize_t across, const double cell[4], const double row[4], PyObject *ligatures,
                          PyObject *letters) {
    Py_ssize_t start = first_not_below(page->lefts, across, cell[0]);
    Py_ssize_t end = first_not_below(page->lefts, across, cell[2]);
    int whole_row = cell[1] == row[1] && cell[3] == row[3];
    Py_ssize_t count = 0;
    for (Py_ssize_t k = start; k < end; k++) {
        Py_ssize_t index = page->band[k].index;
        if (whole_row || (cell[1] <= page->middles[index] && page->middles[index] < cell[3])) page->within[count++] = index;
    }
    if (count == 0) return PyUnicode_FromString("");
    qsort(page->within, (size_t)count, sizeof(Py_ssize_t), by_index);
    if (page->within[count - 1] >= PyList_GET_SIZE(chars)) Py_RETURN_NONE; /* the list changed under a cell's reading */
    PyObject *held = PyList_New(count);
    if (held == NULL) return NULL;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *char_dict = PyList_GET_ITEM(chars, page->within[k]);
        Py_INCREF(char_dict);
        PyList_SET_ITEM(held, k, char_dict);
    }
    PyObject *text = layout_cell_text(held, ligatures, letters);
    Py_DECREF(held);
    return text;
}

/* A row's texts (a list; None for a missing cell), or None / NULL as one_cell. */
static PyObject *one_row(Page *page, PyObject *chars, PyObject *row, PyObject *ligatures, PyObject *letters) {
    double box[4], cell[4];
    if (!PyTuple_CheckExact(row) || PyTuple_GET_SIZE(row) != 2 || !finite_box(PyTuple_GET_ITEM(row, 0), box)) Py_RETURN_NONE;
    PyObject *cells = PyTuple_GET_ITEM(row, 1);
    if (!PyList_CheckExact(cells)) Py_RETURN_NONE;
    Py_ssize_t low = first_not_below(page->keys, page->count, box[1]);
    Py_ssize_t high = first_not_below(page->keys, page->count, box[3]);
    Py_ssize_t across = high > low ? high - low : 0;
    for (Py_ssize_t k = 0; k < across; k++) {
        Py_ssize_t index = page->order[low + k];
        page->band[k].centre = page->centres[index];
        page->band[k].index = index;
        page->band[k].place = k;
    }
    qsort(page->band, (size_t)across, sizeof(Across), by_centre_then_place);
    for (Py_ssize_t k = 0; k < across; k++) page->lefts[k] = page->band[k].centre;
    Py_ssize_t width = PyList_GET_SIZE(cells);
    PyObject *texts = PyList_New(width);
    if (texts == NULL) return NULL;
    for (Py_ssize_t j = 0; j < width; j++) {
        PyObject *found = PyList_GET_ITEM(cells, j);
        if (found == Py_None) {
            Py_INCREF(Py_None);
            PyList_SET_ITEM(texts, j, Py_None);
            continue;
        }
        PyObject *text = finite_box(found, cell) ? one_cell(page, chars, across, cell, box, ligatures, letters) : (Py_INCREF(Py_None), Py_None);
        if (text == NULL || text == Py_None) {
            Py_DECREF(texts);
            return text;
        }
        PyList_SET_ITEM(texts, j, text);
    }
    return texts;
}

/* table_text(rows, chars, middles, centres, order, ligatures, letters) -> list of rows of
 * texts, or None. ``rows``: (row box, row cells) of each of the table's rows in order; the
 * page's ``chars`` with pdf.CharCentres' ``middles``, ``centres`` and ``order``; ``ligatures``
 * and ``letters`` as for cell_text. */
PyObject *layout_table_text(PyObject *self, PyObject *args) {
    PyObject *rows, *chars, *middles, *centres, *order, *ligatures, *letters;
    if (!PyArg_ParseTuple(args, "OOOOOO!U", &rows, &chars, &middles, &centres, &order, &PyDict_Type, &ligatures, &letters)) return NULL;
    if (!PyList_CheckExact(rows) || !PyList_CheckExact(chars)) Py_RETURN_NONE;
    Page page = {0};
    page.count = PyList_GET_SIZE(chars);
    int readable = read_page(middles, centres, order, &page);
    if (readable <= 0) {
        free_page(&page);
        if (readable < 0) return NULL;
        Py_RETURN_NONE;
    }
    Py_ssize_t height = PyList_GET_SIZE(rows);
    PyObject *table = PyList_New(height);
    for (Py_ssize_t r = 0; table != NULL && r < height; r++) {
        PyObject *texts = one_row(&page, chars, PyList_GET_ITEM(rows, r), ligatures, letters);
        if (texts == NULL || texts == Py_None) {
            Py_DECREF(table);
            table = texts;
            break;
        }
        PyList_SET_ITEM(table, r, texts);
    }
    free_page(&page);
    return table;
}

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
#include "_layout_sort.h"

typedef struct {
    double centre;
    Py_ssize_t index; /* of the character on the page */
    Py_ssize_t place; /* in the band: ties of centre keep it (a stable sort's order) */
} Across;

/* By centre, ties by place in the band; page indices in order (the tests of the comparisons
 * qsort was given; the centres finite). */
LAYOUT_STABLE_SORT(sort_by_centre_then_place, Across, a->centre != b->centre ? a->centre < b->centre : a->place < b->place)
LAYOUT_STABLE_SORT(sort_indices, Py_ssize_t, *a < *b)

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

/* The page's arrays for page->count characters (freed by free_page, allocated or not): 1, or
 * 0 when one of them could not be allocated. */
static int allocate_page(Page *page) {
    Py_ssize_t size = page->count ? page->count : 1;
    page->middles = PyMem_Malloc(size * sizeof(double));
    page->centres = PyMem_Malloc(size * sizeof(double));
    page->keys = PyMem_Malloc(size * sizeof(double));
    page->order = PyMem_Malloc(size * sizeof(Py_ssize_t));
    page->band = PyMem_Malloc(size * sizeof(Across));
    page->lefts = PyMem_Malloc(size * sizeof(double));
    page->within = PyMem_Malloc(size * sizeof(Py_ssize_t));
    return page->middles && page->centres && page->keys && page->order && page->band && page->lefts && page->within;
}

/* Read the page's facts: 1, 0 for input the Python loop must read, -1 on error. */
static int read_page(PyObject *middles, PyObject *centres, PyObject *order, Page *page) {
    Py_ssize_t count = page->count, size = count ? count : 1;
    char *seen = PyMem_Calloc(size, 1);
    if (!allocate_page(page) || !seen) {
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
    sort_indices(page->within, count);
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

/* A row's texts (a list; None for a missing cell) from its box and its cells (borrowed exact
 * 4-tuples of finite floats, NULL for a missing one), or None / NULL as one_cell. */
static PyObject *row_texts(Page *page, PyObject *chars, const double box[4], PyObject *const *cells, Py_ssize_t width, PyObject *ligatures,
                           PyObject *letters) {
    double cell[4];
    Py_ssize_t low = first_not_below(page->keys, page->count, box[1]);
    Py_ssize_t high = first_not_below(page->keys, page->count, box[3]);
    Py_ssize_t across = high > low ? high - low : 0;
    for (Py_ssize_t k = 0; k < across; k++) {
        Py_ssize_t index = page->order[low + k];
        page->band[k].centre = page->centres[index];
        page->band[k].index = index;
        page->band[k].place = k;
    }
    sort_by_centre_then_place(page->band, across);
    for (Py_ssize_t k = 0; k < across; k++) page->lefts[k] = page->band[k].centre;
    PyObject *texts = PyList_New(width);
    if (texts == NULL) return NULL;
    for (Py_ssize_t j = 0; j < width; j++) {
        if (cells[j] == NULL) {
            Py_INCREF(Py_None);
            PyList_SET_ITEM(texts, j, Py_None);
            continue;
        }
        PyObject *text = finite_box(cells[j], cell) ? one_cell(page, chars, across, cell, box, ligatures, letters) : (Py_INCREF(Py_None), Py_None);
        if (text == NULL || text == Py_None) {
            Py_DECREF(texts);
            return text;
        }
        PyList_SET_ITEM(texts, j, text);
    }
    return texts;
}

/* A row given from Python as (box, cells): its texts, or None / NULL as row_texts. */
static PyObject *one_row(Page *page, PyObject *chars, PyObject *row, PyObject *ligatures, PyObject *letters) {
    double box[4];
    if (!PyTuple_CheckExact(row) || PyTuple_GET_SIZE(row) != 2 || !finite_box(PyTuple_GET_ITEM(row, 0), box)) Py_RETURN_NONE;
    PyObject *cells = PyTuple_GET_ITEM(row, 1);
    if (!PyList_CheckExact(cells)) Py_RETURN_NONE;
    Py_ssize_t width = PyList_GET_SIZE(cells);
    PyObject **held = PyMem_Malloc((width ? width : 1) * sizeof(PyObject *));
    if (held == NULL) return PyErr_NoMemory();
    for (Py_ssize_t j = 0; j < width; j++) {
        PyObject *cell = PyList_GET_ITEM(cells, j);
        held[j] = cell == Py_None ? NULL : cell;
    }
    PyObject *texts = row_texts(page, chars, box, held, width, ligatures, letters);
    PyMem_Free(held);
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

/* ------------------------------------------------------------------ a table's grid */

typedef struct {
    double x0, top, x1, bottom;
    PyObject *object;  /* borrowed: the cell's tuple (the table's list holds it) */
    Py_ssize_t index;  /* in the table's list */
} Cell;

static int by_top_x0_index(const void *a, const void *b) {
    const Cell *x = a, *y = b;
    if (x->top != y->top) return x->top < y->top ? -1 : 1;
    if (x->x0 != y->x0) return x->x0 < y->x0 ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The first position in sorted[0:count] whose value is above value (bisect_right). */
static Py_ssize_t first_above(const double *sorted, Py_ssize_t count, double value) {
    Py_ssize_t low = 0, high = count;
    while (low < high) {
        Py_ssize_t middle = low + (high - low) / 2;
        if (value < sorted[middle])
            high = middle;
        else
            low = middle + 1;
    }
    return low;
}

/* values sorted, equal ones kept once (sorted(set(values)) for finite doubles without zeros):
 * the count kept. */
static Py_ssize_t distinct_sorted(double *values, Py_ssize_t count) {
    qsort(values, (size_t)count, sizeof(double), by_value);
    Py_ssize_t kept = 0;
    for (Py_ssize_t i = 0; i < count; i++)
        if (kept == 0 || values[i] != values[kept - 1]) values[kept++] = values[i];
    return kept;
}

/* The table's cells: exact 4-tuples of finite floats, none of them zero (0.0 and -0.0 are one
 * key of Python's sets and dicts, kept as whichever came first): 1, else 0. */
static int read_cells(PyObject *cells, Cell *all) {
    Py_ssize_t count = PyList_GET_SIZE(cells);
    for (Py_ssize_t i = 0; i < count; i++) {
        double at[4];
        PyObject *cell = PyList_GET_ITEM(cells, i);
        if (!finite_box(cell, at) || at[0] == 0.0 || at[1] == 0.0 || at[2] == 0.0 || at[3] == 0.0) return 0;
        all[i] = (Cell){at[0], at[1], at[2], at[3], cell, i};
    }
    return 1;
}

/* The facts of a table the grid is read with: its cells in their order and by (top, x0), the
 * distinct lefts and tops sorted, its box. */
typedef struct {
    Py_ssize_t count, columns, levels;
    Cell *all, *by_row;
    double *lefts, *tops;
    double box[4];
    PyObject **slots; /* scratch: a row's cells by column */
} Grid;

static void free_grid(Grid *grid) {
    PyMem_Free(grid->all);
    PyMem_Free(grid->by_row);
    PyMem_Free(grid->lefts);
    PyMem_Free(grid->tops);
    PyMem_Free(grid->slots);
}

/* Read the table: 1, 0 for cells the Python code must read, -1 on error. */
static int read_grid(PyObject *cells, Grid *grid) {
    Py_ssize_t count = grid->count = PyList_GET_SIZE(cells);
    grid->all = PyMem_Malloc(count * sizeof(Cell));
    grid->by_row = PyMem_Malloc(count * sizeof(Cell));
    grid->lefts = PyMem_Malloc(count * sizeof(double));
    grid->tops = PyMem_Malloc(count * sizeof(double));
    grid->slots = PyMem_Malloc(count * sizeof(PyObject *));
    if (!grid->all || !grid->by_row || !grid->lefts || !grid->tops || !grid->slots) {
        PyErr_NoMemory();
        return -1;
    }
    if (!read_cells(cells, grid->all)) return 0;
    double *box = grid->box;
    box[0] = box[1] = INFINITY;
    box[2] = box[3] = -INFINITY;
    for (Py_ssize_t i = 0; i < count; i++) {
        const Cell *cell = &grid->all[i];
        grid->by_row[i] = *cell;
        grid->lefts[i] = cell->x0;
        grid->tops[i] = cell->top;
        box[0] = cell->x0 < box[0] ? cell->x0 : box[0];
        box[1] = cell->top < box[1] ? cell->top : box[1];
        box[2] = cell->x1 > box[2] ? cell->x1 : box[2];
        box[3] = cell->bottom > box[3] ? cell->bottom : box[3];
    }
    qsort(grid->by_row, (size_t)count, sizeof(Cell), by_top_x0_index);
    grid->columns = distinct_sorted(grid->lefts, count);
    grid->levels = distinct_sorted(grid->tops, count);
    return 1;
}

/* The first cell of the table (in its order) holding the point, with its edges in; NULL if none. */
static const Cell *covering(const Grid *grid, double x, double y) {
    for (Py_ssize_t i = 0; i < grid->count; i++) {
        const Cell *cell = &grid->all[i];
        if (cell->x0 <= x && x <= cell->x1 && cell->top <= y && y <= cell->bottom) return cell;
    }
    return NULL;
}

/* pdf.table_to_grid's marks of a row's missing cells: COVERED_ABOVE where the cell covering
 * the slot starts in a row above, COVERED_LEFT where it starts in this row, to the left.
 * 0, or -1 on error. */
static int mark_covered(const Grid *grid, const double row_box[4], PyObject *texts, PyObject *above, PyObject *left) {
    const double *tops = grid->tops, *lefts = grid->lefts;
    double top = row_box[1];
    Py_ssize_t level = first_above(tops, grid->levels, top + 0.5) - 1;
    Py_ssize_t after = first_above(tops, grid->levels, top + 2);
    double bottom = after < grid->levels ? tops[after] : grid->box[3];
    for (Py_ssize_t j = 0; j < grid->columns; j++) {
        if (grid->slots[j] != NULL) continue;
        double x1 = j + 1 < grid->columns ? lefts[j + 1] : grid->box[2];
        const Cell *cover = covering(grid, (lefts[j] + x1) / 2, (top + bottom) / 2);
        if (cover == NULL) continue;
        PyObject *mark = first_above(tops, grid->levels, cover->top + 0.5) - 1 != level ? above : (cover->x0 < lefts[j] - 1 ? left : NULL);
        if (mark != NULL) {
            Py_INCREF(mark);
            if (PyList_SetItem(texts, j, mark) < 0) return -1; /* drops the None it replaces */
        }
    }
    return 0;
}

/* The rows' texts with their covered marks, or None / NULL as row_texts. */
static PyObject *grid_rows(Grid *grid, Page *page, PyObject *chars, PyObject *ligatures, PyObject *letters, PyObject *above, PyObject *left) {
    PyObject *rows = PyList_New(0);
    for (Py_ssize_t start = 0; rows != NULL && start < grid->count;) {
        Py_ssize_t end = start;
        while (end < grid->count && grid->by_row[end].top == grid->by_row[start].top) end++;
        for (Py_ssize_t j = 0; j < grid->columns; j++) grid->slots[j] = NULL;
        double box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
        for (Py_ssize_t k = start; k < end; k++) { /* by x0, the last of equal x0s kept (a dict's) */
            const Cell *cell = &grid->by_row[k];
            grid->slots[first_not_below(grid->lefts, grid->columns, cell->x0)] = cell->object;
        }
        for (Py_ssize_t k = start; k < end; k++) {
            const Cell *cell = &grid->by_row[k];
            if (grid->slots[first_not_below(grid->lefts, grid->columns, cell->x0)] != cell->object) continue;
            box[0] = cell->x0 < box[0] ? cell->x0 : box[0];
            box[1] = cell->top < box[1] ? cell->top : box[1];
            box[2] = cell->x1 > box[2] ? cell->x1 : box[2];
            box[3] = cell->bottom > box[3] ? cell->bottom : box[3];
        }
        PyObject *texts = row_texts(page, chars, box, grid->slots, grid->columns, ligatures, letters);
        if (texts == NULL || texts == Py_None) {
            Py_DECREF(rows);
            return texts;
        }
        if (mark_covered(grid, box, texts, above, left) < 0 || PyList_Append(rows, texts) < 0) Py_CLEAR(rows);
        Py_DECREF(texts);
        start = end;
    }
    return rows;
}

/* The columns' x-ranges: each left to the next, the last to the table's right edge. */
static PyObject *column_bounds(const Grid *grid) {
    PyObject *bounds = PyList_New(grid->columns);
    for (Py_ssize_t j = 0; bounds != NULL && j < grid->columns; j++) {
        PyObject *bound = Py_BuildValue("(dd)", grid->lefts[j], j + 1 < grid->columns ? grid->lefts[j + 1] : grid->box[2]);
        if (bound == NULL) {
            Py_CLEAR(bounds);
            break;
        }
        PyList_SET_ITEM(bounds, j, bound);
    }
    return bounds;
}

/* table_grid(cells, chars, middles, centres, order, ligatures, letters, covered_above,
 * covered_left) -> (rows, column bounds), or None.
 * pdf.table_to_grid for a table's cells (at least one; exact 4-tuples of finite floats, none
 * zero): pdfplumber's rows (the cells sorted by top then x0, grouped by equal tops, each row
 * a slot per distinct left, the last cell of a left kept), each row's texts as table_text
 * reads them, its missing cells marked covered, and the columns' bounds. The page's facts as
 * for table_text. None for anything the Python code must read. */
static PyObject *one_grid(PyObject *cells, Page *page, PyObject *chars, PyObject *ligatures, PyObject *letters, PyObject *above, PyObject *left);

PyObject *layout_table_grid(PyObject *self, PyObject *args) {
    PyObject *cells, *chars, *middles, *centres, *order, *ligatures, *letters, *above, *left;
    if (!PyArg_ParseTuple(args, "OOOOOO!UOO", &cells, &chars, &middles, &centres, &order, &PyDict_Type, &ligatures, &letters, &above, &left))
        return NULL;
    if (!PyList_CheckExact(cells) || PyList_GET_SIZE(cells) == 0 || !PyList_CheckExact(chars)) Py_RETURN_NONE;
    Page page = {0};
    page.count = PyList_GET_SIZE(chars);
    PyObject *result = NULL;
    int readable = read_page(middles, centres, order, &page);
    if (readable > 0) {
        result = one_grid(cells, &page, chars, ligatures, letters, above, left);
    } else if (readable == 0) {
        result = Py_None;
        Py_INCREF(result);
    }
    free_page(&page);
    return result;
}

/* ------------------------------------------------------------------ a page's grids */

typedef struct {
    double key;
    Py_ssize_t index;
} Middle;

/* By middle, ties by index: for finite middles the order of Python's stable sort by middle
 * (pdf.CharCentres' ``order``, and char_centres' in _layout_loops.c). */
LAYOUT_STABLE_SORT(sort_middles, Middle, a->key < b->key ? 1 : a->key > b->key ? 0 : a->index < b->index)

/* The page's facts read from its characters, as _layout_loops.c's char_centres computes them
 * (the same sums and halvings, the same order) but into C arrays, not Python lists: 1, 0 for
 * characters it does not read (not a dict or Char, a position not an exact float, a middle or
 * centre not finite: char_centres' None), -1 on error. */
static int page_from_chars(PyObject *chars, Page *page) {
    static PyObject *names[4] = {NULL, NULL, NULL, NULL};
    if (names[0] == NULL) {
        const char *spelt[4] = {"top", "bottom", "x0", "x1"};
        for (int k = 0; k < 4; k++) {
            if ((names[k] = PyUnicode_InternFromString(spelt[k])) == NULL) return -1;
        }
    }
    Py_ssize_t count = page->count, size = count ? count : 1;
    Middle *by_middle = PyMem_Malloc(size * sizeof(Middle));
    if (!allocate_page(page) || !by_middle) {
        PyMem_Free(by_middle);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *char_dict = PyList_GET_ITEM(chars, i);
        double at[4];
        if (!layout_readable(char_dict)) goto unread;
        for (int k = 0; k < 4; k++) {
            if (!layout_float(char_dict, names[k], &at[k])) goto unread;
        }
        double middle = (at[0] + at[1]) / 2.0, centre = (at[2] + at[3]) / 2.0;
        if (!isfinite(middle) || !isfinite(centre)) goto unread;
        page->middles[i] = by_middle[i].key = middle;
        page->centres[i] = centre;
        by_middle[i].index = i;
    }
    sort_middles(by_middle, count);
    for (Py_ssize_t k = 0; k < count; k++) {
        page->order[k] = by_middle[k].index;
        page->keys[k] = by_middle[k].key;
    }
    PyMem_Free(by_middle);
    return 1;
unread:
    PyMem_Free(by_middle);
    return PyErr_Occurred() ? -1 : 0;
}

/* One table's (rows, column bounds) on a page already read, None for cells the Python code
 * must read, NULL on error. */
static PyObject *one_grid(PyObject *cells, Page *page, PyObject *chars, PyObject *ligatures, PyObject *letters, PyObject *above, PyObject *left) {
    if (!PyList_CheckExact(cells) || PyList_GET_SIZE(cells) == 0) Py_RETURN_NONE;
    Grid grid = {0};
    PyObject *result = NULL;
    int readable = read_grid(cells, &grid);
    if (readable > 0) {
        PyObject *rows = grid_rows(&grid, page, chars, ligatures, letters, above, left);
        if (rows == NULL || rows == Py_None) {
            result = rows;
        } else {
            PyObject *bounds = column_bounds(&grid);
            result = bounds == NULL ? NULL : Py_BuildValue("(NN)", rows, bounds);
            if (bounds == NULL) Py_DECREF(rows);
        }
    } else if (readable == 0) {
        result = Py_None;
        Py_INCREF(result);
    }
    free_grid(&grid);
    return result;
}

/* page_grids(tables, chars, ligatures, letters, covered_above, covered_left) -> a list with,
 * for each table's cells, table_grid's (rows, column bounds) or None; or None.
 * pdf.page_grids: table_grid of every table of a page with the page's centres computed once
 * in C arrays (char_centres' values and order) instead of pdf.CharCentres' Python lists read
 * again for each table. None (for the whole page) where char_centres would give None: the
 * caller then runs pdf.CharCentres and table_to_grid; None for one table where table_grid
 * would give None for it. */
PyObject *layout_page_grids(PyObject *self, PyObject *args) {
    PyObject *tables, *chars, *ligatures, *letters, *above, *left;
    if (!PyArg_ParseTuple(args, "OOO!UOO", &tables, &chars, &PyDict_Type, &ligatures, &letters, &above, &left)) return NULL;
    if (!PyList_CheckExact(tables) || !PyList_CheckExact(chars)) Py_RETURN_NONE;
    Page page = {0};
    page.count = PyList_GET_SIZE(chars);
    int readable = page_from_chars(chars, &page);
    if (readable <= 0) {
        free_page(&page);
        if (readable < 0) return NULL;
        Py_RETURN_NONE;
    }
    Py_ssize_t count = PyList_GET_SIZE(tables);
    PyObject *grids = PyList_New(count);
    for (Py_ssize_t t = 0; grids != NULL && t < count; t++) {
        PyObject *grid = one_grid(PyList_GET_ITEM(tables, t), &page, chars, ligatures, letters, above, left);
        if (grid == NULL) {
            Py_CLEAR(grids);
            break;
        }
        PyList_SET_ITEM(grids, t, grid);
    }
    free_page(&page);
    return grids;
}

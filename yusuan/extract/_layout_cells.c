/* A page's ruled cells straight from its rulings, in C: part of the extension
 * yusuan.extract._layout_loops (its method table is in _layout_loops.c).
 *
 * ruling_cells: pdf.find_tables' two steps after the rulings, as one:
 * plumber_equivalents.edges_to_intersections (every vertical ruling tested against every
 * horizontal one with pdfplumber's expressions) and html_positioned.smallest_cells (for every
 * crossing in sorted order, the first box found down its column and along its row whose four
 * corners are joined by shared rulings), without the dict of crossings, each with a tuple, a
 * dict and two lists, that the two Python steps hand each other. The search is the one of
 * _layout_loops.c's smallest_cells, on the same facts: a crossing's rulings by the number of
 * their box (equal boxes one number), how far down its verticals and along its horizontals
 * reach (the largest bottom or x1, plus the tolerance).
 *
 * Only what it can prove the same: a list of exact dicts whose x0, top, x1 and bottom are
 * exact finite floats and whose orientation is an exact str or None (a ruling neither "v" nor
 * "h" crosses nothing), no crossing at -0.0 (the dict of crossings would keep whichever of 0.0
 * and -0.0 came first), tolerances given as floats; the search's steps at most max_steps.
 * For anything else it returns None and the caller runs the Python steps (which raise at the
 * limit). No Python code runs while the rulings are read (exact dicts, str keys). FMA
 * contraction is off (setup.py). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdlib.h>

#include "_layout_loops.h"

typedef struct {
    double x0, top, x1, bottom;
    char orientation; /* 'v', 'h' or 0 (neither) */
    Py_ssize_t number; /* of its box: equal boxes one number */
} Ruling;

typedef struct {
    double x, y;
    Py_ssize_t v_number, h_number;
    double v_bottom, h_x1;
} Pair; /* a vertical and a horizontal ruling that cross, at (x, y) */

typedef struct {
    double x, y;
    Py_ssize_t start, count; /* its pairs: pairs[start:start + count] */
    double down_to, right_to;
    Py_ssize_t column_end, column_at; /* its column: crossings[..column_end], itself at column_at */
    Py_ssize_t row_end, row_at;       /* its row: by_rows[..row_end], itself at row_at */
} Point;

static int by_box(const void *a, const void *b) {
    const Ruling *x = *(Ruling *const *)a, *y = *(Ruling *const *)b;
    if (x->x0 != y->x0) return x->x0 < y->x0 ? -1 : 1;
    if (x->top != y->top) return x->top < y->top ? -1 : 1;
    if (x->x1 != y->x1) return x->x1 < y->x1 ? -1 : 1;
    if (x->bottom != y->bottom) return x->bottom < y->bottom ? -1 : 1;
    return 0;
}

static int pair_by_point(const void *a, const void *b) {
    const Pair *x = a, *y = b;
    if (x->x != y->x) return x->x < y->x ? -1 : 1;
    if (x->y != y->y) return x->y < y->y ? -1 : 1;
    return 0;
}

static const Point *points_sorted; /* for point_by_row: the crossings, sorted by point */

static int point_by_row(const void *a, const void *b) {
    const Point *x = &points_sorted[*(const Py_ssize_t *)a], *y = &points_sorted[*(const Py_ssize_t *)b];
    if (x->y != y->y) return x->y < y->y ? -1 : 1;
    if (x->x != y->x) return x->x < y->x ? -1 : 1;
    return 0;
}

/* A ruling's box and orientation: 1, or 0 for a ruling the Python steps must read. */
static int read_ruling(PyObject *edge, PyObject *names[5], PyObject *v_text, PyObject *h_text, Ruling *ruling) {
    double *at[4] = {&ruling->x0, &ruling->top, &ruling->x1, &ruling->bottom};
    if (!PyDict_CheckExact(edge)) return 0;
    for (int k = 0; k < 4; k++) {
        PyObject *value = PyDict_GetItemWithError(edge, names[k]);
        if (value == NULL || !PyFloat_CheckExact(value)) return 0;
        *at[k] = PyFloat_AS_DOUBLE(value);
        if (!isfinite(*at[k])) return 0;
    }
    PyObject *orientation = PyDict_GetItemWithError(edge, names[4]);
    if (orientation == NULL) return 0;
    if (orientation == Py_None) ruling->orientation = 0;
    else if (!PyUnicode_CheckExact(orientation)) return 0;
    else if (PyUnicode_Compare(orientation, v_text) == 0) ruling->orientation = 'v';
    else if (PyUnicode_Compare(orientation, h_text) == 0) ruling->orientation = 'h';
    else ruling->orientation = 0;
    return 1;
}

static int negative_zero(double value) { return value == 0.0 && signbit(value); }

/* Whether the rulings numbered in pairs a[...] and b[...] share one (``v`` 1: verticals). */
static int share(const Pair *pairs, const Point *a, const Point *b, int v) {
    for (Py_ssize_t i = a->start; i < a->start + a->count; i++)
        for (Py_ssize_t j = b->start; j < b->start + b->count; j++)
            if (v ? pairs[i].v_number == pairs[j].v_number : pairs[i].h_number == pairs[j].h_number) return 1;
    return 0;
}

/* The crossing at exactly (x, y), by bisection in the crossings sorted by point; -1 if none. */
static Py_ssize_t point_at(const Point *points, Py_ssize_t count, double x, double y) {
    Py_ssize_t low = 0, high = count;
    while (low < high) {
        Py_ssize_t middle = low + (high - low) / 2;
        const Point *c = &points[middle];
        if (c->x < x || (c->x == x && c->y < y)) low = middle + 1;
        else high = middle;
    }
    return low < count && points[low].x == x && points[low].y == y ? low : -1;
}

/* The crossing pairs of every vertical and horizontal ruling (edges_to_intersections' test),
 * sorted by point; their count in *found. NULL with an error set when out of memory. */
static Pair *crossing_pairs(const Ruling *rulings, Py_ssize_t n, double x_tolerance, double y_tolerance, Py_ssize_t *found) {
    Py_ssize_t capacity = 16, count = 0;
    Pair *pairs = PyMem_Malloc(capacity * sizeof(Pair));
    if (pairs == NULL) return (Pair *)PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n; i++) {
        const Ruling *v = &rulings[i];
        if (v->orientation != 'v') continue;
        for (Py_ssize_t j = 0; j < n; j++) {
            const Ruling *h = &rulings[j];
            if (h->orientation != 'h') continue;
            if (!(v->top <= h->top + y_tolerance && v->bottom >= h->top - y_tolerance && v->x0 >= h->x0 - x_tolerance
                  && v->x0 <= h->x1 + x_tolerance))
                continue;
            if (count == capacity) {
                Pair *grown = PyMem_Realloc(pairs, 2 * capacity * sizeof(Pair));
                if (grown == NULL) {
                    PyMem_Free(pairs);
                    return (Pair *)PyErr_NoMemory();
                }
                pairs = grown;
                capacity *= 2;
            }
            pairs[count++] = (Pair){v->x0, h->top, v->number, h->number, v->bottom, h->x1};
        }
    }
    qsort(pairs, (size_t)count, sizeof(Pair), pair_by_point);
    *found = count;
    return pairs;
}

/* The crossings (distinct points of the sorted pairs) with their reach and their column;
 * their count in *found. NULL with an error set when out of memory. */
static Point *crossing_points(const Pair *pairs, Py_ssize_t count, double tolerance, Py_ssize_t *found) {
    Point *points = PyMem_Calloc(count ? count : 1, sizeof(Point));
    if (points == NULL) return (Point *)PyErr_NoMemory();
    Py_ssize_t n = 0;
    for (Py_ssize_t i = 0; i < count;) {
        Py_ssize_t end = i + 1;
        double down = pairs[i].v_bottom, right = pairs[i].h_x1;
        while (end < count && pairs[end].x == pairs[i].x && pairs[end].y == pairs[i].y) {
            if (pairs[end].v_bottom > down) down = pairs[end].v_bottom; /* max(): the same value */
            if (pairs[end].h_x1 > right) right = pairs[end].h_x1;
            end++;
        }
        points[n++] = (Point){pairs[i].x, pairs[i].y, i, end - i, down + tolerance, right + tolerance, 0, 0, 0, 0};
        i = end;
    }
    for (Py_ssize_t i = 0; i < n;) { /* columns: runs of equal x */
        Py_ssize_t end = i + 1;
        while (end < n && points[end].x == points[i].x) end++;
        for (Py_ssize_t k = i; k < end; k++) {
            points[k].column_end = end;
            points[k].column_at = k;
        }
        i = end;
    }
    *found = n;
    return points;
}

/* Each crossing's row (runs of equal y in by_rows, the crossings sorted by (y, x)). */
static void crossing_rows(Point *points, Py_ssize_t n, Py_ssize_t *by_rows) {
    for (Py_ssize_t i = 0; i < n; i++) by_rows[i] = i;
    points_sorted = points;
    qsort(by_rows, (size_t)n, sizeof(Py_ssize_t), point_by_row);
    for (Py_ssize_t i = 0; i < n;) {
        Py_ssize_t end = i + 1;
        while (end < n && points[by_rows[end]].y == points[by_rows[i]].y) end++;
        for (Py_ssize_t k = i; k < end; k++) {
            points[by_rows[k]].row_end = end;
            points[by_rows[k]].row_at = k;
        }
        i = end;
    }
}

/* smallest_cells' search: the cells as a list, Py_None past max_steps, NULL on an error. */
static PyObject *search_cells(const Pair *pairs, const Point *points, Py_ssize_t n, const Py_ssize_t *by_rows, Py_ssize_t max_steps) {
    PyObject *cells = PyList_New(0);
    if (cells == NULL) return NULL;
    Py_ssize_t steps = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        const Point *c = &points[i];
        Py_ssize_t found_right = -1, found_below = -1;
        for (Py_ssize_t below = c->column_at + 1; below < c->column_end && found_right < 0; below++) {
            const Point *b = &points[below];
            if (b->y > c->down_to) break;
            if (!share(pairs, c, b, 1)) continue;
            for (Py_ssize_t right_at = c->row_at + 1; right_at < c->row_end; right_at++) {
                const Point *r = &points[by_rows[right_at]];
                if (++steps > max_steps) { /* Python's loop raises the error */
                    Py_DECREF(cells);
                    Py_RETURN_NONE;
                }
                if (r->x > c->right_to) break;
                if (!share(pairs, c, r, 0)) continue;
                Py_ssize_t corner = point_at(points, n, r->x, b->y);
                if (corner >= 0 && share(pairs, &points[corner], r, 1) && share(pairs, &points[corner], b, 0)) {
                    found_right = by_rows[right_at];
                    found_below = below;
                    break;
                }
            }
        }
        if (found_right >= 0) {
            PyObject *cell = Py_BuildValue("(dddd)", c->x, c->y, points[found_right].x, points[found_below].y);
            if (cell == NULL || PyList_Append(cells, cell) < 0) {
                Py_XDECREF(cell);
                Py_DECREF(cells);
                return NULL;
            }
            Py_DECREF(cell);
        }
    }
    return cells;
}

/* Number the rulings' boxes: equal boxes (all four positions equal) one number. */
static int number_boxes(Ruling *rulings, Py_ssize_t n) {
    Ruling **order = PyMem_Malloc((n ? n : 1) * sizeof(Ruling *));
    if (order == NULL) {
        PyErr_NoMemory();
        return 0;
    }
    for (Py_ssize_t i = 0; i < n; i++) order[i] = &rulings[i];
    qsort(order, (size_t)n, sizeof(Ruling *), by_box);
    Py_ssize_t number = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i && by_box(&order[i - 1], &order[i]) != 0) number++;
        order[i]->number = number;
    }
    PyMem_Free(order);
    return 1;
}

/* ruling_cells(edges, x_tolerance, y_tolerance, tolerance, max_steps) -> list of cells, or None. */
PyObject *layout_ruling_cells(PyObject *self, PyObject *args) {
    PyObject *edges;
    double x_tolerance, y_tolerance, tolerance;
    Py_ssize_t max_steps;
    if (!PyArg_ParseTuple(args, "O!dddn", &PyList_Type, &edges, &x_tolerance, &y_tolerance, &tolerance, &max_steps)) return NULL;
    static PyObject *names[5] = {NULL}, *v_text = NULL, *h_text = NULL;
    if (h_text == NULL) {
        const char *spelt[5] = {"x0", "top", "x1", "bottom", "orientation"};
        for (int k = 0; k < 5; k++)
            if (names[k] == NULL && (names[k] = PyUnicode_InternFromString(spelt[k])) == NULL) return NULL;
        if (v_text == NULL && (v_text = PyUnicode_InternFromString("v")) == NULL) return NULL;
        if ((h_text = PyUnicode_InternFromString("h")) == NULL) return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(edges), pair_count = 0, point_count = 0;
    Ruling *rulings = PyMem_Malloc((n ? n : 1) * sizeof(Ruling));
    Pair *pairs = NULL;
    Point *points = NULL;
    Py_ssize_t *by_rows = NULL;
    PyObject *cells = NULL;
    if (rulings == NULL) return PyErr_NoMemory();
    int readable = 1;
    for (Py_ssize_t i = 0; readable && i < n; i++) {
        Ruling *r = &rulings[i];
        readable = read_ruling(PyList_GET_ITEM(edges, i), names, v_text, h_text, r)
                   && !(r->orientation == 'v' && negative_zero(r->x0)) && !(r->orientation == 'h' && negative_zero(r->top));
        if (PyList_GET_SIZE(edges) != n) readable = 0; /* changed under us */
    }
    if (!readable) {
        if (PyErr_Occurred()) goto done;
        cells = Py_None;
        Py_INCREF(cells);
        goto done;
    }
    if (!number_boxes(rulings, n)) goto done;
    if ((pairs = crossing_pairs(rulings, n, x_tolerance, y_tolerance, &pair_count)) == NULL) goto done;
    if ((points = crossing_points(pairs, pair_count, tolerance, &point_count)) == NULL) goto done;
    if ((by_rows = PyMem_Malloc((point_count ? point_count : 1) * sizeof(Py_ssize_t))) == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    crossing_rows(points, point_count, by_rows);
    cells = search_cells(pairs, points, point_count, by_rows, max_steps);
done:
    PyMem_Free(rulings);
    PyMem_Free(pairs);
    PyMem_Free(points);
    PyMem_Free(by_rows);
    return cells;
}

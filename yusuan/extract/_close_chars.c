/* Which characters of a page could be duplicates, in C: part of the extension
 * yusuan.extract._layout_loops (its method table is in _layout_loops.c).
 *
 * close_char_runs: close_chars.runs_with_close_chars, run on every page before its
 * characters are de-duplicated. The page's doctops sorted (ties in page order, as Python's
 * stable sort), cut into runs where a doctop is more than the tolerance after the one
 * before (``b > a + tolerance``); a run of two or more whose sorted x0s have two neighbours
 * within the tolerance (``b <= tolerance + a``) holds suspects; their indices, ascending.
 *
 * Only what it can prove the same: a list of exact dicts whose doctop and x0 are exact
 * floats of magnitude below 1e300 (finite, and no sum of them can overflow, so the Python
 * function's finiteness test of their sums would pass), a tolerance that is a float or an
 * int a double holds exactly. For anything else it returns None before building anything,
 * and the caller runs the Python code. No Python code runs while the characters are read
 * (exact dicts, str keys). FMA contraction is off (setup.py). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>

#include "_layout_loops.h"
#include "_layout_sort.h"

typedef struct {
    double key;
    Py_ssize_t index;
} Ranked;

/* The sorts inline (_layout_sort.h) where glibc's qsort called a comparison through a pointer
 * and moved every element with a memcpy: the same orders, every key here finite (read_position),
 * the page's order by doctop ending in the unique index, equal x0s indistinguishable (the
 * run's test reads their values only: -0.0 and 0.0 give the same sums), the indices unique. */
LAYOUT_STABLE_SORT(sort_by_key_then_index, Ranked, a->key < b->key || (a->key == b->key && a->index < b->index))
LAYOUT_STABLE_SORT(sort_values, double, *a < *b)
LAYOUT_STABLE_SORT(sort_indices, Py_ssize_t, *a < *b)

/* A character's doctop and x0, exact floats well within the doubles' range: 1, else 0. */
static int read_position(PyObject *char_dict, PyObject *doctop_name, PyObject *x0_name, double *doctop, double *x0) {
    if (!layout_readable(char_dict)) return 0;
    if (!layout_float(char_dict, doctop_name, doctop) || !layout_float(char_dict, x0_name, x0)) return 0;
    return fabs(*doctop) < 1e300 && fabs(*x0) < 1e300; /* false for NaN and infinities too */
}

/* close_chars.near on the run's x0s, sorted here: two neighbours within the tolerance. */
static int run_is_near(const Ranked *run, Py_ssize_t count, const double *lefts, double *scratch, double tolerance) {
    for (Py_ssize_t k = 0; k < count; k++) scratch[k] = lefts[run[k].index];
    sort_values(scratch, count);
    for (Py_ssize_t k = 1; k < count; k++)
        if (scratch[k] <= tolerance + scratch[k - 1]) return 1;
    return 0;
}

/* close_char_runs(chars, tolerance) -> list of indices, or None (see above). */
PyObject *layout_close_char_runs(PyObject *self, PyObject *args) {
    PyObject *chars, *tolerance_value;
    double tolerance;
    if (!PyArg_ParseTuple(args, "O!O", &PyList_Type, &chars, &tolerance_value)) return NULL;
    static PyObject *doctop_name = NULL, *x0_name = NULL;
    if (doctop_name == NULL && (doctop_name = PyUnicode_InternFromString("doctop")) == NULL) return NULL;
    if (x0_name == NULL && (x0_name = PyUnicode_InternFromString("x0")) == NULL) return NULL;
    if (!layout_exact_number(tolerance_value, &tolerance)) Py_RETURN_NONE;
    Py_ssize_t n = PyList_GET_SIZE(chars), suspects = 0;
    Ranked *order = PyMem_Malloc((n ? n : 1) * sizeof(Ranked));
    double *lefts = PyMem_Malloc((n ? n : 1) * sizeof(double)), *scratch = PyMem_Malloc((n ? n : 1) * sizeof(double));
    Py_ssize_t *found = PyMem_Malloc((n ? n : 1) * sizeof(Py_ssize_t));
    PyObject *result = NULL;
    if (order == NULL || lefts == NULL || scratch == NULL || found == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!read_position(PyList_GET_ITEM(chars, i), doctop_name, x0_name, &order[i].key, &lefts[i])) {
            if (!PyErr_Occurred()) {
                result = Py_None;
                Py_INCREF(result);
            }
            goto done;
        }
        order[i].index = i;
    }
    sort_by_key_then_index(order, n);
    Py_ssize_t start = 0;
    for (Py_ssize_t end = 1; end <= n; end++) {
        /* a run ends where the next doctop is more than the tolerance after this one */
        if (end < n && !(order[end].key > order[end - 1].key + tolerance)) continue;
        if (end - start > 1 && run_is_near(&order[start], end - start, lefts, scratch, tolerance)) {
            for (Py_ssize_t k = start; k < end; k++) found[suspects++] = order[k].index;
        }
        start = end;
    }
    sort_indices(found, suspects);
    if ((result = PyList_New(suspects)) == NULL) goto done;
    for (Py_ssize_t k = 0; k < suspects; k++) {
        PyObject *index = PyLong_FromSsize_t(found[k]);
        if (index == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, k, index);
    }
done:
    PyMem_Free(order);
    PyMem_Free(lefts);
    PyMem_Free(scratch);
    PyMem_Free(found);
    return result;
}

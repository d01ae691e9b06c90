/* Loops of the layout functions in C (yusuan/extract/layout_native.py loads this module).
 *
 * split_line: the word splitting of a line of characters (plumber_equivalents._split_line).
 * pdfplumber's default word extraction runs over every character of every page (the text
 * lines) and again over the characters of every table cell; in Python each character costs a
 * tuple of five dict lookups, a method call and a few comparisons. This loop does the same
 * comparisons on the same doubles (Python floats are C doubles; ``a + 3`` rounds the same, a
 * NaN compares false the same way) and builds the same lists and tuples, holding the
 * characters' own ``top`` objects.
 *
 * char_centres: the middles and centres of a page's characters and their order by middle
 * (pdf.CharCentres), the same sums and halvings, sorted by (middle, index): for finite
 * middles the order of Python's stable sort.
 *
 * Each handles only what it can prove equal: characters that are exact dicts whose positions
 * are exact floats (and whose text is a str; centres all finite). For anything else it returns
 * None before building anything, and the caller runs the Python code (which raises the same
 * errors pdfplumber's would). FMA contraction is off (setup.py).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>

#define WORD_X_TOLERANCE 3.0 /* pdfplumber.utils.text.DEFAULT_X_TOLERANCE */
#define WORD_Y_TOLERANCE 3.0 /* pdfplumber.utils.text.DEFAULT_Y_TOLERANCE */

typedef struct {
    double along, end, across, top;
    PyObject *object;     /* borrowed: the character (its list holds it) */
    PyObject *top_object; /* borrowed: the dict holds it while the line's list holds the dict */
    int kind;             /* 0: a letter, 1: whitespace (str.isspace), 2: the empty text */
} Facts;

/* str.isspace(): at least one code point, all of them whitespace (Py_UNICODE_ISSPACE, the
 * test str.isspace runs). */
static int is_space(PyObject *text) {
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    if (length == 0) return 0;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < length; i++) {
        if (!Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) return 0;
    }
    return 1;
}

/* A character's facts, or 0 when it is not what this loop handles. */
static int read_facts(PyObject *char_dict, PyObject *keys[5], Facts *facts) {
    if (!PyDict_CheckExact(char_dict)) return 0;
    double values[4];
    for (int k = 0; k < 4; k++) {
        PyObject *value = PyDict_GetItemWithError(char_dict, keys[k]);
        if (value == NULL || !PyFloat_CheckExact(value)) return 0;
        values[k] = PyFloat_AS_DOUBLE(value);
        if (k == 3) facts->top_object = value;
    }
    PyObject *text = PyDict_GetItemWithError(char_dict, keys[4]);
    if (text == NULL || !PyUnicode_CheckExact(text)) return 0;
    facts->object = char_dict;
    facts->along = values[0];
    facts->end = values[1];
    facts->across = values[2];
    facts->top = values[3];
    facts->kind = PyUnicode_GET_LENGTH(text) == 0 ? 2 : (is_space(text) ? 1 : 0);
    return 1;
}

/* Append (top, word) to words; steals the reference to word. */
static int add_word(PyObject *words, PyObject *top, PyObject *word) {
    PyObject *pair = PyTuple_New(2);
    if (pair == NULL) {
        Py_DECREF(word);
        return -1;
    }
    Py_INCREF(top);
    PyTuple_SET_ITEM(pair, 0, top);
    PyTuple_SET_ITEM(pair, 1, word);
    int failed = PyList_Append(words, pair);
    Py_DECREF(pair);
    return failed;
}

/* Cut one line's characters (facts in reading order) into words appended to words as
 * (top, [chars]): plumber_equivalents._split_line's loop. -1 on a Python error. */
static int split_facts(PyObject *words, Facts **line, Py_ssize_t count) {
    PyObject *current = NULL; /* the current word's characters (NULL: none yet) */
    PyObject *top = NULL;     /* borrowed: the smallest top of the current word */
    double top_value = 0.0, last_along = 0.0, last_end = 0.0, last_across = 0.0;
    for (Py_ssize_t i = 0; i < count; i++) {
        Facts *f = line[i];
        PyObject *char_dict = f->object;
        if (f->kind == 1) { /* a space ends the word */
            if (current != NULL) {
                PyObject *word = current;
                current = NULL;
                if (add_word(words, top, word) < 0) return -1;
            }
        } else if (f->kind == 2) { /* an empty character: a word of its own */
            if (current != NULL) {
                PyObject *word = current;
                current = NULL;
                if (add_word(words, top, word) < 0) return -1;
            }
            PyObject *alone = PyList_New(1);
            if (alone == NULL) return -1;
            Py_INCREF(char_dict);
            PyList_SET_ITEM(alone, 0, char_dict);
            if (add_word(words, f->top_object, alone) < 0) return -1;
        } else if (current != NULL && (f->along < last_along || f->along > last_end + WORD_X_TOLERANCE || fabs(f->across - last_across) > WORD_Y_TOLERANCE)) {
            PyObject *word = current;
            current = NULL;
            if (add_word(words, top, word) < 0) return -1;
            current = PyList_New(1);
            if (current == NULL) return -1;
            Py_INCREF(char_dict);
            PyList_SET_ITEM(current, 0, char_dict);
            top = f->top_object;
            top_value = f->top;
        } else if (current != NULL) {
            if (PyList_Append(current, char_dict) < 0) {
                Py_DECREF(current);
                return -1;
            }
            if (f->top < top_value) {
                top = f->top_object;
                top_value = f->top;
            }
        } else {
            current = PyList_New(1);
            if (current == NULL) return -1;
            Py_INCREF(char_dict);
            PyList_SET_ITEM(current, 0, char_dict);
            top = f->top_object;
            top_value = f->top;
        }
        last_along = f->along;
        last_end = f->end;
        last_across = f->across;
    }
    if (current != NULL && add_word(words, top, current) < 0) return -1;
    return 0;
}

/* Each character's facts into all[], pointers in line[]: 1, or 0 when one is not what these
 * loops read (with a Python error set only for a failed lookup). */
static int read_all(PyObject *chars, PyObject *keys[5], Facts *all, Facts **line) {
    Py_ssize_t count = PyList_GET_SIZE(chars);
    for (Py_ssize_t i = 0; i < count; i++) { /* every character checked before anything is built */
        if (!read_facts(PyList_GET_ITEM(chars, i), keys, &all[i])) return 0;
        line[i] = &all[i];
    }
    return 1;
}

/* split_line(ordered, keys) -> list of (top, [chars]) or None.
 * ordered: a list of the line's characters in reading order; keys: the names of the position
 * along the line, its end, the position across it, the top, and the text. */
static PyObject *split_line(PyObject *self, PyObject *args) {
    PyObject *ordered, *key_tuple;
    if (!PyArg_ParseTuple(args, "OO!", &ordered, &PyTuple_Type, &key_tuple)) return NULL;
    if (!PyList_CheckExact(ordered)) Py_RETURN_NONE; /* another sequence: the Python loop */
    if (PyTuple_GET_SIZE(key_tuple) != 5) {
        PyErr_SetString(PyExc_ValueError, "keys: five names (along, end, across, top, text)");
        return NULL;
    }
    PyObject *keys[5];
    for (int k = 0; k < 5; k++) keys[k] = PyTuple_GET_ITEM(key_tuple, k);
    Py_ssize_t count = PyList_GET_SIZE(ordered);
    Facts *all = PyMem_Malloc((count ? count : 1) * sizeof(Facts));
    Facts **line = PyMem_Malloc((count ? count : 1) * sizeof(Facts *));
    PyObject *words = NULL;
    if (all == NULL || line == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (!read_all(ordered, keys, all, line)) {
        if (!PyErr_Occurred()) {
            words = Py_None;
            Py_INCREF(words);
        }
        goto done;
    }
    words = PyList_New(0);
    if (words != NULL && split_facts(words, line, count) < 0) Py_CLEAR(words);
done:
    PyMem_Free(all);
    PyMem_Free(line);
    return words;
}

/* Lines of upright characters: by cluster number, then x0, then page order. */
typedef struct {
    Py_ssize_t cluster;
    double x0;
    Py_ssize_t index;
    Facts *facts;
} Placed;

static int by_line_then_x0(const void *a, const void *b) {
    const Placed *x = a, *y = b;
    if (x->cluster != y->cluster) return x->cluster < y->cluster ? -1 : 1;
    if (x->x0 < y->x0) return -1;
    if (x->x0 > y->x0) return 1;
    return (x->index > y->index) - (x->index < y->index);
}

static int by_top_then_index(const void *a, const void *b) {
    const Placed *x = a, *y = b;
    if (x->facts->top < y->facts->top) return -1;
    if (x->facts->top > y->facts->top) return 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* upright_words(chars) -> list of (top, [chars]) or None.
 * plumber_equivalents._words for characters that are all upright (``upright`` is True): the
 * tops clustered (sorted distinct values chained while each is within 3 of the one before),
 * each cluster's characters sorted by x0 (stably: ties in page order) and cut into words;
 * the clusters in the order of their values. None when a character is not upright, not an
 * exact dict of float positions and a str text, or a top or x0 is not finite (no order to
 * sort by): then the Python code runs. */
static PyObject *upright_words(PyObject *self, PyObject *args) {
    PyObject *chars;
    if (!PyArg_ParseTuple(args, "O", &chars)) return NULL;
    if (!PyList_CheckExact(chars)) Py_RETURN_NONE;
    static PyObject *keys[5] = {NULL, NULL, NULL, NULL, NULL};
    static PyObject *upright_key = NULL;
    if (upright_key == NULL) {
        const char *spelt[5] = {"x0", "x1", "top", "top", "text"};
        for (int k = 0; k < 5; k++) {
            keys[k] = PyUnicode_InternFromString(spelt[k]);
            if (keys[k] == NULL) return NULL;
        }
        upright_key = PyUnicode_InternFromString("upright");
        if (upright_key == NULL) return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(chars);
    Facts *all = PyMem_Malloc((count ? count : 1) * sizeof(Facts));
    Facts **line = PyMem_Malloc((count ? count : 1) * sizeof(Facts *));
    Placed *placed = PyMem_Malloc((count ? count : 1) * sizeof(Placed));
    PyObject *words = NULL;
    if (all == NULL || line == NULL || placed == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    int readable = read_all(chars, keys, all, line);
    for (Py_ssize_t i = 0; readable && i < count; i++) {
        PyObject *upright = PyDict_GetItemWithError(all[i].object, upright_key);
        if (upright != Py_True || !isfinite(all[i].top) || !isfinite(all[i].along)) readable = 0;
        placed[i].x0 = all[i].along;
        placed[i].index = i;
        placed[i].facts = &all[i];
    }
    if (!readable) {
        if (!PyErr_Occurred()) {
            words = Py_None;
            Py_INCREF(words);
        }
        goto done;
    }
    /* cluster numbers: the tops sorted, a new cluster where one is more than 3 past the last */
    qsort(placed, (size_t)count, sizeof(Placed), by_top_then_index);
    Py_ssize_t cluster = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (i && !(placed[i].facts->top <= placed[i - 1].facts->top + WORD_Y_TOLERANCE)) cluster++;
        placed[i].cluster = cluster;
    }
    qsort(placed, (size_t)count, sizeof(Placed), by_line_then_x0);
    words = PyList_New(0);
    if (words == NULL) goto done;
    Py_ssize_t start = 0;
    for (Py_ssize_t i = 0; i <= count; i++) {
        if (i == count || (i > start && placed[i].cluster != placed[start].cluster)) {
            for (Py_ssize_t j = start; j < i; j++) line[j - start] = placed[j].facts;
            if (split_facts(words, line, i - start) < 0) {
                Py_CLEAR(words);
                goto done;
            }
            start = i;
        }
    }
done:
    PyMem_Free(all);
    PyMem_Free(line);
    PyMem_Free(placed);
    return words;
}

/* A float value of a dict by key, or 0 when the dict lacks it or it is not an exact float. */
static int float_of(PyObject *dict, PyObject *key, double *value) {
    PyObject *found = PyDict_GetItemWithError(dict, key);
    if (found == NULL || !PyFloat_CheckExact(found)) return 0;
    *value = PyFloat_AS_DOUBLE(found);
    return 1;
}

typedef struct {
    double key;
    Py_ssize_t index;
} Keyed;

/* By key, ties by index: for finite keys the order of Python's stable sort by key. */
static int by_key_then_index(const void *a, const void *b) {
    const Keyed *x = a, *y = b;
    if (x->key < y->key) return -1;
    if (x->key > y->key) return 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* char_centres(chars) -> (middles, centres, order, keys) or None.
 * middles: (top + bottom) / 2 of each character, centres: (x0 + x1) / 2, order: the indices
 * sorted by middle (ties in page order), keys: the middles in that order. None when a
 * character is not an exact dict of float positions or a middle or centre is not finite
 * (then the Python code sorts as it does for NaN). */
static PyObject *char_centres(PyObject *self, PyObject *args) {
    PyObject *chars;
    if (!PyArg_ParseTuple(args, "O", &chars)) return NULL;
    if (!PyList_CheckExact(chars)) Py_RETURN_NONE;
    static PyObject *names[4] = {NULL, NULL, NULL, NULL};
    if (names[0] == NULL) {
        const char *spelt[4] = {"top", "bottom", "x0", "x1"};
        for (int k = 0; k < 4; k++) {
            names[k] = PyUnicode_InternFromString(spelt[k]);
            if (names[k] == NULL) return NULL;
        }
    }
    Py_ssize_t count = PyList_GET_SIZE(chars);
    Keyed *keyed = PyMem_Malloc((count ? count : 1) * sizeof(Keyed));
    double *across = PyMem_Malloc((count ? count : 1) * sizeof(double));
    if (keyed == NULL || across == NULL) {
        PyMem_Free(keyed);
        PyMem_Free(across);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *char_dict = PyList_GET_ITEM(chars, i);
        double top, bottom, x0, x1;
        if (!PyDict_CheckExact(char_dict) || !float_of(char_dict, names[0], &top) || !float_of(char_dict, names[1], &bottom)
            || !float_of(char_dict, names[2], &x0) || !float_of(char_dict, names[3], &x1)) {
            PyMem_Free(keyed);
            PyMem_Free(across);
            if (PyErr_Occurred()) return NULL;
            Py_RETURN_NONE;
        }
        keyed[i].key = (top + bottom) / 2.0;
        keyed[i].index = i;
        across[i] = (x0 + x1) / 2.0;
        if (!isfinite(keyed[i].key) || !isfinite(across[i])) {
            PyMem_Free(keyed);
            PyMem_Free(across);
            Py_RETURN_NONE;
        }
    }
    PyObject *middles = PyList_New(count), *centres = PyList_New(count), *order = PyList_New(count), *keys = PyList_New(count);
    if (middles == NULL || centres == NULL || order == NULL || keys == NULL) goto failed;
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *middle = PyFloat_FromDouble(keyed[i].key), *centre = PyFloat_FromDouble(across[i]);
        if (middle == NULL || centre == NULL) {
            Py_XDECREF(middle);
            Py_XDECREF(centre);
            goto failed;
        }
        PyList_SET_ITEM(middles, i, middle);
        PyList_SET_ITEM(centres, i, centre);
    }
    qsort(keyed, (size_t)count, sizeof(Keyed), by_key_then_index);
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *index = PyLong_FromSsize_t(keyed[i].index);
        if (index == NULL) goto failed;
        PyList_SET_ITEM(order, i, index);
        PyObject *middle = PyList_GET_ITEM(middles, keyed[i].index); /* the same float object, as middles[i] gives */
        Py_INCREF(middle);
        PyList_SET_ITEM(keys, i, middle);
    }
    PyMem_Free(keyed);
    PyMem_Free(across);
    return Py_BuildValue("(NNNN)", middles, centres, order, keys);
failed:
    Py_XDECREF(middles);
    Py_XDECREF(centres);
    Py_XDECREF(order);
    Py_XDECREF(keys);
    PyMem_Free(keyed);
    PyMem_Free(across);
    return NULL;
}

static PyMethodDef methods[] = {
    {"upright_words", upright_words, METH_VARARGS, "plumber_equivalents._words for upright characters: a list of (top, characters), or None for input the Python code must read."},
    {"char_centres", char_centres, METH_VARARGS, "The characters' middles and centres, the indices sorted by middle, and the sorted middles; or None for input the Python code must read."},
    {"split_line", split_line, METH_VARARGS, "A line's characters cut into words: a list of (top, characters), or None for input the Python loop must read."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_layout_loops", "Loops of the layout functions (plumber_equivalents, pdf) in C.", -1, methods};

PyMODINIT_FUNC PyInit__layout_loops(void) { return PyModule_Create(&module); }

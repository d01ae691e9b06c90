/* The word splitting of a line of characters (plumber_equivalents._split_line_python) in C.
 *
 * pdfplumber's default word extraction runs over every character of every page (the text
 * lines) and again over the characters of every table cell; in Python each character costs a
 * tuple of five dict lookups, a method call and a few comparisons. This loop does the same
 * comparisons on the same doubles (Python floats are C doubles; ``a + 3`` rounds the same, a
 * NaN compares false the same way) and builds the same lists and tuples, holding the
 * characters' own ``top`` objects. It handles only what it can prove equal: characters that
 * are exact dicts whose four positions are exact floats and whose text is a str. For anything
 * else it returns None before building anything, and the caller runs the Python loop (which
 * raises the same errors pdfplumber's would). FMA contraction is off (setup.py), though the
 * loop has no multiply.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>

#define WORD_X_TOLERANCE 3.0 /* pdfplumber.utils.text.DEFAULT_X_TOLERANCE */
#define WORD_Y_TOLERANCE 3.0 /* pdfplumber.utils.text.DEFAULT_Y_TOLERANCE */

typedef struct {
    double along, end, across, top;
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
    if (all == NULL) return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < count; i++) { /* every character checked before anything is built */
        if (!read_facts(PyList_GET_ITEM(ordered, i), keys, &all[i])) {
            PyMem_Free(all);
            if (PyErr_Occurred()) return NULL;
            Py_RETURN_NONE;
        }
    }
    PyObject *words = PyList_New(0);
    PyObject *current = NULL; /* the current word's characters (NULL: none yet) */
    PyObject *top = NULL;     /* borrowed: the smallest top of the current word */
    double top_value = 0.0, last_along = 0.0, last_end = 0.0, last_across = 0.0;
    if (words == NULL) goto failed;
    for (Py_ssize_t i = 0; i < count; i++) {
        Facts *f = &all[i];
        PyObject *char_dict = PyList_GET_ITEM(ordered, i);
        if (f->kind == 1) { /* a space ends the word */
            if (current != NULL) {
                if (add_word(words, top, current) < 0) { current = NULL; goto failed; }
                current = NULL;
            }
        } else if (f->kind == 2) { /* an empty character: a word of its own */
            if (current != NULL) {
                if (add_word(words, top, current) < 0) { current = NULL; goto failed; }
                current = NULL;
            }
            PyObject *alone = PyList_New(1);
            if (alone == NULL) goto failed;
            Py_INCREF(char_dict);
            PyList_SET_ITEM(alone, 0, char_dict);
            if (add_word(words, f->top_object, alone) < 0) goto failed;
        } else if (current != NULL && (f->along < last_along || f->along > last_end + WORD_X_TOLERANCE || fabs(f->across - last_across) > WORD_Y_TOLERANCE)) {
            if (add_word(words, top, current) < 0) { current = NULL; goto failed; }
            current = PyList_New(1);
            if (current == NULL) goto failed;
            Py_INCREF(char_dict);
            PyList_SET_ITEM(current, 0, char_dict);
            top = f->top_object;
            top_value = f->top;
        } else if (current != NULL) {
            if (PyList_Append(current, char_dict) < 0) goto failed;
            if (f->top < top_value) {
                top = f->top_object;
                top_value = f->top;
            }
        } else {
            current = PyList_New(1);
            if (current == NULL) goto failed;
            Py_INCREF(char_dict);
            PyList_SET_ITEM(current, 0, char_dict);
            top = f->top_object;
            top_value = f->top;
        }
        last_along = f->along;
        last_end = f->end;
        last_across = f->across;
    }
    if (current != NULL) {
        if (add_word(words, top, current) < 0) { current = NULL; goto failed; }
    }
    PyMem_Free(all);
    return words;
failed:
    Py_XDECREF(current);
    Py_XDECREF(words);
    PyMem_Free(all);
    return NULL;
}

static PyMethodDef methods[] = {
    {"split_line", split_line, METH_VARARGS, "A line's characters cut into words: a list of (top, characters), or None for input the Python loop must read."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_layout_words", "plumber_equivalents._split_line in C.", -1, methods};

PyMODINIT_FUNC PyInit__layout_words(void) { return PyModule_Create(&module); }

/* Functions of the extension yusuan.extract._layout_loops defined outside _layout_loops.c
 * (setup.py compiles these files into the one module; its method table is in _layout_loops.c). */
#ifndef YUSUAN_LAYOUT_LOOPS_H
#define YUSUAN_LAYOUT_LOOPS_H

#include <Python.h>

#include "_char_object.h"

/* The PDFium reader's Char type (_char_object.h), once pdfium_native registered it
 * (register_char_type), and its field names interned; NULL before: dicts only. */
extern PyTypeObject *layout_char_type;
extern PyObject *layout_char_names[CH_FIELDS];

/* A reader's Char. */
static inline int layout_is_char(PyObject *object) {
    return layout_char_type != NULL && Py_TYPE(object) == layout_char_type;
}

/* A character (or other object) these loops read: an exact dict, or a reader's Char. */
static inline int layout_readable(PyObject *object) {
    return PyDict_CheckExact(object) || layout_is_char(object);
}

/* The place of ``key`` among a Char's fields (char_field_of), remembered by the key's address
 * for the field names themselves (interned, held by layout_char_names for the life of the
 * process, so no other object can ever have their address): the loops ask for the same few
 * names for every character, and the search compared up to sixteen names each time. A key
 * that is not one of those objects is searched as before and not remembered. */
static inline int layout_char_field(PyObject *key) {
    enum { SLOTS = 64 };
    static PyObject *seen[SLOTS]; /* per file that includes this header; the GIL is held */
    static int place[SLOTS];
    size_t slot = ((uintptr_t)key >> 4) & (SLOTS - 1);
    if (seen[slot] == key) return place[slot];
    int k = char_field_of(layout_char_names, key);
    if (k >= 0 && layout_char_names[k] == key) {
        seen[slot] = key;
        place[slot] = k;
    }
    return k;
}

/* PyDict_GetItemWithError for what layout_readable accepts: a borrowed value, or NULL when the
 * key is missing (with an error set only where the dict's lookup raised). A Char's value by
 * its place, with no hashing. */
static inline PyObject *layout_item(PyObject *object, PyObject *key) {
    if (PyDict_CheckExact(object)) return PyDict_GetItemWithError(object, key);
    int k = layout_char_field(key);
    return k >= 0 ? char_number_value((CharObject *)object, k) : NULL;
}

/* An exact float value of what layout_readable accepts, as a double: 1 with its value, else 0
 * (the key missing, the value not an exact float, or an error set). A Char's x0, x1 or width
 * read from its double where no float was made for it (char_double): no object made. */
static inline int layout_float(PyObject *object, PyObject *key, double *value) {
    if (!PyDict_CheckExact(object)) {
        int k = layout_char_field(key);
        if (k >= 0 && char_double((CharObject *)object, k, value)) return 1;
    }
    PyObject *found = layout_item(object, key);
    if (found == NULL || !PyFloat_CheckExact(found)) return 0;
    *value = PyFloat_AS_DOUBLE(found);
    return 1;
}

/* plumber_equivalents.cells_to_tables (_layout_tables.c) */
PyObject *layout_cells_to_tables(PyObject *self, PyObject *args);

/* pdf.find_tables' crossings and cells from the rulings (_layout_cells.c) */
PyObject *layout_ruling_cells(PyObject *self, PyObject *args);

/* close_chars.runs_with_close_chars (_close_chars.c) */
PyObject *layout_close_char_runs(PyObject *self, PyObject *args);

/* plumber_equivalents.extract_text of upright float characters, or None (_layout_loops.c's
 * cell_text; ``ligatures`` an exact dict, ``letters`` a str) */
PyObject *layout_cell_text(PyObject *chars, PyObject *ligatures, PyObject *letters);

/* pdf.extract_table's text of every cell (_layout_table_text.c) */
PyObject *layout_table_text(PyObject *self, PyObject *args);

/* pdf.table_to_grid: a table's rows of texts and covered marks, and its columns (_layout_table_text.c) */
PyObject *layout_table_grid(PyObject *self, PyObject *args);

/* pdf.page_grids: table_grid of every table of a page, its centres computed once (_layout_table_text.c) */
PyObject *layout_page_grids(PyObject *self, PyObject *args);

/* A float, or an int a double holds exactly (|n| <= 2**53, as Python compares and adds it):
 * 1 with its value, else 0 (_layout_tables.c). */
int layout_exact_number(PyObject *value, double *out);

#endif

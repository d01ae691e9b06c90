/* A character of the PDFium reader as a C object (issue 14): the layout both extensions read.
 *
 * _pdfium_chars.c makes each character it reads an instance of ``Char`` (defined there): its
 * sixteen values in a fixed array, in the order of PdfiumPage._char's dict, where a dict per
 * character cost a copy of a 16-key table, 16 insertions and a table freed again. A Char
 * behaves as that dict does where the project reads one (a read-only mapping, with the
 * changes the reader itself makes); the layout loops (_layout_loops.h) read its array
 * directly after a type check. Any other object (a dict from the Python reader or pdfminer)
 * is read as before.
 */
#ifndef YUSUAN_CHAR_OBJECT_H
#define YUSUAN_CHAR_OBJECT_H

#include <Python.h>

/* the values' places, in PdfiumPage._char's key order */
enum {
    CH_OBJECT_TYPE, CH_TEXT, CH_FONTNAME, CH_SIZE, CH_UPRIGHT, CH_MATRIX, CH_X0, CH_Y0,
    CH_X1, CH_Y1, CH_WIDTH, CH_HEIGHT, CH_TOP, CH_BOTTOM, CH_DOCTOP, CH_PAGE_NUMBER,
    CH_FIELDS
};

static const char *const char_field_names[CH_FIELDS] = {
    "object_type", "text", "fontname", "size", "upright", "matrix", "x0", "y0", "x1", "y1",
    "width", "height", "top", "bottom", "doctop", "page_number",
};

/* A character: every value set (owned), but for the matrix, which is made from ``matrix``
 * when first read (values[CH_MATRIX] NULL until then: the reader itself never reads it). */
typedef struct {
    PyObject_HEAD
    PyObject *values[CH_FIELDS];
    double matrix[6];
} CharObject;

/* The place of ``key`` among ``names`` (interned, the field names in order): by identity
 * first (the callers' keys are interned too), then by value; -1 for any other key. */
static inline int char_field_of(PyObject *const names[CH_FIELDS], PyObject *key)
{
    for (int k = 0; k < CH_FIELDS; k++) {
        if (names[k] == key)
            return k;
    }
    if (!PyUnicode_Check(key))
        return -1;
    for (int k = 0; k < CH_FIELDS; k++) {
        if (PyUnicode_Compare(names[k], key) == 0)
            return k;
    }
    return -1;
}

#endif

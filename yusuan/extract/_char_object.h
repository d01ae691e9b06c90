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
 * when first read (values[CH_MATRIX] NULL until then: the reader itself never reads it), and
 * for x0, x1 and width, held as doubles in ``numbers`` (values[k] NULL) until their float is
 * first asked for (char_number_value): most of a page's characters begin or end no word, and
 * their x0 and x1 were floats made, read once through a pointer and freed (issue 14, stop 33).
 * ``numbers`` holds top and bottom too (their floats made with the Char, shared with its
 * neighbours'): the layout loops read the four sides as doubles next to the type they check
 * (char_double), not through four pointers. */
typedef struct {
    PyObject_HEAD
    unsigned int valid; /* bit s: numbers[s] is the field's value (char_number_slot) */
    double numbers[5];  /* x0, x1, width, top, bottom */
    PyObject *values[CH_FIELDS];
    double matrix[6];
} CharObject;

/* every bit of ``valid``: what the reader's Chars are made with */
enum { CHAR_NUMBERS_VALID = 0x1f };

/* The place in ``numbers`` of the field at place k, or -1 for a field held as an object only.
 * Places 0-2 (x0, x1, width) have their floats made when read; 3-4 (top, bottom) with the Char. */
static inline int char_number_slot(int k)
{
    switch (k) {
    case CH_X0: return 0;
    case CH_X1: return 1;
    case CH_WIDTH: return 2;
    case CH_TOP: return 3;
    case CH_BOTTOM: return 4;
    default: return -1;
    }
}

/* The value at place k as a double without reading its float object: 1 where ``numbers`` holds
 * it (set by the reader, not changed since), else 0 (read values[k]). */
static inline int char_double(const CharObject *c, int k, double *out)
{
    int s = char_number_slot(k);
    if (s < 0 || !(c->valid & (1u << s)))
        return 0;
    *out = c->numbers[s];
    return 1;
}

/* A change of the value at place k: its double no longer read (the new value is in values[k]). */
static inline void char_number_changed(CharObject *c, int k)
{
    int s = char_number_slot(k);
    if (s >= 0)
        c->valid &= ~(1u << s);
}

/* values[k], the float of x0, x1 or width made from its double (and kept) on first reading:
 * borrowed, NULL with an error where it cannot be made. Another field's value as it is (the
 * matrix NULL until _pdfium_chars.c's char_value makes it). */
static inline PyObject *char_number_value(CharObject *c, int k)
{
    if (c->values[k] == NULL) {
        int s = char_number_slot(k);
        if (s >= 0 && s < 3)
            c->values[k] = PyFloat_FromDouble(c->numbers[s]);
    }
    return c->values[k];
}

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

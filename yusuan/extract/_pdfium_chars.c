/* The PDFium reader's per-character loop in C (issue 14; yusuan/extract/pdfium_native.py).
 *
 * PdfiumPage._read_chars asks PDFium five or six things per character through ctypes and
 * builds a dict per character in Python: a sixth of the whole path's CPU time. This module
 * runs that loop for one text page in C and builds, as a Char (a C object read as a dict,
 * _char_object.h; the dict itself under set_char_objects(False)), the very dict PdfiumPage._char builds
 * for the common character (embedded font, upright, advance known) and for a glyph of an
 * embedded font turned in user space; every other character is handed back to Python (the
 * ``uncommon`` callback), so the rules stay in one place.
 *
 * The page-object walk (PdfiumPage._walk: ``walk``) and pdf.fix_glyph_boxes's loop are here
 * too, on the same terms: the usual case in C, the rest handed back to the Python code.
 *
 * Not linked against libpdfium: pypdfium2 loads its own library, and the addresses of the
 * functions used here are passed once to ``init`` and the others (pdfium_native.py takes them from
 * pypdfium2's bindings). The signatures are PDFium's public ones (fpdf_text.h); on Linux
 * there is no calling-convention macro.
 *
 * Same bits as the Python loop: the arithmetic is PdfiumPage._char's, operation by
 * operation, on doubles; the build turns FMA contraction off (setup.py). ``round4`` is
 * Python's round(x, 4), proved equal in tests/unit/test_pdfium_native.py.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "_char_object.h"

typedef struct {
    float a, b, c, d, e, f;
} FS_MATRIX;

typedef void *FPDF_TEXTPAGE;
typedef unsigned int (*get_unicode_t)(FPDF_TEXTPAGE, int);
typedef int (*is_generated_t)(FPDF_TEXTPAGE, int);
typedef void *(*get_text_object_t)(FPDF_TEXTPAGE, int);
typedef int (*get_matrix_t)(FPDF_TEXTPAGE, int, FS_MATRIX *);
typedef int (*get_char_origin_t)(FPDF_TEXTPAGE, int, double *, double *);
typedef double (*get_font_size_t)(FPDF_TEXTPAGE, int);

static get_unicode_t get_unicode;
static is_generated_t is_generated;
static get_text_object_t get_text_object;
static get_matrix_t get_matrix;
static get_char_origin_t get_char_origin;
static get_font_size_t get_font_size;
/* a text object's font and a font's glyph width (fpdf_edit.h) */
typedef void *(*text_object_font_t)(void *);
typedef int (*glyph_width_t)(void *, uint32_t, float, float *);
static text_object_font_t text_object_font;
/* a character's loose box (fpdf_text.h; FS_RECTF's fields in fpdfview.h's order) */
typedef struct {
    float left, top, right, bottom;
} FS_RECTF;
typedef int (*get_loose_box_t)(FPDF_TEXTPAGE, int, FS_RECTF *);
static get_loose_box_t get_loose_box;
static glyph_width_t font_glyph_width;

/* path objects (fpdf_edit.h): FPDF_PAGEOBJECT and FPDF_PATHSEGMENT are pointers */
typedef int (*count_segments_t)(void *);
typedef void *(*get_segment_t)(void *, int);
typedef int (*segment_point_t)(void *, float *, float *);
typedef int (*segment_int_t)(void *);
static count_segments_t count_segments;
static get_segment_t get_segment;
static segment_point_t segment_point;
static segment_int_t segment_type, segment_close;
enum { SEGMENT_LINETO = 0, SEGMENT_BEZIERTO = 1, SEGMENT_MOVETO = 2 };

/* the keys of a character dict, in PdfiumPage._char's order (interned once) */
enum {
    K_OBJECT_TYPE, K_TEXT, K_FONTNAME, K_SIZE, K_UPRIGHT, K_MATRIX, K_X0, K_Y0, K_X1, K_Y1,
    K_WIDTH, K_HEIGHT, K_TOP, K_BOTTOM, K_DOCTOP, K_PAGE_NUMBER, K_PTS, N_KEYS
};
static const char *key_names[N_KEYS] = {
    "object_type", "text", "fontname", "size", "upright", "matrix", "x0", "y0", "x1", "y1",
    "width", "height", "top", "bottom", "doctop", "page_number", "pts",
};
static PyObject *keys[N_KEYS];
static PyObject *char_type; /* "char" */

/* A character's and a path's dict with every key in its place and None for each value: a
 * dict is made as a copy of one (PyDict_Copy copies the whole table at once) and its values
 * set, where one made empty grew its table twice on the way to 16 keys (a sixth of the time
 * a character's dict took). The keys, their order and the values are the same. */
static PyObject *char_template, *path_template;

static PyObject *template_of(const int *members, int count)
{
    PyObject *dict = PyDict_New();
    for (int i = 0; dict != NULL && i < count; i++) {
        if (PyDict_SetItem(dict, keys[members[i]], Py_None) < 0)
            Py_CLEAR(dict);
    }
    return dict;
}

static int make_templates(void)
{
    static const int char_keys[] = {
        K_OBJECT_TYPE, K_TEXT, K_FONTNAME, K_SIZE, K_UPRIGHT, K_MATRIX, K_X0, K_Y0, K_X1, K_Y1,
        K_WIDTH, K_HEIGHT, K_TOP, K_BOTTOM, K_DOCTOP, K_PAGE_NUMBER,
    };
    static const int path_keys[] = {
        K_OBJECT_TYPE, K_X0, K_Y0, K_X1, K_Y1, K_WIDTH, K_HEIGHT, K_TOP, K_BOTTOM, K_DOCTOP,
        K_PAGE_NUMBER, K_PTS,
    };
    if (char_template == NULL && (char_template = template_of(char_keys, 16)) == NULL)
        return -1;
    if (path_template == NULL && (path_template = template_of(path_keys, 12)) == NULL)
        return -1;
    return 0;
}

/* Python's round(x, 4), without a decimal string in the common case.
 *
 * round(x, 4) is the double nearest to the decimal n / 10**4, n being x * 10**4 rounded to
 * the nearest integer, ties to even, from the exact binary value (CPython: _Py_dg_dtoa mode 3
 * then _Py_dg_strtod). x * 10**4 is hi + lo exactly (fma gives the error of the product).
 * Where the fraction of hi is not within 1e-3 of one half, |lo| (at most half an ulp of hi,
 * under 2**-13 for |hi| < 2**40) cannot move n from rint(hi); n and 10**4 are exact doubles,
 * and IEEE division rounds n / 10**4 correctly, as strtod rounds the decimal string: the
 * same double. Anything else (near a tie, large, not finite) takes CPython's own path. */
static int round4(double x, double *out)
{
    double hi = x * 10000.0;
    if (isfinite(hi) && fabs(hi) < 1099511627776.0) { /* 2**40 */
        double lo = fma(x, 10000.0, -hi);
        double n = nearbyint(hi);
        double fraction = fabs(hi - n); /* exact: hi and n are within a factor two, or n is 0 */
        if (fabs(fraction - 0.5) > 1e-3 && fabs(lo) < 0.0001220703125) { /* 2**-13 */
            *out = n / 10000.0;
            return 0;
        }
    }
    PyObject *value = PyFloat_FromDouble(x);
    if (value == NULL)
        return -1;
    PyObject *rounded = PyObject_CallMethod(value, "__round__", "i", 4);
    Py_DECREF(value);
    if (rounded == NULL)
        return -1;
    *out = PyFloat_AsDouble(rounded);
    Py_DECREF(rounded);
    return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

static PyObject *py_round4(PyObject *self, PyObject *arg)
{
    double x = PyFloat_AsDouble(arg), out;
    if (x == -1.0 && PyErr_Occurred())
        return NULL;
    if (round4(x, &out) < 0)
        return NULL;
    return PyFloat_FromDouble(out);
}

static PyObject *py_init(PyObject *self, PyObject *args)
{
    unsigned long long addresses[9];
    if (!PyArg_ParseTuple(args, "KKKKKKKKK", &addresses[0], &addresses[1], &addresses[2],
                          &addresses[3], &addresses[4], &addresses[5], &addresses[6],
                          &addresses[7], &addresses[8]))
        return NULL;
    for (int i = 0; i < 9; i++) {
        if (!addresses[i]) {
            PyErr_SetString(PyExc_ValueError, "a PDFium function address is NULL");
            return NULL;
        }
    }
    get_unicode = (get_unicode_t)(uintptr_t)addresses[0];
    is_generated = (is_generated_t)(uintptr_t)addresses[1];
    get_text_object = (get_text_object_t)(uintptr_t)addresses[2];
    get_matrix = (get_matrix_t)(uintptr_t)addresses[3];
    get_char_origin = (get_char_origin_t)(uintptr_t)addresses[4];
    get_font_size = (get_font_size_t)(uintptr_t)addresses[5];
    text_object_font = (text_object_font_t)(uintptr_t)addresses[6];
    font_glyph_width = (glyph_width_t)(uintptr_t)addresses[7];
    get_loose_box = (get_loose_box_t)(uintptr_t)addresses[8];
    Py_RETURN_NONE;
}

static PyObject *py_init_paths(PyObject *self, PyObject *args)
{
    unsigned long long addresses[5];
    if (!PyArg_ParseTuple(args, "KKKKK", &addresses[0], &addresses[1], &addresses[2],
                          &addresses[3], &addresses[4]))
        return NULL;
    for (int i = 0; i < 5; i++) {
        if (!addresses[i]) {
            PyErr_SetString(PyExc_ValueError, "a PDFium function address is NULL");
            return NULL;
        }
    }
    count_segments = (count_segments_t)(uintptr_t)addresses[0];
    get_segment = (get_segment_t)(uintptr_t)addresses[1];
    segment_point = (segment_point_t)(uintptr_t)addresses[2];
    segment_type = (segment_int_t)(uintptr_t)addresses[3];
    segment_close = (segment_int_t)(uintptr_t)addresses[4];
    Py_RETURN_NONE;
}

/* The geometry a page gives every character dict (PdfiumPage._char's self and ctm), and
 * whether its glyph boxes are rebuilt from the baseline where the font's descent puts the
 * glyph below it (``fix_boxes``: pdf.fix_glyph_boxes made as the character is, ``ascent``
 * being pdf.ASCENT). */
typedef struct {
    double a1, b1, c1, d1, e1, f1;
    double mb_x0, mb_top, height, doctop;
    PyObject *page_number;
    int fix_boxes;
    double ascent;
} Page;

/* ``ascent``, a float or None, into the page: None leaves the boxes as PDFium's geometry
 * gives them (pdf.fix_glyph_boxes does the rest later). */
static int ascent_of(PyObject *ascent, Page *page)
{
    page->fix_boxes = ascent != NULL && ascent != Py_None;
    page->ascent = page->fix_boxes ? PyFloat_AsDouble(ascent) : 0.0;
    return (page->fix_boxes && page->ascent == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

/* One record of the trace (PdfiumPage's Traced), packed; flags: 1 a space, 2 an advance
 * whose loose box was not asked (PdfiumPage._advances_differ). pdfium_native.py unpacks it
 * with the format "<QddddddddiI". */
#pragma pack(push, 1)
typedef struct {
    uint64_t address;
    double x, y, advance, a, b, c, d, size;
    int32_t index;
    uint32_t flags;
} Record;
#pragma pack(pop)

static int set_float(PyObject *dict, int key, double value)
{
    PyObject *number = PyFloat_FromDouble(value);
    if (number == NULL)
        return -1;
    int failed = PyDict_SetItem(dict, keys[key], number);
    Py_DECREF(number);
    return failed;
}

/* The values of the last character built, by place in its dict (the matrix's six, then its
 * floats), each with its float object: a character on the line of the one before has most of
 * them equal (its matrix's a..d and f, its size, y0, y1, top, bottom and doctop), and its dict
 * is given the same float object again instead of a new one. Floats cannot change, so the
 * values read are the same, with fewer objects to make and free. Equal means the same bits
 * (0.0 and -0.0 are not shared; a NaN only with the same NaN). */
enum {
    S_M0, S_M1, S_M2, S_M3, S_M4, S_M5, S_SIZE, S_X0, S_Y0, S_X1, S_Y1, S_WIDTH, S_TOP, S_BOTTOM,
    S_DOCTOP, N_SLOTS
};
static struct {
    uint64_t bits;
    PyObject *value; /* owned; NULL before the first character */
} recent[N_SLOTS];

/* A float of this value: the last one made for this place when its bits are the same, else a
 * new one, kept for the next character. New reference, NULL on error. */
static PyObject *shared_float(int slot, double value)
{
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    if (recent[slot].value != NULL && recent[slot].bits == bits) {
        Py_INCREF(recent[slot].value);
        return recent[slot].value;
    }
    PyObject *number = PyFloat_FromDouble(value);
    if (number == NULL)
        return NULL;
    Py_INCREF(number);
    Py_XSETREF(recent[slot].value, number);
    recent[slot].bits = bits;
    return number;
}


/* The one-character strings of codes past Latin-1 (CPython keeps those below 256 once), by
 * code modulo the table's size: a page of Chinese text repeats a few hundred characters, and
 * each is made once instead of once a character. Strings cannot change either. */
enum { TEXT_SLOTS = 4096 };
static struct {
    Py_UCS4 code;
    PyObject *text; /* owned; NULL while the slot is empty */
} texts[TEXT_SLOTS];

/* The one-character string of ``code``. New reference, NULL on error. */
static PyObject *char_text(Py_UCS4 code)
{
    if (code < 256)
        return PyUnicode_FromOrdinal((int)code);
    size_t slot = code % TEXT_SLOTS;
    if (texts[slot].text != NULL && texts[slot].code == code) {
        Py_INCREF(texts[slot].text);
        return texts[slot].text;
    }
    PyObject *text = PyUnicode_FromOrdinal((int)code);
    if (text == NULL)
        return NULL;
    Py_INCREF(text);
    Py_XSETREF(texts[slot].text, text);
    texts[slot].code = code;
    return text;
}

/* ---- Char: a character as a C object (_char_object.h) ---- */

static PyTypeObject CharType;

/* A new Char with every value NULL (filled by the caller before anyone sees it). */
static CharObject *new_char(void)
{
    CharObject *made = PyObject_New(CharObject, &CharType);
    if (made != NULL) {
        memset(made->values, 0, sizeof made->values);
        made->valid = 0;
    }
    return made;
}

/* The value at place k, borrowed; the matrix made as the reader's tuple on first reading,
 * x0, x1 and width as floats of their doubles (char_number_value). */
static PyObject *char_value(CharObject *self, int k)
{
    if (self->values[k] == NULL && k == CH_MATRIX) {
        PyObject *matrix = Py_BuildValue("(dddddd)", self->matrix[0], self->matrix[1], self->matrix[2],
                                         self->matrix[3], self->matrix[4], self->matrix[5]);
        if (matrix == NULL)
            return NULL;
        PyObject_GC_UnTrack(matrix); /* floats only: as the reader's */
        self->values[k] = matrix;
    }
    return char_number_value(self, k);
}

static void char_dealloc(CharObject *self)
{
    for (int k = 0; k < CH_FIELDS; k++)
        Py_XDECREF(self->values[k]);
    PyObject_Free(self);
}

/* The character as the dict PdfiumPage._char makes: the same keys in the same order. */
static PyObject *char_as_dict(CharObject *self)
{
    PyObject *dict = PyDict_Copy(char_template);
    for (int k = 0; dict != NULL && k < CH_FIELDS; k++) {
        PyObject *value = char_value(self, k);
        if (value == NULL || PyDict_SetItem(dict, keys[k], value) < 0)
            Py_CLEAR(dict);
    }
    return dict;
}

static Py_ssize_t char_length(PyObject *self)
{
    return CH_FIELDS;
}

static PyObject *char_subscript(CharObject *self, PyObject *key)
{
    int k = char_field_of(keys, key);
    if (k < 0) {
        if (!PyErr_Occurred())
            PyErr_SetObject(PyExc_KeyError, key);
        return NULL;
    }
    return Py_XNewRef(char_value(self, k));
}

/* A value a character may hold: one that can be in no reference cycle (the type is not
 * tracked by the collector), a str, float, int, bool or None, or a tuple of those. */
static int atomic_value(PyObject *value)
{
    if (PyUnicode_CheckExact(value) || PyFloat_CheckExact(value) || PyLong_CheckExact(value) ||
        PyBool_Check(value) || value == Py_None)
        return 1;
    if (!PyTuple_CheckExact(value))
        return 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(value); i++) {
        PyObject *item = PyTuple_GET_ITEM(value, i);
        if (!(PyUnicode_CheckExact(item) || PyFloat_CheckExact(item) || PyLong_CheckExact(item) ||
              PyBool_Check(item) || item == Py_None))
            return 0;
    }
    return 1;
}

/* char[key] = value for one of its sixteen keys (the reader renames fonts, pdf.fix_glyph_boxes
 * moves boxes); a new key or a deletion is refused, as is a value that could hold a cycle. */
static int char_ass_subscript(CharObject *self, PyObject *key, PyObject *value)
{
    int k = char_field_of(keys, key);
    if (k < 0 || value == NULL) {
        if (!PyErr_Occurred())
            PyErr_Format(PyExc_TypeError, "a PDFium character keeps its sixteen keys (%R)", key);
        return -1;
    }
    if (!atomic_value(value)) {
        PyErr_Format(PyExc_TypeError, "a PDFium character holds str, numbers, None or tuples of those, not %.100s",
                     Py_TYPE(value)->tp_name);
        return -1;
    }
    Py_INCREF(value);
    Py_XSETREF(self->values[k], value);
    char_number_changed(self, k);
    return 0;
}

static int char_contains(CharObject *self, PyObject *key)
{
    int k = char_field_of(keys, key);
    return k >= 0 ? 1 : (PyErr_Occurred() ? -1 : 0);
}

static PyObject *key_tuple; /* the sixteen keys, for iteration */

static PyObject *char_iter(CharObject *self)
{
    return PyObject_GetIter(key_tuple);
}

static PyObject *char_get(CharObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1 || nargs > 2) {
        PyErr_SetString(PyExc_TypeError, "get expected 1 or 2 arguments");
        return NULL;
    }
    int k = char_field_of(keys, args[0]);
    if (k < 0 && PyErr_Occurred())
        return NULL;
    PyObject *found = k >= 0 ? char_value(self, k) : (nargs == 2 ? args[1] : Py_None);
    return Py_XNewRef(found);
}

/* keys(), values(), items() and copy(): a dict's, of the dict the character stands for. */
static PyObject *char_view(CharObject *self, const char *method)
{
    PyObject *dict = char_as_dict(self);
    if (dict == NULL)
        return NULL;
    PyObject *view = method == NULL ? dict : PyObject_CallMethod(dict, method, NULL);
    if (method != NULL)
        Py_DECREF(dict);
    return view;
}

static PyObject *char_keys(CharObject *self, PyObject *unused) { return char_view(self, "keys"); }
static PyObject *char_values(CharObject *self, PyObject *unused) { return char_view(self, "values"); }
static PyObject *char_items(CharObject *self, PyObject *unused) { return char_view(self, "items"); }
static PyObject *char_copy(CharObject *self, PyObject *unused) { return char_view(self, NULL); }

/* update(other=(), **values), as a dict's, for the sixteen keys only (char_ass_subscript). */
static PyObject *char_update(CharObject *self, PyObject *args, PyObject *kwargs)
{
    PyObject *other = NULL;
    if (!PyArg_UnpackTuple(args, "update", 0, 1, &other))
        return NULL;
    PyObject *merged = PyDict_New();
    if (merged == NULL)
        return NULL;
    if ((other != NULL && PyDict_Update(merged, other) < 0) || (kwargs != NULL && PyDict_Update(merged, kwargs) < 0)) {
        Py_DECREF(merged);
        return NULL;
    }
    Py_ssize_t position = 0;
    PyObject *key, *value;
    while (PyDict_Next(merged, &position, &key, &value)) {
        if (char_ass_subscript(self, key, value) < 0) {
            Py_DECREF(merged);
            return NULL;
        }
    }
    Py_DECREF(merged);
    Py_RETURN_NONE;
}

/* Pickled and copied as the plain dict: a cache or another process sees what it saw before. */
static PyObject *char_reduce(CharObject *self, PyObject *unused)
{
    PyObject *dict = char_as_dict(self);
    if (dict == NULL)
        return NULL;
    PyObject *reduced = Py_BuildValue("(O(O))", (PyObject *)&PyDict_Type, dict);
    Py_DECREF(dict);
    return reduced;
}

static PyObject *char_richcompare(PyObject *self, PyObject *other, int op)
{
    if ((op != Py_EQ && op != Py_NE) || !(PyDict_Check(other) || Py_TYPE(other) == &CharType))
        Py_RETURN_NOTIMPLEMENTED;
    PyObject *mine = char_as_dict((CharObject *)self);
    PyObject *theirs = Py_TYPE(other) == &CharType ? char_as_dict((CharObject *)other) : Py_NewRef(other);
    PyObject *result = mine != NULL && theirs != NULL ? PyObject_RichCompare(mine, theirs, op) : NULL;
    Py_XDECREF(mine);
    Py_XDECREF(theirs);
    return result;
}

static PyObject *char_repr(CharObject *self)
{
    PyObject *dict = char_as_dict(self);
    if (dict == NULL)
        return NULL;
    PyObject *text = PyObject_Repr(dict);
    Py_DECREF(dict);
    return text;
}

/* Char(mapping): a character of the sixteen keys' values (for the tests: the reader makes its
 * own in C). */
static PyObject *char_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    PyObject *mapping;
    if (!PyArg_ParseTuple(args, "O:Char", &mapping))
        return NULL;
    CharObject *made = new_char();
    if (made == NULL)
        return NULL;
    for (int k = 0; k < CH_FIELDS; k++) {
        PyObject *value = PyObject_GetItem(mapping, keys[k]);
        if (value == NULL || !atomic_value(value)) {
            if (value != NULL)
                PyErr_Format(PyExc_TypeError, "a PDFium character holds no %.100s", Py_TYPE(value)->tp_name);
            Py_XDECREF(value);
            Py_DECREF(made);
            return NULL;
        }
        made->values[k] = value;
    }
    return (PyObject *)made;
}

static PyMethodDef char_methods[] = {
    {"get", (PyCFunction)(void (*)(void))char_get, METH_FASTCALL, "The value of a key, or the default (None)."},
    {"keys", (PyCFunction)char_keys, METH_NOARGS, "The keys, as the dict's."},
    {"values", (PyCFunction)char_values, METH_NOARGS, "The values, as the dict's."},
    {"items", (PyCFunction)char_items, METH_NOARGS, "The items, as the dict's."},
    {"copy", (PyCFunction)char_copy, METH_NOARGS, "The plain dict of the character."},
    {"update", (PyCFunction)(void (*)(void))char_update, METH_VARARGS | METH_KEYWORDS, "New values for some of the sixteen keys."},
    {"__reduce__", (PyCFunction)char_reduce, METH_NOARGS, "Pickled as the plain dict."},
    {NULL, NULL, 0, NULL},
};

static PyMappingMethods char_as_mapping = {
    char_length, (binaryfunc)char_subscript, (objobjargproc)char_ass_subscript,
};

static PySequenceMethods char_as_sequence = {
    .sq_contains = (objobjproc)char_contains,
};

static PyTypeObject CharType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "yusuan.extract._pdfium_chars.Char",
    .tp_doc = "A PDFium character: the sixteen values of PdfiumPage._char's dict, read as that dict.",
    .tp_basicsize = sizeof(CharObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_MAPPING,
    .tp_new = char_new,
    .tp_dealloc = (destructor)char_dealloc,
    .tp_repr = (reprfunc)char_repr,
    .tp_as_mapping = &char_as_mapping,
    .tp_as_sequence = &char_as_sequence,
    .tp_hash = PyObject_HashNotImplemented,
    .tp_richcompare = char_richcompare,
    .tp_iter = (getiterfunc)char_iter,
    .tp_methods = char_methods,
};

/* Whether the loop makes Chars (1, the reader) or the dicts they stand for (0: set_char_objects,
 * for the tests and for timing the two in one process). */
static int char_objects = 1;

/* Whether a Char holds its x0, x1 and width as doubles, their floats made when first read (1,
 * the reader), or as floats made with it (0: set_lazy_numbers, for the tests and for timing
 * the two in one process). */
static int lazy_numbers = 1;

/* A Char of the sixteen values (owned references, taken; all released on an error; x0, x1 and
 * width NULL where ``lazy_numbers``), of the matrix's six numbers (its values[CH_MATRIX] NULL:
 * made when read) and of x0, x1, width, top and bottom as doubles (``numbers``, read by the
 * layout loops where ``lazy_numbers``). */
static PyObject *char_of(PyObject *values[CH_FIELDS], const double matrix[6], const double numbers[5])
{
    CharObject *made = new_char();
    if (made == NULL) {
        for (int k = 0; k < CH_FIELDS; k++)
            Py_XDECREF(values[k]);
        return NULL;
    }
    memcpy(made->values, values, sizeof made->values);
    memcpy(made->matrix, matrix, sizeof made->matrix);
    memcpy(made->numbers, numbers, sizeof made->numbers);
    made->valid = lazy_numbers ? CHAR_NUMBERS_VALID : 0;
    return (PyObject *)made;
}

/* The dict of the sixteen values (owned references, released): PdfiumPage._char's. */
static PyObject *dict_of(PyObject *values[CH_FIELDS])
{
    PyObject *dict = PyDict_Copy(char_template);
    for (int k = 0; dict != NULL && k < CH_FIELDS; k++) {
        if (PyDict_SetItem(dict, keys[k], values[k]) < 0)
            Py_CLEAR(dict);
    }
    for (int k = 0; k < CH_FIELDS; k++)
        Py_XDECREF(values[k]);
    return dict;
}

static PyObject *py_set_char_objects(PyObject *self, PyObject *flag)
{
    int on = PyObject_IsTrue(flag);
    if (on < 0)
        return NULL;
    char_objects = on;
    Py_RETURN_NONE;
}

static PyObject *py_set_lazy_numbers(PyObject *self, PyObject *flag)
{
    int on = PyObject_IsTrue(flag);
    if (on < 0)
        return NULL;
    lazy_numbers = on;
    Py_RETURN_NONE;
}

static PyObject *placed_char(const Page *p, Py_UCS4 code, PyObject *fontname, double a, double b,
                              double c, double d, double x, double y, double left, double bottom,
                              double right, double top);

/* PdfiumPage._char for an upright character (b == c == 0, a and d not 0) with an advance:
 * the same operations in the same order. */
static PyObject *upright_char(const Page *p, Py_UCS4 code, PyObject *fontname, double a,
                              double b, double c, double d, double x, double y, double size,
                              double descent, double advance)
{
    double base = y + descent * d, end = base + size * d;
    double bottom = end < base ? end : base, top = end < base ? base : end;
    end = x + advance * a;
    double left = end < x ? end : x, right = end < x ? x : end;
    return placed_char(p, code, fontname, a, b, c, d, x, y, left, bottom, right, top);
}

/* PdfiumPage._char for a turned character (b or c not 0) of an embedded font: PDFium's loose
 * box (left, bottom, right, top), its sides along the baseline replaced by the descent and
 * size where the glyph is turned a quarter (a and d 0), as glyph_box does; the advance plays
 * no part. */
static PyObject *turned_char(const Page *p, Py_UCS4 code, PyObject *fontname, double a,
                             double b, double c, double d, double x, double y, double size,
                             double descent, double left, double bottom, double right, double top)
{
    if (a == 0 && d == 0 && c != 0) {
        double base = x + descent * c, end = base + size * c;
        left = end < base ? end : base;
        right = end < base ? base : end;
    }
    return placed_char(p, code, fontname, a, b, c, d, x, y, left, bottom, right, top);
}

/* The rest of PdfiumPage._char, from the glyph's box in user space: its matrix, the box in
 * display space on pdfminer's grid, and the dict. */
static PyObject *placed_char(const Page *p, Py_UCS4 code, PyObject *fontname, double a, double b,
                              double c, double d, double x, double y, double left, double bottom,
                              double right, double top)
{
    /* b and c may be zero, passed as given: -0.0 and 0.0 give products of other signs */
    double m[6];
    m[0] = a * p->a1 + b * p->c1;
    m[1] = a * p->b1 + b * p->d1;
    m[2] = c * p->a1 + d * p->c1;
    m[3] = c * p->b1 + d * p->d1;
    m[4] = x * p->a1 + y * p->c1 + p->e1;
    m[5] = x * p->b1 + y * p->d1 + p->f1;
    double x0, x1, y0, y1;
    if (round4(p->a1 * left + p->c1 * bottom + p->e1, &x0) < 0 ||
        round4(p->a1 * right + p->c1 * top + p->e1, &x1) < 0 ||
        round4(p->b1 * left + p->d1 * bottom + p->f1, &y0) < 0 ||
        round4(p->b1 * right + p->d1 * top + p->f1, &y1) < 0)
        return NULL;
    if (x1 < x0) {
        double t = x0; x0 = x1; x1 = t;
    }
    if (y1 < y0) {
        double t = y0; y0 = y1; y1 = t;
    }
    double char_top = (p->height - y1) + p->mb_top, char_bottom = (p->height - y0) + p->mb_top;
    int upright = m[0] * m[3] > 0 && m[1] * m[2] <= 0;
    /* the box's height before any rebuilding (the dict's size and height keep it, as
     * pdf.fix_glyph_boxes leaves them) */
    double size = y1 - y0;
    /* pdf._fix_glyph_boxes for this character, its tests (in its order: a matrix value
     * that is NaN counts as not zero and not <= 0 there) and operations */
    if (p->fix_boxes && upright && !(m[1] != 0.0 || m[2] != 0.0 || m[0] <= 0 || m[3] <= 0)) {
        double baseline = p->height - m[5] + p->mb_top;
        if (char_top > baseline - 0.5 * size) {
            char_top = baseline - p->ascent * size;
            char_bottom = baseline + (1 - p->ascent) * size;
            y0 = p->height - char_bottom + p->mb_top;
            y1 = p->height - char_top + p->mb_top;
        }
    }

    PyObject *v[CH_FIELDS] = {NULL}; /* the values, owned, in the dict's order */
    if (!char_objects) { /* a Char makes its matrix when it is read */
        PyObject *matrix = PyTuple_New(6);
        if (matrix == NULL)
            return NULL;
        v[CH_MATRIX] = matrix;
        for (int i = 0; i < 6; i++) {
            PyObject *number = shared_float(S_M0 + i, m[i]);
            if (number == NULL)
                goto fail;
            PyTuple_SET_ITEM(matrix, i, number);
        }
        /* a tuple of floats holds no reference cycle: untracked now, as the collector
         * untracks it at its first look, so the dict holding it (and nothing else that can
         * be in a cycle) stays untracked too, and no collection walks the page's characters */
        PyObject_GC_UnTrack(matrix);
    }
    v[CH_OBJECT_TYPE] = Py_NewRef(char_type);
    v[CH_FONTNAME] = Py_NewRef(fontname);
    v[CH_UPRIGHT] = Py_NewRef(upright ? Py_True : Py_False);
    v[CH_PAGE_NUMBER] = Py_NewRef(p->page_number);
    /* x0, x1 and width: a Char's doubles (their floats made when read), else floats now */
    const double numbers[5] = {x0 + p->mb_x0, x1 + p->mb_x0, x1 - x0, char_top, char_bottom};
    int eager = !(char_objects && lazy_numbers);
    if (eager && ((v[CH_X0] = shared_float(S_X0, numbers[0])) == NULL ||
                  (v[CH_X1] = shared_float(S_X1, numbers[1])) == NULL ||
                  (v[CH_WIDTH] = shared_float(S_WIDTH, numbers[2])) == NULL))
        goto fail;
    if ((v[CH_TEXT] = char_text(code)) == NULL || (v[CH_SIZE] = shared_float(S_SIZE, size)) == NULL ||
        (v[CH_Y0] = shared_float(S_Y0, y0)) == NULL || (v[CH_Y1] = shared_float(S_Y1, y1)) == NULL ||
        (v[CH_HEIGHT] = shared_float(S_SIZE, size)) == NULL || /* the size's value: its float */
        (v[CH_TOP] = shared_float(S_TOP, char_top)) == NULL ||
        (v[CH_BOTTOM] = shared_float(S_BOTTOM, char_bottom)) == NULL ||
        (v[CH_DOCTOP] = shared_float(S_DOCTOP, p->doctop + char_top)) == NULL)
        goto fail;
    return char_objects ? char_of(v, m, numbers) : dict_of(v);
fail:
    for (int k = 0; k < CH_FIELDS; k++)
        Py_XDECREF(v[k]);
    return NULL;
}

/* PdfiumPage._glyph_width: the cached width of a font's code at a size, else PDFium's
 * (pdfium.glyph_width: FPDFFont_GetGlyphWidth at the size as a C float; None where it fails
 * or is not positive), stored in the cache. New reference, NULL on error. */
static PyObject *glyph_width(PyObject *widths, PyObject *key, PyObject *font_key, unsigned int code, double size)
{
    PyObject *known = PyDict_GetItemWithError(widths, key);
    if (known != NULL) {
        Py_INCREF(known);
        return known;
    }
    if (PyErr_Occurred())
        return NULL;
    void *font = PyLong_AsVoidPtr(font_key);
    if (font == NULL && PyErr_Occurred())
        return NULL;
    float width = 0.0f;
    PyObject *value;
    if (font == NULL || !font_glyph_width(font, (uint32_t)code, (float)size, &width) || width <= 0) {
        value = Py_None;
        Py_INCREF(value);
    } else if ((value = PyFloat_FromDouble((double)width)) == NULL) {
        return NULL;
    }
    if (PyDict_SetItem(widths, key, value) < 0) {
        Py_DECREF(value);
        return NULL;
    }
    return value;
}

static int double_of(PyObject *value, double *out)
{
    *out = PyFloat_AsDouble(value);
    return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

static int append_record(char **buffer, Py_ssize_t *used, Py_ssize_t *size, const Record *record)
{
    if (*used + (Py_ssize_t)sizeof(Record) > *size) {
        Py_ssize_t grown = *size ? *size * 2 : 64 * (Py_ssize_t)sizeof(Record);
        char *bigger = PyMem_Realloc(*buffer, (size_t)grown);
        if (bigger == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        *buffer = bigger;
        *size = grown;
    }
    memcpy(*buffer + *used, record, sizeof(Record));
    *used += (Py_ssize_t)sizeof(Record);
    return 0;
}

/* the characters PDFium's text page may generate (pdfium.py's GENERATED_CODES) */
static int may_be_generated(unsigned int code)
{
    return code == 0x20 || code == 0x0D || code == 0x0A || code == 0x02 || code == 0xFFFE;
}

/* What the loop knows from the characters before (``Memo``): consecutive characters are
 * mostly of one text object, one font and one size, and a page repeats its codes. The
 * answers of the page's caches for them are kept here, so a character of the same object,
 * font and size asks none of those dicts again (no address int, key tuples or size float
 * made for it). Every answer kept is one a cache gave and never changes: the caches are only
 * filled on a miss, and after any call into Python (a miss's method, ``uncommon``) everything
 * is forgotten and asked of the caches again. */
enum { WIDTH_SLOTS = 256 };
typedef struct {
    /* the text object of the last character: its address, key, facts and list of characters */
    uint64_t address;
    PyObject *address_key, *known; /* owned; NULL: asked again */
    int embedded;
    /* the font of the last text object that missed the objects cache, and its facts from
     * font_facts (a Chinese page draws each character in its own object, of one font) */
    void *font;
    PyObject *font_known; /* owned; NULL: asked again */
    /* the last size asked (its bits) and its float */
    uint64_t size_bits;
    PyObject *size_value; /* owned; NULL: none yet */
    /* the name and descent of a font key at a size (the bits of it) */
    PyObject *font_key, *named; /* owned; NULL: asked again */
    uint64_t named_size_bits;
    /* glyph widths of that font key and size, by code modulo WIDTH_SLOTS: valid only when
     * made in the current generation (a new font or size, or a forgetting, starts one) */
    uint64_t generation;
    struct {
        uint64_t generation;
        unsigned int code;
        PyObject *advance; /* owned: a float or None; NULL: empty */
    } widths[WIDTH_SLOTS];
} Memo;

/* Everything the caches answered is asked again from the next character on. */
static void memo_forget(Memo *memo)
{
    Py_CLEAR(memo->address_key);
    Py_CLEAR(memo->known);
    Py_CLEAR(memo->font_known);
    Py_CLEAR(memo->font_key);
    Py_CLEAR(memo->named);
    memo->generation++;
}

static void memo_free(Memo *memo)
{
    memo_forget(memo);
    Py_CLEAR(memo->size_value);
    for (int i = 0; i < WIDTH_SLOTS; i++)
        Py_CLEAR(memo->widths[i].advance);
}

/* The size's float: the last one when the bits are the same. Borrowed from the memo. */
static PyObject *memo_size(Memo *memo, double size)
{
    uint64_t bits;
    memcpy(&bits, &size, sizeof bits);
    if (memo->size_value == NULL || memo->size_bits != bits) {
        PyObject *value = PyFloat_FromDouble(size);
        if (value == NULL)
            return NULL;
        Py_XSETREF(memo->size_value, value);
        memo->size_bits = bits;
    }
    return memo->size_value;
}

/* The facts of the text object at ``address`` (objects' entry, else PdfiumPage._object_facts
 * by its font: font_facts' entry, else ``object_facts(address)``, stored in objects) into the
 * memo, with its key and whether it is embedded. ``called`` is set when Python was called. */
static int memo_object(Memo *memo, uint64_t address, PyObject *objects, PyObject *font_facts,
                       PyObject *object_facts, int *called, int *met)
{
    Py_CLEAR(memo->address_key);
    Py_CLEAR(memo->known);
    PyObject *address_key = PyLong_FromUnsignedLongLong(address);
    if (address_key == NULL)
        return -1;
    memo->address_key = address_key;
    PyObject *known = PyDict_GetItemWithError(objects, address_key); /* borrowed */
    *met = known != NULL;
    if (known == NULL) {
        if (PyErr_Occurred())
            return -1;
        void *object_font = address ? text_object_font((void *)(uintptr_t)address) : NULL;
        PyObject *facts;
        if (memo->font_known != NULL && memo->font == object_font) {
            /* font_facts' entry for this font, found for the object before (the dict is
             * only filled by a call into Python, after which the memo is forgotten) */
            facts = Py_NewRef(memo->font_known);
        } else {
            PyObject *font_address = PyLong_FromUnsignedLongLong((uint64_t)(uintptr_t)object_font);
            if (font_address == NULL)
                return -1;
            facts = PyDict_GetItemWithError(font_facts, font_address);
            Py_DECREF(font_address);
            if (facts != NULL) {
                Py_INCREF(facts);
                Py_XSETREF(memo->font_known, Py_NewRef(facts));
                memo->font = object_font;
            } else if (!PyErr_Occurred()) {
                *called = 1;
                facts = PyObject_CallOneArg(object_facts, address_key);
            }
        }
        if (facts == NULL)
            return -1;
        int failed = PyDict_SetItem(objects, address_key, facts);
        if (failed < 0) {
            Py_DECREF(facts);
            return -1;
        }
        /* the dict's value is the object stored: held below as the memo's (owned) */
        known = facts;
        Py_DECREF(facts);
    }
    if (!PyTuple_Check(known) || PyTuple_GET_SIZE(known) != 3) {
        PyErr_SetString(PyExc_TypeError, "a text object's facts are not (font, key, embedded)");
        return -1;
    }
    Py_INCREF(known); /* held while callbacks run: they may change the cache */
    memo->known = known;
    memo->address = address;
    memo->embedded = PyObject_IsTrue(PyTuple_GET_ITEM(known, 2));
    return memo->embedded < 0 ? -1 : 0;
}

/* The (name, descent) of the memo's object's font at ``size`` (``size_value``): the fonts
 * cache's, else ``font_of(font, size)``'s (which fills it). Borrowed from the memo. A size
 * that is not equal to itself is asked every time, as the dict would. */
static PyObject *memo_named(Memo *memo, double size, PyObject *size_value, PyObject *fonts,
                            PyObject *font_of, int *called)
{
    PyObject *font = PyTuple_GET_ITEM(memo->known, 0), *font_key = PyTuple_GET_ITEM(memo->known, 1);
    if (memo->named != NULL && memo->font_key == font_key && memo->named_size_bits == memo->size_bits && size == size)
        return memo->named;
    Py_CLEAR(memo->named);
    Py_CLEAR(memo->font_key);
    memo->generation++; /* other widths */
    PyObject *key = PyTuple_Pack(2, font_key, size_value);
    if (key == NULL)
        return NULL;
    PyObject *named = PyDict_GetItemWithError(fonts, key);
    Py_DECREF(key);
    if (named != NULL) {
        Py_INCREF(named);
    } else if (!PyErr_Occurred()) {
        *called = 1;
        named = PyObject_CallFunctionObjArgs(font_of, font, size_value, NULL);
    }
    if (named == NULL)
        return NULL;
    if (!PyTuple_Check(named) || PyTuple_GET_SIZE(named) != 2) {
        PyErr_SetString(PyExc_TypeError, "a font's facts are not (name, descent)");
        Py_DECREF(named);
        return NULL;
    }
    memo->named = named;
    Py_INCREF(font_key);
    memo->font_key = font_key;
    memo->named_size_bits = memo->size_bits;
    return named;
}

/* The advance of ``code`` in the memo's font at its size (glyph_width: the widths cache's,
 * else PDFium's, stored there): a float or None. Borrowed from the memo. */
static PyObject *memo_width(Memo *memo, unsigned int code, double size, PyObject *size_value, PyObject *widths)
{
    int slot = (int)(code % WIDTH_SLOTS);
    if (memo->widths[slot].advance != NULL && memo->widths[slot].generation == memo->generation &&
        memo->widths[slot].code == code)
        return memo->widths[slot].advance;
    PyObject *font_key = memo->font_key;
    PyObject *code_value = PyLong_FromUnsignedLong(code);
    PyObject *key = code_value ? PyTuple_Pack(3, font_key, code_value, size_value) : NULL;
    Py_XDECREF(code_value);
    PyObject *advance = key ? glyph_width(widths, key, font_key, code, size) : NULL;
    Py_XDECREF(key);
    if (advance == NULL)
        return NULL;
    Py_XSETREF(memo->widths[slot].advance, advance);
    memo->widths[slot].generation = memo->generation;
    memo->widths[slot].code = code;
    return advance;
}

/* A run of the characters of one text object, consecutive in the text page's order: its
 * address, its characters' places in the page's list of characters (start <= k < end) and
 * whether its font is embedded (the facts' third value, as the walk reads it). pdfium_native.py
 * unpacks it with the format "<QqqiI". */
#pragma pack(push, 1)
typedef struct {
    uint64_t address;
    int64_t start, end;
    int32_t embedded;
    uint32_t unused;
} Run;
#pragma pack(pop)

static int append_run(char **buffer, Py_ssize_t *used, Py_ssize_t *size, const Run *run)
{
    if (*used + (Py_ssize_t)sizeof(Run) > *size) {
        Py_ssize_t grown = *size ? *size * 2 : 64 * (Py_ssize_t)sizeof(Run);
        char *bigger = PyMem_Realloc(*buffer, (size_t)grown);
        if (bigger == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        *buffer = bigger;
        *size = grown;
    }
    memcpy(*buffer + *used, run, sizeof(Run));
    *used += (Py_ssize_t)sizeof(Run);
    return 0;
}

/* The runs of a packed bytes object (``read_chars``'s): their count, or -1 with an error. */
static Py_ssize_t run_count(PyObject *packed)
{
    if (!PyBytes_Check(packed) || PyBytes_GET_SIZE(packed) % (Py_ssize_t)sizeof(Run) != 0) {
        PyErr_SetString(PyExc_ValueError, "packed runs are bytes of whole runs");
        return -1;
    }
    return PyBytes_GET_SIZE(packed) / (Py_ssize_t)sizeof(Run);
}

/* The characters of runs[first:count] grouped by text object address into ``groups``, as
 * PdfiumPage._read_chars's by_object holds them: a list per address, in the order of its
 * first character, the characters of each in the text page's order. The lists are left out of
 * the collector's walks, as the loop's were (a list of characters can be in no cycle). */
static int group_runs(PyObject *groups, PyObject *chars, const Run *runs, Py_ssize_t first, Py_ssize_t count)
{
    Py_ssize_t length = PyList_GET_SIZE(chars);
    for (Py_ssize_t r = first; r < count; r++) {
        const Run *run = &runs[r];
        if (run->start < 0 || run->end < run->start || run->end > length) {
            PyErr_SetString(PyExc_ValueError, "a run of characters past the page's list");
            return -1;
        }
        PyObject *key = PyLong_FromUnsignedLongLong(run->address);
        if (key == NULL)
            return -1;
        PyObject *group = PyDict_GetItemWithError(groups, key); /* borrowed */
        int failed = 0;
        if (group != NULL) {
            for (int64_t k = run->start; !failed && k < run->end; k++)
                failed = PyList_Append(group, PyList_GET_ITEM(chars, k)) < 0;
        } else if (PyErr_Occurred()) {
            failed = 1;
        } else {
            group = PyList_GetSlice(chars, run->start, run->end);
            if (group == NULL) {
                failed = 1;
            } else {
                PyObject_GC_UnTrack(group);
                failed = PyDict_SetItem(groups, key, group) < 0;
                Py_DECREF(group);
            }
        }
        Py_DECREF(key);
        if (failed)
            return -1;
    }
    return 0;
}

/* group_runs(chars, runs) -> {address: [char, ...]}: the by_object of PdfiumPage._read_chars. */
static PyObject *py_group_runs(PyObject *self, PyObject *args)
{
    PyObject *chars, *packed;
    if (!PyArg_ParseTuple(args, "O!O!", &PyList_Type, &chars, &PyBytes_Type, &packed))
        return NULL;
    Py_ssize_t count = run_count(packed);
    if (count < 0)
        return NULL;
    PyObject *groups = PyDict_New();
    if (groups != NULL && group_runs(groups, chars, (const Run *)PyBytes_AS_STRING(packed), 0, count) < 0)
        Py_CLEAR(groups);
    return groups;
}

/* read_chars(textpage, count, ctm, (mb_x0, mb_top, height, doctop), page_number, objects,
 *            object_facts, font_facts, fonts, font, widths, uncommon[, rect[, ascent]])
 *            -> (chars, trace, runs, contiguous)
 *
 * PdfiumPage._read_chars's loop. ``objects``, ``font_facts``, ``fonts`` and ``widths`` are
 * the page's caches; on a miss they are filled as PdfiumPage's methods fill them, in the
 * Python loop's order (``object_facts`` and ``font`` are those methods; a glyph width is
 * asked of PDFium here, as pdfium.glyph_width asks it). ``rect`` is the address of the
 * page's loose box out-parameter (an FS_RECTF ``uncommon`` uses too): with it, a turned
 * glyph of an embedded font is built here. With ``ascent`` (pdf.ASCENT; None: not), each
 * character's glyph box is fixed as pdf.fix_glyph_boxes fixes it. ``uncommon(i, code, address, a, b, c, d, x, y,
 * size)`` returns (char, advance) for any other character not embedded-upright-with-an-
 * advance; its exceptions (PageNeedsPdfminer) pass through. The trace is packed records
 * (Record). The characters come in one list in the text page's order, with the runs of each text
 * object (Run, packed): ``group_runs`` of them is the Python loop's by_object. ``contiguous``:
 * no text object has two runs (none was met before its run began: its characters are one run). */
static PyObject *py_read_chars(PyObject *self, PyObject *args)
{
    unsigned long long textpage_address;
    int count;
    Page page;
    PyObject *objects, *object_facts, *font_facts, *fonts, *font_of, *widths, *uncommon;
    unsigned long long rect_address = 0;
    PyObject *ascent = NULL;
    if (!PyArg_ParseTuple(args, "Ki(dddddd)(dddd)OO!OO!O!OO!O|KO", &textpage_address, &count,
                          &page.a1, &page.b1, &page.c1, &page.d1, &page.e1, &page.f1,
                          &page.mb_x0, &page.mb_top, &page.height, &page.doctop,
                          &page.page_number, &PyDict_Type, &objects, &object_facts,
                          &PyDict_Type, &font_facts, &PyDict_Type, &fonts, &font_of,
                          &PyDict_Type, &widths, &uncommon, &rect_address, &ascent))
        return NULL;
    if (ascent_of(ascent, &page) < 0)
        return NULL;
    /* the page's loose box out-parameter, the one ``uncommon`` uses too (0: turned
     * characters go to ``uncommon``) */
    FS_RECTF *rect = (FS_RECTF *)(uintptr_t)rect_address;
    if (get_unicode == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "_pdfium_chars.init was not called");
        return NULL;
    }
    FPDF_TEXTPAGE textpage = (FPDF_TEXTPAGE)(uintptr_t)textpage_address;
    /* out-parameters kept from one character to the next, as the Python loop's are: a call
     * that fails leaves the previous character's values, which the loop then uses */
    FS_MATRIX matrix = {0};
    double ox = 0.0, oy = 0.0;
    unsigned int pending_high = 0;
    char *trace = NULL, *runs = NULL;
    Py_ssize_t used = 0, allocated = 0, runs_used = 0, runs_allocated = 0;
    int contiguous = 1;
    Run *run = NULL; /* the last run (in ``runs``), NULL before the first character */
    PyObject *chars = PyList_New(0);
    if (chars == NULL)
        return NULL;
    Memo *memo = PyMem_Calloc(1, sizeof(Memo));
    if (memo == NULL) {
        Py_DECREF(chars);
        return PyErr_NoMemory();
    }
    /* per character: owned references released at ``next`` or ``fail`` */
    PyObject *result = NULL, *char_dict = NULL;
    for (int i = 0; i < count; i++) {
        unsigned int code = get_unicode(textpage, i);
        if (may_be_generated(code) && is_generated(textpage, i))
            continue;
        if (code == 0x02) /* PDFium's mark for a hyphen that ends a line */
            code = 0x2D;
        if (code >= 0xD800 && code < 0xDC00) { /* high surrogate: completed by the next */
            pending_high = code;
            continue;
        }
        if (pending_high && code >= 0xDC00 && code < 0xE000)
            code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00);
        pending_high = 0;
        int called = 0; /* Python was called: the memo is forgotten after this character */
        uint64_t address = (uint64_t)(uintptr_t)get_text_object(textpage, i);
        int met = 0; /* the object's facts were in ``objects`` already */
        if ((memo->known == NULL || memo->address != address) &&
            memo_object(memo, address, objects, font_facts, object_facts, &called, &met) < 0)
            goto fail;
        if (run == NULL || run->address != address) { /* a new run: its object met before, two runs */
            if (met)
                contiguous = 0;
            Py_ssize_t at = PyList_GET_SIZE(chars);
            Run begun = {address, at, at, memo->embedded, 0};
            if (append_run(&runs, &runs_used, &runs_allocated, &begun) < 0)
                goto fail;
            run = (Run *)(runs + runs_used - (Py_ssize_t)sizeof(Run));
        }
        get_matrix(textpage, i, &matrix);
        get_char_origin(textpage, i, &ox, &oy);
        double size = get_font_size(textpage, i);
        double a = matrix.a, b = matrix.b, c = matrix.c, d = matrix.d, x = ox, y = oy;
        double advance = 0.0;
        int has_advance = 0;
        uint32_t flags = code == 0x20 ? 1u : 0u;
        PyObject *size_value = memo_size(memo, size), *named = NULL; /* borrowed from the memo */
        if (size_value == NULL)
            goto fail;
        if (memo->embedded) {
            named = memo_named(memo, size, size_value, fonts, font_of, &called);
            PyObject *advance_value = named ? memo_width(memo, code, size, size_value, widths) : NULL;
            if (advance_value == NULL || (advance_value != Py_None && double_of(advance_value, &advance) < 0))
                goto fail;
            has_advance = advance_value != Py_None;
        }
        if (memo->embedded && has_advance && b == 0 && c == 0 && a != 0 && d != 0) {
            double descent;
            if (double_of(PyTuple_GET_ITEM(named, 1), &descent) < 0)
                goto fail;
            char_dict = upright_char(&page, code, PyTuple_GET_ITEM(named, 0), a, b, c, d, x, y, size, descent, advance);
            if (char_dict == NULL)
                goto fail;
            flags |= 2u;
        } else if (memo->embedded && rect != NULL && (b != 0 || c != 0)) {
            /* uncommon_char's embedded branch for a turned glyph: its loose box asked (the
             * advance check there is for b == c == 0 only) */
            get_loose_box(textpage, i, rect);
            double descent;
            if (double_of(PyTuple_GET_ITEM(named, 1), &descent) < 0)
                goto fail;
            char_dict = turned_char(&page, code, PyTuple_GET_ITEM(named, 0), a, b, c, d, x, y, size, descent,
                                    (double)rect->left, (double)rect->bottom, (double)rect->right, (double)rect->top);
            if (char_dict == NULL)
                goto fail;
        } else {
            called = 1;
            result = PyObject_CallFunction(uncommon, "iIOddddddO", i, code, memo->address_key, a, b, c, d, x, y, size_value);
            if (result == NULL)
                goto fail;
            if (!PyTuple_Check(result) || PyTuple_GET_SIZE(result) != 2) {
                PyErr_SetString(PyExc_TypeError, "uncommon() returns (char, advance)");
                goto fail;
            }
            char_dict = PyTuple_GET_ITEM(result, 0);
            Py_INCREF(char_dict);
            PyObject *given = PyTuple_GET_ITEM(result, 1);
            has_advance = given != Py_None;
            if (has_advance && double_of(given, &advance) < 0)
                goto fail;
        }
        /* the trace's ``advance or 0.0``: None, 0.0 and -0.0 all give 0.0 */
        Record record = {address, x, y, (has_advance && advance != 0.0) ? advance : 0.0, a, b, c, d, size, i, flags};
        if (append_record(&trace, &used, &allocated, &record) < 0)
            goto fail;
        if (PyList_Append(chars, char_dict) < 0)
            goto fail;
        run->end = PyList_GET_SIZE(chars);
        Py_CLEAR(result);
        Py_CLEAR(char_dict);
        if (called)
            memo_forget(memo);
    }
    memo_free(memo);
    PyMem_Free(memo);
    PyObject *packed = PyBytes_FromStringAndSize(trace ? trace : "", used);
    PyObject *packed_runs = PyBytes_FromStringAndSize(runs ? runs : "", runs_used);
    PyMem_Free(trace);
    PyMem_Free(runs);
    PyObject *returned = packed && packed_runs ? Py_BuildValue("(OOOO)", chars, packed, packed_runs, contiguous ? Py_True : Py_False) : NULL;
    Py_DECREF(chars);
    Py_XDECREF(packed);
    Py_XDECREF(packed_runs);
    return returned;
fail:
    Py_XDECREF(result);
    Py_XDECREF(char_dict);
    memo_free(memo);
    PyMem_Free(memo);
    Py_DECREF(chars);
    PyMem_Free(trace);
    PyMem_Free(runs);
    return NULL;
}


/* The records of a packed trace (bytes, ``read_chars``'s): their count, or -1 with an error
 * where the length is not a whole number of records. */
static Py_ssize_t record_count(PyObject *packed)
{
    Py_ssize_t length = PyBytes_GET_SIZE(packed);
    if (length % (Py_ssize_t)sizeof(Record) != 0) {
        PyErr_SetString(PyExc_ValueError, "a packed trace is whole records");
        return -1;
    }
    return length / (Py_ssize_t)sizeof(Record);
}

/* unpack_trace(packed) -> [Traced, ...]
 *
 * pdfium_native.unpack_trace's tuples, made here: (address, x, y, advance, (a, b, c, d),
 * size, is a space, address, index), the address the same int object twice, as there. */
/* The bits of a double, for telling values apart as the shared floats do (0.0 and -0.0 apart). */
static uint64_t bits_of(double value)
{
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    return bits;
}

/* A float of ``value``: ``*kept`` again when ``*kept_bits`` are its bits, else a new one kept
 * there (owned by the caller's ``kept``). New reference, NULL on error. */
static PyObject *kept_float(PyObject **kept, uint64_t *kept_bits, double value)
{
    uint64_t bits = bits_of(value);
    if (*kept == NULL || *kept_bits != bits) {
        PyObject *made = PyFloat_FromDouble(value);
        if (made == NULL)
            return NULL;
        Py_XSETREF(*kept, made);
        *kept_bits = bits;
    }
    return Py_NewRef(*kept);
}

static PyObject *py_unpack_trace(PyObject *self, PyObject *packed)
{
    if (!PyBytes_Check(packed)) {
        PyErr_SetString(PyExc_TypeError, "a packed trace is bytes");
        return NULL;
    }
    Py_ssize_t count = record_count(packed);
    if (count < 0)
        return NULL;
    PyObject *traced = PyList_New(count);
    if (traced == NULL)
        return NULL;
    /* the values of the record before, given again where a record repeats them (an object's
     * characters share its address, matrix and size; a line of full-width characters its
     * advance): the tuples hold equal values, fewer objects made */
    PyObject *address = NULL, *linear = NULL, *size = NULL, *advance = NULL;
    uint64_t address_bits = 0, linear_bits[4] = {0, 0, 0, 0}, size_bits = 0, advance_bits = 0;
    const char *at = PyBytes_AS_STRING(packed);
    for (Py_ssize_t i = 0; i < count; i++) {
        Record r;
        memcpy(&r, at + i * (Py_ssize_t)sizeof(Record), sizeof r);
        if (address == NULL || address_bits != r.address) {
            PyObject *made = PyLong_FromUnsignedLongLong(r.address);
            if (made == NULL)
                goto fail;
            Py_XSETREF(address, made);
            address_bits = r.address;
        }
        uint64_t bits[4] = {bits_of(r.a), bits_of(r.b), bits_of(r.c), bits_of(r.d)};
        if (linear == NULL || memcmp(bits, linear_bits, sizeof bits) != 0) {
            PyObject *made = Py_BuildValue("(dddd)", r.a, r.b, r.c, r.d);
            if (made == NULL)
                goto fail;
            Py_XSETREF(linear, made);
            memcpy(linear_bits, bits, sizeof bits);
        }
        PyObject *entry = PyTuple_New(9);
        if (entry == NULL)
            goto fail;
        PyList_SET_ITEM(traced, i, entry); /* filled below; the list's NULLs are never read on a failure */
        PyObject *values[9] = {
            Py_NewRef(address), PyFloat_FromDouble(r.x), PyFloat_FromDouble(r.y),
            kept_float(&advance, &advance_bits, r.advance), Py_NewRef(linear),
            kept_float(&size, &size_bits, r.size), Py_NewRef((r.flags & 1u) ? Py_True : Py_False),
            Py_NewRef(address), PyLong_FromLong((long)r.index),
        };
        int failed = 0;
        for (int k = 0; k < 9; k++) {
            if (values[k] == NULL)
                failed = 1;
            PyTuple_SET_ITEM(entry, k, values[k]);
        }
        if (failed)
            goto fail;
    }
    Py_XDECREF(address);
    Py_XDECREF(linear);
    Py_XDECREF(size);
    Py_XDECREF(advance);
    return traced;
fail:
    Py_XDECREF(address);
    Py_XDECREF(linear);
    Py_XDECREF(size);
    Py_XDECREF(advance);
    Py_DECREF(traced);
    return NULL;
}

/* advances_differ(textpage, packed) -> bool
 *
 * PdfiumPage._advances_differ over the records whose loose box was not asked (flag 2,
 * pdfium_native.unchecked_advances): an upright character of an embedded font whose loose box
 * does not span its advance. One out-parameter for the loop, zero at first, as there: a call
 * that fails leaves the box before. */
static PyObject *py_advances_differ(PyObject *self, PyObject *args)
{
    unsigned long long textpage_address;
    PyObject *packed;
    if (!PyArg_ParseTuple(args, "KO!", &textpage_address, &PyBytes_Type, &packed))
        return NULL;
    if (get_loose_box == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "_pdfium_chars.init was not called");
        return NULL;
    }
    Py_ssize_t count = record_count(packed);
    if (count < 0)
        return NULL;
    FPDF_TEXTPAGE textpage = (FPDF_TEXTPAGE)(uintptr_t)textpage_address;
    FS_RECTF rect = {0.0f, 0.0f, 0.0f, 0.0f};
    const char *at = PyBytes_AS_STRING(packed);
    for (Py_ssize_t i = 0; i < count; i++) {
        Record r;
        memcpy(&r, at + i * (Py_ssize_t)sizeof(Record), sizeof r);
        if (!(r.flags & 2u))
            continue;
        get_loose_box(textpage, r.index, &rect);
        if (fabs(((double)rect.right - (double)rect.left) - r.advance * fabs(r.a)) > 0.01)
            Py_RETURN_TRUE;
    }
    Py_RETURN_FALSE;
}


/* One subpath of pdfium.path_shapes's ops as pdfium._classify classes it: appended to
 * ``shapes`` as (shape, points). ``ops`` are the letters, ``points`` the point tuples (an
 * "h" has the subpath's first point, the same object, as _classify gives it). Tuples are
 * compared as Python compares them (PyObject_RichCompareBool), floats as floats. */
/* Where a path object is (height, mb_x0, mb_top, doctop, page_number): PdfiumPage's. */
typedef struct {
    double height, mb_x0, mb_top, doctop;
    PyObject *page_number;
} Place;

/* PdfiumPage._path_object: the dict of a line, rect or curve from its points, the same
 * operations in the same order (min and max as Python's: the first of equals kept). */
static PyObject *path_object(PyObject *shape, PyObject *points, const Place *p)
{
    Py_ssize_t n = PyList_GET_SIZE(points);
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *point = PyList_GET_ITEM(points, i);
        double x = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(point, 0)), y = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(point, 1));
        if (i == 0) {
            x0 = x1 = x;
            y0 = y1 = y;
            continue;
        }
        if (x < x0)
            x0 = x;
        if (y < y0)
            y0 = y;
        if (x > x1)
            x1 = x;
        if (y > y1)
            y1 = y;
    }
    double top = (p->height - y1) + p->mb_top;
    PyObject *dict = PyDict_Copy(path_template);
    PyObject *pts = PyList_New(n);
    if (dict == NULL || pts == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *point = PyList_GET_ITEM(points, i);
        double x = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(point, 0)), y = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(point, 1));
        PyObject *placed = Py_BuildValue("(dd)", p->mb_x0 + x, p->mb_top + p->height - y);
        if (placed == NULL)
            goto fail;
        PyObject_GC_UnTrack(placed); /* a tuple of floats (upright_char) */
        PyList_SET_ITEM(pts, i, placed);
    }
    if (PyDict_SetItem(dict, keys[K_OBJECT_TYPE], shape) < 0 ||
        set_float(dict, K_X0, x0 + p->mb_x0) < 0 || set_float(dict, K_Y0, y0) < 0 ||
        set_float(dict, K_X1, x1 + p->mb_x0) < 0 || set_float(dict, K_Y1, y1) < 0 ||
        set_float(dict, K_WIDTH, x1 - x0) < 0 || set_float(dict, K_HEIGHT, y1 - y0) < 0 ||
        set_float(dict, K_TOP, top) < 0 ||
        set_float(dict, K_BOTTOM, (p->height - y0) + p->mb_top) < 0 ||
        set_float(dict, K_DOCTOP, p->doctop + top) < 0 ||
        PyDict_SetItem(dict, keys[K_PAGE_NUMBER], p->page_number) < 0 ||
        PyDict_SetItem(dict, keys[K_PTS], pts) < 0)
        goto fail;
    Py_DECREF(pts);
    return dict;
fail:
    Py_XDECREF(dict);
    Py_XDECREF(pts);
    return NULL;
}

/* Appended to ``shapes`` as (shape, points or dict), or with ``found`` (the walk's dict of
 * object lists by kind) the dict appended to found[shape], as PdfiumPage._walk appends it. */
static int classify(PyObject *shapes, const char *ops, PyObject *const *points, Py_ssize_t n,
                    PyObject *line, PyObject *rect, PyObject *curve, const Place *place, PyObject *found)
{
    char shape[8];
    Py_ssize_t length = n;
    if (n > 3 && ops[n - 2] == 'l' && ops[n - 1] == 'h') {
        int same = PyObject_RichCompareBool(points[n - 2], points[0], Py_EQ);
        if (same < 0)
            return -1;
        if (same)
            length = n - 1; /* "...lh" -> "...h", the last point dropped */
    }
    /* the shapes tested are at most five letters; a longer one is a curve */
    if (length <= 5) {
        memcpy(shape, ops, (size_t)length);
        if (length != n)
            shape[length - 1] = 'h';
        shape[length] = '\0';
    } else {
        shape[0] = '\0';
    }
    PyObject *kind, *kept;
    if (strcmp(shape, "mlh") == 0 || strcmp(shape, "ml") == 0) {
        kind = line;
        kept = PyList_New(2);
        if (kept == NULL)
            return -1;
        for (int i = 0; i < 2; i++) {
            Py_INCREF(points[i]);
            PyList_SET_ITEM(kept, i, points[i]);
        }
    } else {
        kind = curve;
        int closed_square = 0;
        if (strcmp(shape, "mlllh") == 0 || strcmp(shape, "mllll") == 0) {
            double x[4], y[4];
            for (int i = 0; i < 4; i++) {
                x[i] = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(points[i], 0));
                y[i] = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(points[i], 1));
            }
            int closed = PyObject_RichCompareBool(points[0], points[4], Py_EQ);
            if (closed < 0)
                return -1;
            int square = (x[0] == x[1] && y[1] == y[2] && x[2] == x[3] && y[3] == y[0]) ||
                         (y[0] == y[1] && x[1] == x[2] && y[2] == y[3] && x[3] == x[0]);
            closed_square = closed && square;
        }
        if (closed_square) {
            kind = rect;
            kept = PyList_New(2);
            if (kept == NULL)
                return -1;
            Py_INCREF(points[0]);
            PyList_SET_ITEM(kept, 0, points[0]);
            Py_INCREF(points[2]);
            PyList_SET_ITEM(kept, 1, points[2]);
        } else {
            kept = PyList_New(length);
            if (kept == NULL)
                return -1;
            for (Py_ssize_t i = 0; i < length; i++) {
                Py_INCREF(points[i]);
                PyList_SET_ITEM(kept, i, points[i]);
            }
        }
    }
    if (place != NULL) { /* the object's dict instead of its points */
        PyObject *placed = path_object(kind, kept, place);
        Py_DECREF(kept);
        if (placed == NULL)
            return -1;
        kept = placed;
    }
    if (found != NULL) {
        PyObject *objects = PyDict_GetItemWithError(found, kind); /* borrowed */
        if (objects == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, kind);
            Py_DECREF(kept);
            return -1;
        }
        int failed = PyList_Append(objects, kept);
        Py_DECREF(kept);
        return failed;
    }
    PyObject *pair = PyTuple_Pack(2, kind, kept);
    Py_DECREF(kept);
    if (pair == NULL)
        return -1;
    int failed = PyList_Append(shapes, pair);
    Py_DECREF(pair);
    return failed;
}

/* the shape names, interned once (PyInit) */
static PyObject *line_name, *rect_name, *curve_name;

/* pdfium.path_shapes's segment loop and _classify for one painted path object, its matrix
 * times the CTM being ``m``: each segment's point turned by ``m`` and snapped. ``px`` and
 * ``py`` are the out-parameters the Python loop uses (its PathBuffers floats): a failed call
 * leaves the last point, as there. The shapes go to ``shapes`` or ``found`` (classify). */
static int path_into(void *path, const double m[6], float *px, float *py, const Place *place,
                     PyObject *shapes, PyObject *found)
{
    int count = count_segments(path);
    if (count <= 0)
        return 0;
    /* at most two ops per segment (a point and a close) */
    char *ops = PyMem_Malloc((size_t)count * 2);
    PyObject **points = PyMem_Calloc((size_t)count * 2, sizeof(PyObject *));
    Py_ssize_t n = 0;
    if (ops == NULL || points == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    int bezier = 0;
    for (int i = 0; i < count; i++) {
        void *segment = get_segment(path, i);
        segment_point(segment, px, py);
        double x = *px, y = *py, rx, ry;
        if (round4(m[0] * x + m[2] * y + m[4], &rx) < 0 || round4(m[1] * x + m[3] * y + m[5], &ry) < 0)
            goto fail;
        PyObject *point = Py_BuildValue("(dd)", rx, ry);
        if (point == NULL)
            goto fail;
        PyObject_GC_UnTrack(point); /* a tuple of floats (upright_char) */
        int kind = segment_type(segment), kept = 1;
        if (kind == SEGMENT_MOVETO) {
            ops[n] = 'm';
            bezier = 0;
        } else if (kind == SEGMENT_BEZIERTO) {
            bezier += 1;
            kept = bezier % 3 == 0; /* a curve segment is three points; pdfminer keeps its end */
            ops[n] = 'c';
        } else {
            ops[n] = 'l';
            bezier = 0;
        }
        if (kept)
            points[n++] = point; /* the reference moves to the array */
        if (segment_close(segment)) {
            ops[n] = 'h';
            if (kept)
                Py_INCREF(point); /* a second reference; a dropped curve point gives its own */
            points[n++] = point;
        } else if (!kept) {
            Py_DECREF(point);
        }
    }
    /* subpaths: from each "m" to the next; ops before the first "m" are not drawn */
    Py_ssize_t start = 0;
    for (Py_ssize_t end = 1; end <= n; end++) {
        if (end == n || ops[end] == 'm') {
            if (ops[start] == 'm') {
                /* an "h" stands for its subpath's first point (_classify) */
                for (Py_ssize_t i = start + 1; i < end; i++) {
                    if (ops[i] == 'h' && points[i] != points[start]) {
                        Py_INCREF(points[start]);
                        Py_SETREF(points[i], points[start]);
                    }
                }
                if (classify(shapes, ops + start, points + start, end - start, line_name, rect_name, curve_name, place, found) < 0)
                    goto fail;
            }
            start = end;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++)
        Py_DECREF(points[i]);
    PyMem_Free(ops);
    PyMem_Free(points);
    return 0;
fail:
    for (Py_ssize_t i = 0; points != NULL && i < n; i++)
        Py_XDECREF(points[i]);
    PyMem_Free(ops);
    PyMem_Free(points);
    return -1;
}

/* path_shapes(path, (m0, ..., m5), x_address, y_address[, place]) -> [(shape, points), ...]
 *
 * path_into for one painted path object whose matrix times the CTM (computed in Python) is
 * given. x_address and y_address are the page's PathBuffers floats. With ``place`` (height,
 * mb_x0, mb_top, doctop, page_number), each shape's points are replaced by its dict
 * (PdfiumPage._path_object). */
static PyObject *py_path_shapes(PyObject *self, PyObject *args)
{
    unsigned long long path_address, x_address, y_address;
    double m[6];
    PyObject *place_tuple = NULL;
    Place place_of, *place = NULL;
    if (!PyArg_ParseTuple(args, "K(dddddd)KK|O", &path_address, &m[0], &m[1], &m[2], &m[3], &m[4], &m[5],
                          &x_address, &y_address, &place_tuple))
        return NULL;
    if (place_tuple != NULL && place_tuple != Py_None) {
        if (!PyArg_ParseTuple(place_tuple, "ddddO", &place_of.height, &place_of.mb_x0,
                              &place_of.mb_top, &place_of.doctop, &place_of.page_number))
            return NULL;
        place = &place_of;
    }
    if (count_segments == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "_pdfium_chars.init_paths was not called");
        return NULL;
    }
    PyObject *shapes = PyList_New(0);
    if (shapes == NULL)
        return NULL;
    if (path_into((void *)(uintptr_t)path_address, m, (float *)(uintptr_t)x_address, (float *)(uintptr_t)y_address, place, shapes, NULL) < 0) {
        Py_DECREF(shapes);
        return NULL;
    }
    return shapes;
}

/* The page-object walk (PdfiumPage._walk, pdfium.py): one call per page instead of a ctypes
 * call or more per object. PDFium's object functions (fpdf_edit.h), their addresses passed
 * once to ``init_walk``; the object types are PDFium's public FPDF_PAGEOBJ_* numbers
 * (pdfium_native.py checks them against pypdfium2's). */
typedef int (*count_objects_t)(void *);
typedef void *(*page_object_t)(void *, int);
typedef void *(*form_object_t)(void *, unsigned long);
typedef int (*object_type_t)(void *);
typedef int (*object_matrix_t)(void *, FS_MATRIX *);
typedef int (*draw_mode_t)(void *, int *, int *);
static count_objects_t page_count_objects, form_count_objects;
static page_object_t page_object;
static form_object_t form_object;
static object_type_t object_type;
static object_matrix_t object_matrix;
static draw_mode_t draw_mode;
enum { OBJECT_TEXT = 1, OBJECT_PATH = 2, OBJECT_IMAGE = 3, OBJECT_FORM = 5, FORM_DEPTH = 16 };

static PyObject *py_init_walk(PyObject *self, PyObject *args)
{
    unsigned long long addresses[7];
    if (!PyArg_ParseTuple(args, "KKKKKKK", &addresses[0], &addresses[1], &addresses[2],
                          &addresses[3], &addresses[4], &addresses[5], &addresses[6]))
        return NULL;
    for (int i = 0; i < 7; i++) {
        if (!addresses[i]) {
            PyErr_SetString(PyExc_ValueError, "a PDFium function address is NULL");
            return NULL;
        }
    }
    page_count_objects = (count_objects_t)(uintptr_t)addresses[0];
    page_object = (page_object_t)(uintptr_t)addresses[1];
    form_count_objects = (count_objects_t)(uintptr_t)addresses[2];
    form_object = (form_object_t)(uintptr_t)addresses[3];
    object_type = (object_type_t)(uintptr_t)addresses[4];
    object_matrix = (object_matrix_t)(uintptr_t)addresses[5];
    draw_mode = (draw_mode_t)(uintptr_t)addresses[6];
    Py_RETURN_NONE;
}

/* PDFium's functions a lone space needs (fpdf_edit.h), passed once to ``init_spaces``. */
typedef int (*object_font_size_t)(void *, float *);
typedef int (*object_bounds_t)(void *, float *, float *, float *, float *);
static object_font_size_t object_font_size;
static object_bounds_t object_bounds;

static PyObject *py_init_spaces(PyObject *self, PyObject *args)
{
    unsigned long long addresses[2];
    if (!PyArg_ParseTuple(args, "KK", &addresses[0], &addresses[1]))
        return NULL;
    if (!addresses[0] || !addresses[1]) {
        PyErr_SetString(PyExc_ValueError, "a PDFium function address is NULL");
        return NULL;
    }
    object_font_size = (object_font_size_t)(uintptr_t)addresses[0];
    object_bounds = (object_bounds_t)(uintptr_t)addresses[1];
    Py_RETURN_NONE;
}

/* PDFium's functions of a page object's clip path (fpdf_transformpage.h), passed once to
 * ``init_clip``; the points are read with segment_point (init_paths). */
typedef void *(*clip_path_t)(void *);
typedef int (*clip_count_paths_t)(void *);
typedef int (*clip_count_segments_t)(void *, int);
typedef void *(*clip_segment_t)(void *, int, int);
static clip_path_t clip_path;
static clip_count_paths_t clip_count_paths;
static clip_count_segments_t clip_count_segments;
static clip_segment_t clip_segment;

static PyObject *py_init_clip(PyObject *self, PyObject *args)
{
    unsigned long long addresses[4];
    if (!PyArg_ParseTuple(args, "KKKK", &addresses[0], &addresses[1], &addresses[2], &addresses[3]))
        return NULL;
    for (int i = 0; i < 4; i++) {
        if (!addresses[i]) {
            PyErr_SetString(PyExc_ValueError, "a PDFium function address is NULL");
            return NULL;
        }
    }
    clip_path = (clip_path_t)(uintptr_t)addresses[0];
    clip_count_paths = (clip_count_paths_t)(uintptr_t)addresses[1];
    clip_count_segments = (clip_count_segments_t)(uintptr_t)addresses[2];
    clip_segment = (clip_segment_t)(uintptr_t)addresses[3];
    Py_RETURN_NONE;
}

/* pdfium_clip.clip_box: the box of an object's clip region (its clip paths' point boxes
 * intersected) in box[4] (left, bottom, right, top); 0 where it has no clip path or no path
 * with a point, 1 where box holds it. The floats are PDFium's (min and max are exact). */
static int clip_box_of(void *object, float box[4])
{
    void *clip = clip_path(object);
    if (clip == NULL)
        return 0;
    int paths = clip_count_paths(clip), boxed = 0;
    for (int p = 0; p < paths; p++) {
        int count = clip_count_segments(clip, p), points = 0;
        float found[4] = {0.0f, 0.0f, 0.0f, 0.0f};
        for (int k = 0; k < count; k++) {
            void *segment = clip_segment(clip, p, k);
            float x = 0.0f, y = 0.0f;
            if (segment == NULL || !segment_point(segment, &x, &y))
                continue;
            if (!points++) {
                found[0] = found[2] = x;
                found[1] = found[3] = y;
            } else {
                found[0] = x < found[0] ? x : found[0];
                found[1] = y < found[1] ? y : found[1];
                found[2] = x > found[2] ? x : found[2];
                found[3] = y > found[3] ? y : found[3];
            }
        }
        if (!points)
            continue; /* a path with no point bounds nothing (pdfium_clip.clip_box) */
        if (!boxed++) {
            memcpy(box, found, sizeof found);
        } else {
            box[0] = found[0] > box[0] ? found[0] : box[0];
            box[1] = found[1] > box[1] ? found[1] : box[1];
            box[2] = found[2] < box[2] ? found[2] : box[2];
            box[3] = found[3] < box[3] ? found[3] : box[3];
        }
    }
    return boxed > 0;
}

/* pdfium_clip.exceeds_clip's answer, yes or no: 1 where the text object's bounds reach outside
 * its clip box, with the box in box[4]; 0 where it has no clip path or lies inside it. */
static int exceeds_clip_box(void *object, float box[4])
{
    float left = 0.0f, bottom = 0.0f, right = 0.0f, top = 0.0f;
    if (!clip_box_of(object, box) || !object_bounds(object, &left, &bottom, &right, &top))
        return 0;
    return left < box[0] || bottom < box[1] || right > box[2] || top > box[3];
}

static int exceeds_clip(void *object)
{
    float box[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    return exceeds_clip_box(object, box);
}

/* pdfium_clip.exceeds_clip for Python: the clip box of the object at this address, as a tuple of
 * four floats, where its bounds reach outside it; else None. The clip functions must be set
 * (init_clip) and, for the bounds, init_spaces. */
static PyObject *py_exceeds_clip(PyObject *self, PyObject *arg)
{
    unsigned long long address = PyLong_AsUnsignedLongLong(arg);
    if (address == (unsigned long long)-1 && PyErr_Occurred())
        return NULL;
    if (clip_path == NULL || object_bounds == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "init_clip and init_spaces must be called first");
        return NULL;
    }
    float box[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    if (!address || !exceeds_clip_box((void *)(uintptr_t)address, box))
        Py_RETURN_NONE;
    return Py_BuildValue("(dddd)", (double)box[0], (double)box[1], (double)box[2], (double)box[3]);
}

/* What the lone spaces of a page need (PdfiumPage's list of them and its caches of font
 * facts by font key and of (name, descent) by (font key, size); on a page with a font not
 * embedded, its cache of _may_be_ideographic_space by font key, else NULL), or none: every
 * text object that is not the usual one then goes to Python. */
typedef struct {
    PyObject *lone_spaces, *font_facts, *fonts, *ideographic;
} Spaces;

/* What one page's walk reads and fills: PdfiumPage's caches and lists, the dict of object
 * lists by kind, where the paths are placed, the lone spaces (NULL: none read here), and
 * the Python branch for the rest. */
typedef struct {
    PyObject *text_objects, *by_object, *ordered, *found, *other;
    Place place;
    const Spaces *spaces;
    PyObject *ascent; /* pdf.ASCENT for the lone spaces' glyph boxes (read_chars), or None */
    /* the page's characters and runs (read_chars's) while ``by_object`` is not made
     * (``grouped`` 0): runs[next:] are the objects by_object would still hold */
    PyObject *chars;
    const Run *runs;
    Py_ssize_t run_total, next;
    int grouped;
} Walk;

/* by_object as the walk would have it now (runs[next:] grouped into it, PdfiumPage's dict): made
 * before the first object that is not the next run's object of an embedded font, and before
 * any Python walk of a form or path. From then on the walk is the one over by_object. */
static int group_rest(Walk *w)
{
    if (w->grouped)
        return 0;
    w->grouped = 1;
    return group_runs(w->by_object, w->chars, w->runs, w->next, w->run_total);
}

/* The next run's characters extended onto ``ordered`` when this text object is its object and
 * of an embedded font: what ``usual_text`` does with by_object, by_object not made. 1 when
 * done; 0 otherwise (by_object is then made where the object is on the text page). */
static int next_run(Walk *w, void *object)
{
    if (w->grouped)
        return 0;
    if (w->next < w->run_total && w->runs[w->next].address == (uint64_t)(uintptr_t)object && w->runs[w->next].embedded &&
        w->runs[w->next].end <= PyList_GET_SIZE(w->chars)) {
        const Run *run = &w->runs[w->next];
        for (int64_t k = run->start; k < run->end; k++) {
            if (PyList_Append(w->ordered, PyList_GET_ITEM(w->chars, k)) < 0)
                return -1;
        }
        w->next++;
        return 1;
    }
    /* an object of the text page (its facts known) out of the runs' order: by_object made */
    PyObject *address = PyLong_FromVoidPtr(object);
    if (address == NULL)
        return -1;
    int on_text_page = PyDict_Contains(w->text_objects, address);
    Py_DECREF(address);
    if (on_text_page < 0 || (on_text_page && group_rest(w) < 0))
        return -1;
    return 0;
}

/* pdfium.multiply: m (a PDFium matrix, floats) then n, PDF row-vector order, the same
 * operations in the same order. */
static void multiply(const FS_MATRIX *m, const double n[6], double out[6])
{
    double a0 = m->a, b0 = m->b, c0 = m->c, d0 = m->d, e0 = m->e, f0 = m->f;
    out[0] = a0 * n[0] + b0 * n[2];
    out[1] = a0 * n[1] + b0 * n[3];
    out[2] = c0 * n[0] + d0 * n[2];
    out[3] = c0 * n[1] + d0 * n[3];
    out[4] = e0 * n[0] + f0 * n[2] + n[4];
    out[5] = e0 * n[1] + f0 * n[3] + n[5];
}

/* The text object's characters in content order when it is the usual one (known, of an
 * embedded font, its characters on the text page): 1 when done, 0 for the Python branch. */
static int usual_text(Walk *w, void *object)
{
    PyObject *address = PyLong_FromVoidPtr(object);
    if (address == NULL)
        return -1;
    PyObject *facts = PyDict_GetItemWithError(w->text_objects, address); /* borrowed */
    int done = 0;
    if (facts == NULL) {
        done = PyErr_Occurred() ? -1 : 0;
    } else if (!PyTuple_Check(facts) || PyTuple_GET_SIZE(facts) != 3) {
        PyErr_SetString(PyExc_TypeError, "a text object's facts are not (font, key, embedded)");
        done = -1;
    } else if ((done = PyObject_IsTrue(PyTuple_GET_ITEM(facts, 2))) == 1) {
        /* by_object.pop(address, None), then ordered.extend(chars) */
        PyObject *chars = PyDict_GetItemWithError(w->by_object, address);
        if (chars == NULL) {
            done = PyErr_Occurred() ? -1 : 0;
        } else {
            Py_INCREF(chars);
            Py_ssize_t end = PyList_GET_SIZE(w->ordered);
            if (PyDict_DelItem(w->by_object, address) < 0 || PyList_SetSlice(w->ordered, end, end, chars) < 0)
                done = -1;
            Py_DECREF(chars);
        }
    }
    Py_DECREF(address);
    return done;
}

/* other(address, kind, ctm, depth): the Python walk's branch for this object. */
static int hand_back(Walk *w, void *object, int kind, PyObject *ctm, int depth)
{
    PyObject *address = PyLong_FromVoidPtr(object);
    if (address == NULL)
        return -1;
    PyObject *result = PyObject_CallFunction(w->other, "OiOi", address, kind, ctm, depth);
    Py_DECREF(address);
    if (result == NULL)
        return -1;
    Py_DECREF(result);
    return 0;
}

/* A text object's facts (font, key, embedded), borrowed: the page's (text_objects), else
 * those of its font (font_facts, by PDFium's font of the object), as
 * PdfiumPage._object_facts finds them once the page has met the font. NULL with no error
 * where neither is known (the Python branch asks, and fills the cache). */
static PyObject *known_facts(Walk *w, void *object, PyObject *address)
{
    PyObject *facts = PyDict_GetItemWithError(w->text_objects, address);
    if (facts != NULL || PyErr_Occurred())
        return facts;
    PyObject *font_key = PyLong_FromVoidPtr(text_object_font(object));
    if (font_key == NULL)
        return NULL;
    facts = PyDict_GetItemWithError(w->spaces->font_facts, font_key);
    Py_DECREF(font_key);
    return facts;
}

/* The name and descent of a font at a size (PdfiumPage._font), borrowed, when the page has
 * them already; NULL with no error when not (the Python branch asks, and fills the cache). */
static PyObject *known_font(Walk *w, PyObject *font_key, PyObject *size)
{
    PyObject *key = PyTuple_Pack(2, font_key, size);
    if (key == NULL)
        return NULL;
    PyObject *named = PyDict_GetItemWithError(w->spaces->fonts, key);
    Py_DECREF(key);
    if (named != NULL && (!PyTuple_Check(named) || PyTuple_GET_SIZE(named) != 2)) {
        PyErr_SetString(PyExc_TypeError, "a font's facts are not (name, descent)");
        return NULL;
    }
    return named;
}

/* The character of a lone space and the page's note of it: ``ordered.append(char)`` and
 * ``lone_spaces.append((address, char))``. */
static int put_lone_space(Walk *w, PyObject *address, PyObject *char_dict)
{
    PyObject *pair = PyTuple_Pack(2, address, char_dict);
    if (pair == NULL)
        return -1;
    int failed = PyList_Append(w->ordered, char_dict) < 0 || PyList_Append(w->spaces->lone_spaces, pair) < 0;
    Py_DECREF(pair);
    return failed ? -1 : 0;
}

/* PdfiumPage._text_object for a text object the text page left out, of an embedded font
 * (on a page with a font not embedded: a font known to have no ideographic space), that
 * PDFium's geometry shows to be a lone space (Word writes one per space): its character as pdfminer gives it, built
 * here with the same calls and arithmetic. Upright only (b and c zero, a and d not): the
 * case where _char's glyph box replaces every side of the loose box, as upright_char
 * builds it. 1 when done; 0 for the Python branch (anything else, and whatever the page's
 * caches do not know yet), before any change; -1 on an error. */
static int lone_space(Walk *w, void *object, const double m[6])
{
    if (w->spaces == NULL || object_font_size == NULL)
        return 0;
    PyObject *address = PyLong_FromVoidPtr(object);
    if (address == NULL)
        return -1;
    int done = 0;
    PyObject *size_value = NULL, *char_dict = NULL;
    PyObject *facts = known_facts(w, object, address); /* borrowed */
    if (facts == NULL || !PyTuple_Check(facts) || PyTuple_GET_SIZE(facts) != 3) {
        if (facts != NULL)
            PyErr_SetString(PyExc_TypeError, "a text object's facts are not (font, key, embedded)");
        done = PyErr_Occurred() ? -1 : 0;
        goto end;
    }
    PyObject *font_key = PyTuple_GET_ITEM(facts, 1);
    int embedded = PyObject_IsTrue(PyTuple_GET_ITEM(facts, 2));
    int on_page = PyDict_Contains(w->by_object, address);
    if (embedded < 0 || on_page < 0) {
        done = -1;
        goto end;
    }
    if (!embedded || on_page)
        goto end;
    if (w->spaces->ideographic != NULL) {
        /* a page with a font not embedded: only a font known not to have an ideographic
         * space (PdfiumPage._may_be_ideographic_space said False before) */
        PyObject *ideographic = PyDict_GetItemWithError(w->spaces->ideographic, font_key);
        if (ideographic != Py_False) {
            done = PyErr_Occurred() ? -1 : 0;
            goto end;
        }
    }
    void *font = PyLong_AsVoidPtr(font_key);
    if (font == NULL) { /* no font: glyph_width gives None, not a space */
        done = PyErr_Occurred() ? -1 : 0;
        goto end;
    }
    /* pdfium.glyph_width of U+0020 at the object's size, object_bounds, object_matrix: a
     * call that fails leaves the rest to Python */
    float size = 0.0f, width = 0.0f, left = 0.0f, bottom = 0.0f, right = 0.0f, top = 0.0f;
    FS_MATRIX own;
    if (!object_font_size(object, &size) || !font_glyph_width(font, 0x20u, size, &width) || width <= 0 ||
        !object_bounds(object, &left, &bottom, &right, &top) || !object_matrix(object, &own))
        goto end;
    double a = own.a, b = own.b, c = own.c, d = own.d, space = width;
    if (b != 0 || c != 0 || (double)right - (double)left > 0.5 * space * fabs(a) || a == 0 || d == 0)
        goto end;
    if ((size_value = PyFloat_FromDouble((double)size)) == NULL) {
        done = -1;
        goto end;
    }
    PyObject *named = known_font(w, font_key, size_value); /* borrowed */
    double descent;
    if (named == NULL || double_of(PyTuple_GET_ITEM(named, 1), &descent) < 0) {
        done = PyErr_Occurred() ? -1 : 0;
        goto end;
    }
    Py_INCREF(named); /* held: its name goes into the dict */
    Page page = {m[0], m[1], m[2], m[3], m[4], m[5], w->place.mb_x0, w->place.mb_top,
                 w->place.height, w->place.doctop, w->place.page_number, 0, 0.0};
    if (ascent_of(w->ascent, &page) < 0) {
        Py_DECREF(named);
        done = -1;
        goto end;
    }
    char_dict = upright_char(&page, 0x20, PyTuple_GET_ITEM(named, 0), a, b, c, d, (double)own.e,
                             (double)own.f, (double)size, descent, space);
    Py_DECREF(named);
    done = char_dict == NULL || put_lone_space(w, address, char_dict) < 0 ? -1 : 1;
end:
    Py_XDECREF(char_dict);
    Py_XDECREF(size_value);
    Py_DECREF(address);
    return done;
}

static PyObject *matrix_value(const double m[6])
{
    return Py_BuildValue("(dddddd)", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* PdfiumPage._walk over a page's objects (``form`` 0) or a form's: ``m`` is the CTM, ``ctm``
 * the same as Python numbers (the page's own tuple at depth 0), for the Python branch. Each
 * call has its own path out-parameters, as each _walk call makes its PathBuffers. */
static int walk_objects(Walk *w, void *container, int form, const double m[6], PyObject *ctm, int depth)
{
    int count = form ? form_count_objects(container) : page_count_objects(container);
    float px = 0.0f, py = 0.0f;
    int fill = 0, stroke = 0;
    for (int i = 0; i < count; i++) {
        void *object = form ? form_object(container, (unsigned long)i) : page_object(container, i);
        int kind = object_type(object);
        if (kind == OBJECT_TEXT) {
            if (clip_path != NULL && object_bounds != NULL && exceeds_clip(object)) {
                /* some of it may be hidden by its clip path: PdfiumPage._text_object keeps
                 * what is shown (rare: by_object made for it and the rest of the page) */
                if (group_rest(w) < 0 || hand_back(w, object, kind, ctm, depth) < 0)
                    return -1;
                continue;
            }
            int done = next_run(w, object);
            if (!done)
                done = usual_text(w, object);
            if (!done)
                done = lone_space(w, object, m);
            if (done < 0 || (!done && hand_back(w, object, kind, ctm, depth) < 0))
                return -1;
        } else if (kind == OBJECT_PATH) {
            /* pdfium.painted_matrix: a path neither stroked nor filled is not drawn */
            if (!draw_mode(object, &fill, &stroke) || (!fill && !stroke))
                continue;
            FS_MATRIX own;
            if (!object_matrix(object, &own)) { /* Python's identity of ints: its branch */
                if (group_rest(w) < 0 || hand_back(w, object, kind, ctm, depth) < 0)
                    return -1;
                continue;
            }
            double painted[6];
            multiply(&own, m, painted);
            if (path_into(object, painted, &px, &py, &w->place, NULL, w->found) < 0)
                return -1;
        } else if (kind == OBJECT_IMAGE) {
            if (hand_back(w, object, kind, ctm, depth) < 0)
                return -1;
        } else if (kind == OBJECT_FORM && depth < FORM_DEPTH) {
            FS_MATRIX own;
            if (!object_matrix(object, &own)) {
                if (group_rest(w) < 0 || hand_back(w, object, kind, ctm, depth) < 0)
                    return -1;
                continue;
            }
            double inner[6];
            multiply(&own, m, inner);
            PyObject *inner_value = matrix_value(inner);
            if (inner_value == NULL)
                return -1;
            int failed = walk_objects(w, object, 1, inner, inner_value, depth + 1);
            Py_DECREF(inner_value);
            if (failed < 0)
                return -1;
        }
    }
    return 0;
}

/* walk(page, ctm, text_objects, by_object, ordered, found, place, other[, spaces[, ascent]]) -> None
 *
 * PdfiumPage._walk for a whole page, forms included: the usual text objects' characters
 * extended onto ``ordered`` and the painted paths' dicts appended to ``found`` here; with
 * ``spaces`` (lone_spaces, font_facts, fonts, ideographic or None), the lone spaces too
 * (``lone_space``), their glyph boxes fixed as read_chars fixes them with ``ascent``; a text
 * object that is not the usual one, an image, and a path or form whose matrix PDFium does not
 * give go to ``other(address, kind, ctm, depth)`` (the Python branch), in the same order. */
static PyObject *py_walk(PyObject *self, PyObject *args)
{
    unsigned long long page_address;
    double m[6];
    PyObject *ctm;
    Walk w;
    Spaces spaces = {NULL, NULL, NULL, NULL};
    PyObject *spaces_value = Py_None, *runs_value = Py_None;
    w.ascent = Py_None;
    if (!PyArg_ParseTuple(args, "KOO!O!O!O!(ddddO)O|OOO", &page_address, &ctm, &PyDict_Type,
                          &w.text_objects, &PyDict_Type, &w.by_object, &PyList_Type, &w.ordered,
                          &PyDict_Type, &w.found, &w.place.height, &w.place.mb_x0,
                          &w.place.mb_top, &w.place.doctop, &w.place.page_number, &w.other,
                          &spaces_value, &w.ascent, &runs_value))
        return NULL;
    /* by_object not made yet: the page's characters and their runs (read_chars's), by_object
     * being empty; else by_object as it is */
    w.chars = NULL;
    w.runs = NULL;
    w.run_total = w.next = 0;
    w.grouped = 1;
    if (runs_value != Py_None) {
        PyObject *packed;
        if (!PyArg_ParseTuple(runs_value, "O!O!", &PyList_Type, &w.chars, &PyBytes_Type, &packed))
            return NULL;
        if ((w.run_total = run_count(packed)) < 0)
            return NULL;
        if (PyDict_GET_SIZE(w.by_object) != 0) {
            PyErr_SetString(PyExc_ValueError, "by_object is made from the runs: empty until then");
            return NULL;
        }
        for (Py_ssize_t r = 0; r < w.run_total; r++) {
            const Run *run = (const Run *)PyBytes_AS_STRING(packed) + r;
            if (run->start < 0 || run->end < run->start || run->end > PyList_GET_SIZE(w.chars)) {
                PyErr_SetString(PyExc_ValueError, "a run of characters past the page's list");
                return NULL;
            }
        }
        w.runs = (const Run *)PyBytes_AS_STRING(packed);
        w.grouped = 0;
    }
    w.spaces = NULL;
    if (spaces_value != Py_None) {
        if (!PyArg_ParseTuple(spaces_value, "O!O!O!O", &PyList_Type, &spaces.lone_spaces,
                              &PyDict_Type, &spaces.font_facts, &PyDict_Type, &spaces.fonts,
                              &spaces.ideographic))
            return NULL;
        if (spaces.ideographic == Py_None) {
            spaces.ideographic = NULL;
        } else if (!PyDict_Check(spaces.ideographic)) {
            PyErr_SetString(PyExc_TypeError, "the ideographic spaces' cache is not a dict");
            return NULL;
        }
        w.spaces = &spaces;
    }
    if (!PyArg_ParseTuple(ctm, "dddddd", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]))
        return NULL;
    if (page_count_objects == NULL || count_segments == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "_pdfium_chars.init_walk or init_paths was not called");
        return NULL;
    }
    if (walk_objects(&w, (void *)(uintptr_t)page_address, 0, m, ctm, 0) < 0 || group_rest(&w) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* fix_glyph_boxes(chars, height, offset, initial_doctop, ascent, one) -> None
 *
 * yusuan/extract/pdf.py fix_glyph_boxes's loop over a page's characters (a box rebuilt from
 * the baseline where the font's descent puts the glyph below it), the same tests and
 * operations in the same order. A character whose matrix, size or top is not floats (a dict
 * pdfminer made of ints, say) goes to ``one(char)``, the Python loop for that character. */
static PyObject *py_fix_glyph_boxes(PyObject *self, PyObject *args)
{
    PyObject *chars, *one;
    double height, offset, doctop, ascent;
    if (!PyArg_ParseTuple(args, "O!ddddO", &PyList_Type, &chars, &height, &offset, &doctop, &ascent, &one))
        return NULL;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(chars); i++) {
        PyObject *char_dict = PyList_GET_ITEM(chars, i);
        Py_INCREF(char_dict);
        int fast = PyDict_CheckExact(char_dict), failed = 0;
        PyObject *matrix = fast ? PyDict_GetItemWithError(char_dict, keys[K_MATRIX]) : NULL;
        PyObject *size_value = NULL, *top_value = NULL;
        if (fast && matrix == NULL) { /* no matrix: left as it is */
            failed = PyErr_Occurred() != NULL;
            Py_DECREF(char_dict);
            if (failed)
                return NULL;
            continue;
        }
        if (fast) {
            fast = PyTuple_CheckExact(matrix) && PyTuple_GET_SIZE(matrix) == 6;
            for (int k = 0; fast && k < 6; k++)
                fast = PyFloat_CheckExact(PyTuple_GET_ITEM(matrix, k));
        }
        if (fast) {
            size_value = PyDict_GetItemWithError(char_dict, keys[K_SIZE]);
            top_value = size_value ? PyDict_GetItemWithError(char_dict, keys[K_TOP]) : NULL;
            fast = top_value != NULL && PyFloat_CheckExact(size_value) && PyFloat_CheckExact(top_value);
            if (PyErr_Occurred()) {
                Py_DECREF(char_dict);
                return NULL;
            }
        }
        if (!fast) {
            PyObject *result = PyObject_CallOneArg(one, char_dict);
            Py_DECREF(char_dict);
            if (result == NULL)
                return NULL;
            Py_DECREF(result);
            continue;
        }
        double m0 = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(matrix, 0)), m1 = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(matrix, 1));
        double m2 = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(matrix, 2)), m3 = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(matrix, 3));
        double m5 = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(matrix, 5));
        /* read before ``upright``'s truth, which could run Python code for an odd value */
        double size = PyFloat_AS_DOUBLE(size_value), char_top = PyFloat_AS_DOUBLE(top_value);
        PyObject *upright = PyDict_GetItemWithError(char_dict, keys[K_UPRIGHT]);
        int is_upright = upright == NULL ? (PyErr_Occurred() ? -1 : 0) : PyObject_IsTrue(upright);
        if (is_upright < 0) {
            Py_DECREF(char_dict);
            return NULL;
        }
        /* a tuple of six is true; the tests of the Python loop, in its order */
        if (!is_upright || m1 != 0.0 || m2 != 0.0 || m0 <= 0 || m3 <= 0) {
            Py_DECREF(char_dict);
            continue;
        }
        double baseline = height - m5 + offset;
        if (char_top > baseline - 0.5 * size) {
            double top = baseline - ascent * size, bottom = baseline + (1 - ascent) * size;
            failed = set_float(char_dict, K_TOP, top) < 0 || set_float(char_dict, K_BOTTOM, bottom) < 0 ||
                     set_float(char_dict, K_DOCTOP, doctop + top) < 0 ||
                     set_float(char_dict, K_Y0, height - bottom + offset) < 0 ||
                     set_float(char_dict, K_Y1, height - top + offset) < 0;
        }
        Py_DECREF(char_dict);
        if (failed)
            return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"init", py_init, METH_VARARGS, "The addresses of the nine PDFium text and font functions, once."},
    {"read_chars", py_read_chars, METH_VARARGS, "PdfiumPage._read_chars's loop over one text page."},
    {"init_paths", py_init_paths, METH_VARARGS, "The addresses of the five PDFium path functions, once."},
    {"path_shapes", py_path_shapes, METH_VARARGS, "pdfium.path_shapes's segment loop and _classify."},
    {"init_walk", py_init_walk, METH_VARARGS, "The addresses of the seven PDFium page object functions, once."},
    {"walk", py_walk, METH_VARARGS, "PdfiumPage._walk over a whole page, forms included."},
    {"init_clip", py_init_clip, METH_VARARGS, "The addresses of the four PDFium clip path functions, once."},
    {"exceeds_clip", py_exceeds_clip, METH_O, "pdfium_clip.exceeds_clip of the object at an address: its clip box, or None."},
    {"init_spaces", py_init_spaces, METH_VARARGS, "The addresses of the two PDFium functions a lone space needs, once."},
    {"fix_glyph_boxes", py_fix_glyph_boxes, METH_VARARGS, "pdf.fix_glyph_boxes's loop over a page's characters."},
    {"group_runs", py_group_runs, METH_VARARGS, "The characters of packed runs grouped by text object (read_chars's by_object)."},
    {"unpack_trace", py_unpack_trace, METH_O, "pdfium_native.unpack_trace's tuples from a packed trace."},
    {"advances_differ", py_advances_differ, METH_VARARGS, "PdfiumPage._advances_differ over a packed trace's unasked boxes."},
    {"set_char_objects", py_set_char_objects, METH_O, "Make Chars (True, the default) or the dicts they stand for (False)."},
    {"set_lazy_numbers", py_set_lazy_numbers, METH_O, "Chars hold x0, x1 and width as doubles, their floats made when read (True, the default), or as floats (False)."},
    {"round4", py_round4, METH_O, "Python's round(x, 4), as the loop computes it."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_pdfium_chars",
    "PDFium's characters of a text page read in C (yusuan/extract/pdfium_native.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__pdfium_chars(void)
{
    for (int i = 0; i < N_KEYS; i++) {
        if (keys[i] == NULL && (keys[i] = PyUnicode_InternFromString(key_names[i])) == NULL)
            return NULL;
    }
    if (char_type == NULL && (char_type = PyUnicode_InternFromString("char")) == NULL)
        return NULL;
    if (line_name == NULL && (line_name = PyUnicode_InternFromString("line")) == NULL)
        return NULL;
    if (rect_name == NULL && (rect_name = PyUnicode_InternFromString("rect")) == NULL)
        return NULL;
    if (curve_name == NULL && (curve_name = PyUnicode_InternFromString("curve")) == NULL)
        return NULL;
    if (make_templates() < 0)
        return NULL;
    if (key_tuple == NULL) {
        if ((key_tuple = PyTuple_New(CH_FIELDS)) == NULL)
            return NULL;
        for (int k = 0; k < CH_FIELDS; k++)
            PyTuple_SET_ITEM(key_tuple, k, Py_NewRef(keys[k]));
    }
    if (PyType_Ready(&CharType) < 0)
        return NULL;
    PyObject *made = PyModule_Create(&module);
    if (made != NULL && PyModule_AddObjectRef(made, "Char", (PyObject *)&CharType) < 0)
        Py_CLEAR(made);
    return made;
}

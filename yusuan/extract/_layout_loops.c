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
 * upright_words, cell_text: a page's (or a cell's) upright characters clustered into lines
 * by top, each line sorted by x0 and cut into words (plumber_equivalents._words), and a
 * cell's text from them (plumber_equivalents.extract_text).
 *
 * smallest_cells, frame_cells, outside, line_words: html_positioned.smallest_cells and
 * pdf._without_frames' search, pdf._outside, pdf._words, each the same test in the same order.
 *
 * table_edges: the rulings of a page snapped, joined and filtered (plumber_equivalents.table_edges),
 * the snapping's means taken with the interpreter's own sum() (its rounding differs between
 * Python versions) and every other sum, difference and comparison on the same doubles.
 *
 * within_box: the objects of a page within its box (plumber_equivalents.within_bbox), the same
 * comparisons and differences on the same doubles.
 *
 * cells_to_tables (in _layout_tables.c, compiled into this extension): a page's cells grouped
 * into tables (plumber_equivalents.cells_to_tables); close_char_runs (in _close_chars.c): the
 * characters of a page that may be duplicates (close_chars); table_text and table_grid (in
 * _layout_table_text.c): the text of a table's cells (pdf.extract_table) and a table's whole
 * grid, its rows, texts, covered marks and column bounds (pdf.table_to_grid).
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

#include "_layout_loops.h"
#include "_layout_sort.h"

#define WORD_X_TOLERANCE 3.0 /* pdfplumber.utils.text.DEFAULT_X_TOLERANCE */
#define WORD_Y_TOLERANCE 3.0 /* pdfplumber.utils.text.DEFAULT_Y_TOLERANCE */

typedef struct {
    double along, end, across, top;
    PyObject *object;     /* borrowed: the character (its list holds it) */
    PyObject *top_object; /* borrowed: the dict holds it while the line's list holds the dict */
    PyObject *along_object, *end_object, *text; /* borrowed, as top_object; along and end NULL
                                                   where a Char holds them as doubles (facts_float) */
    PyObject **keys;      /* the keys they were read by (read_facts') */
    int kind;             /* 0: a letter, 1: whitespace (str.isspace), 2: the empty text */
} Facts;

/* The float object of a character's along (k 0) or end (k 1): read_facts', or the one its Char
 * makes from its double. Borrowed; NULL with an error where it cannot be made. */
static PyObject *facts_float(const Facts *f, int k) {
    PyObject *object = k == 0 ? f->along_object : f->end_object;
    return object != NULL ? object : layout_item(f->object, f->keys[k]);
}

typedef struct {
    double key;
    Py_ssize_t index;
} Keyed;

/* By key, ties by index: for finite keys the order of Python's stable sort by key (the
 * test of the comparison qsort was given, "a before b" when it was below 0). */
LAYOUT_STABLE_SORT(sort_keyed, Keyed, a->key < b->key ? 1 : a->key > b->key ? 0 : a->index < b->index)

/* The same order through qsort, for keys that may not be numbers (a NaN): the sort above
 * needs a consistent order to give qsort's. */
static int by_key_then_index(const void *a, const void *b) {
    const Keyed *x = a, *y = b;
    if (x->key < y->key) return -1;
    if (x->key > y->key) return 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* A word of upright_facts: its characters, members[start:end] of its Upright, and its top. */
typedef struct {
    Py_ssize_t start, end;
    double top;           /* the smallest top of its characters */
    PyObject *top_object; /* borrowed: the first character's of that top */
} Span;

/* The words' lines: each word's line number, the words clustered by their tops (all finite:
 * the characters' tops) as pdfplumber's cluster_objects does, the lines numbered in the order
 * of their tops; *lines is their count. A new array the caller frees, or NULL with
 * MemoryError set. */
static Py_ssize_t *top_clusters(const Span *words, Py_ssize_t count, Py_ssize_t *lines) {
    Keyed *keyed = PyMem_Malloc((count ? count : 1) * sizeof(Keyed));
    Py_ssize_t *cluster_of = PyMem_Malloc((count ? count : 1) * sizeof(Py_ssize_t));
    if (keyed == NULL || cluster_of == NULL) {
        PyMem_Free(keyed);
        PyMem_Free(cluster_of);
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        keyed[i].key = words[i].top;
        keyed[i].index = i;
    }
    sort_keyed(keyed, count); /* the tops of words: finite */
    Py_ssize_t cluster = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (i && !(keyed[i].key <= keyed[i - 1].key + WORD_Y_TOLERANCE)) cluster++;
        cluster_of[keyed[i].index] = cluster;
    }
    *lines = count ? cluster + 1 : 0;
    PyMem_Free(keyed);
    return cluster_of;
}

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
    if (!layout_readable(char_dict)) return 0;
    double values[4];
    PyObject *objects[4];
    int is_char = !PyDict_CheckExact(char_dict);
    for (int k = 0; k < 4; k++) { /* a key named twice (upright_facts' top) read once */
        if (k && keys[k] == keys[k - 1] && (k < 3 || objects[k - 1] != NULL)) {
            values[k] = values[k - 1];
            objects[k] = objects[k - 1];
            continue;
        }
        if (k < 3 && is_char) { /* along, end, across: a Char's double, no float made (facts_float);
                                   the top's object is kept (words hand it on) */
            int place = layout_char_field(keys[k]);
            if (place >= 0 && char_double((CharObject *)char_dict, place, &values[k])) {
                objects[k] = NULL;
                continue;
            }
        }
        PyObject *value = layout_item(char_dict, keys[k]);
        if (value == NULL || !PyFloat_CheckExact(value)) return 0;
        values[k] = PyFloat_AS_DOUBLE(value);
        objects[k] = value;
    }
    PyObject *text = layout_item(char_dict, keys[4]);
    if (text == NULL || !PyUnicode_CheckExact(text)) return 0;
    facts->object = char_dict;
    facts->keys = keys;
    facts->along_object = objects[0];
    facts->end_object = objects[1];
    facts->top_object = objects[3];
    facts->text = text;
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

/* By line (cluster number), then x0, then page order; and by top, then page order (the
 * tests of the comparisons qsort was given; tops and x0s finite). */
LAYOUT_STABLE_SORT(sort_by_line_then_x0, Placed,
                   a->cluster != b->cluster ? a->cluster < b->cluster : a->x0 < b->x0 ? 1 : a->x0 > b->x0 ? 0 : a->index < b->index)
LAYOUT_STABLE_SORT(sort_by_top_then_index, Placed,
                   a->facts->top < b->facts->top ? 1 : a->facts->top > b->facts->top ? 0 : a->index < b->index)

/* A page's (or a cell's) upright characters read once and cut into words (upright_facts). */
typedef struct {
    Py_ssize_t count;      /* characters */
    Facts *all;            /* their facts, in page order */
    Placed *placed;        /* by line, then x0 */
    Facts **members;       /* the words' characters, word after word */
    Span *words;           /* the words, in order */
    Py_ssize_t word_count, member_count;
} Upright;

static void free_upright(Upright *u) {
    PyMem_Free(u->all);
    PyMem_Free(u->placed);
    PyMem_Free(u->members);
    PyMem_Free(u->words);
}

/* A new word of u holding the character f. */
static Span *open_word(Upright *u, Facts *f) {
    Span *word = &u->words[u->word_count++];
    word->start = u->member_count;
    u->members[u->member_count++] = f;
    word->end = u->member_count;
    word->top = f->top;
    word->top_object = f->top_object;
    return word;
}

/* One line's characters, placed[from:to] in reading order, cut into words of u:
 * split_facts' loop (plumber_equivalents._split_line) with the words as spans of members. */
static void split_spans(Upright *u, Py_ssize_t from, Py_ssize_t to) {
    Span *current = NULL;
    double last_along = 0.0, last_end = 0.0, last_across = 0.0;
    for (Py_ssize_t i = from; i < to; i++) {
        Facts *f = u->placed[i].facts;
        if (f->kind == 1) { /* a space ends the word */
            current = NULL;
        } else if (f->kind == 2) { /* an empty character: a word of its own */
            current = NULL;
            open_word(u, f);
        } else if (current != NULL && (f->along < last_along || f->along > last_end + WORD_X_TOLERANCE || fabs(f->across - last_across) > WORD_Y_TOLERANCE)) {
            current = open_word(u, f);
        } else if (current != NULL) { /* the last word opened: its characters end the members */
            u->members[u->member_count++] = f;
            current->end = u->member_count;
            if (f->top < current->top) {
                current->top = f->top;
                current->top_object = f->top_object;
            }
        } else {
            current = open_word(u, f);
        }
        last_along = f->along;
        last_end = f->end;
        last_across = f->across;
    }
}

/* upright_facts: plumber_equivalents._words for characters that are all upright (``upright``
 * is True): the tops clustered (sorted distinct values chained while each is within 3 of the
 * one before), each cluster's characters sorted by x0 (stably: ties in page order) and cut
 * into words; the clusters in the order of their values. Each character's facts are read once
 * (x0, x1, top, text, upright) and kept with their objects for the callers. 1 with u filled
 * (free_upright it), 0 when a character is not upright, not an exact dict of float positions
 * and a str text, or a top or x0 is not finite (no order to sort by): then the Python code
 * runs; -1 on an error. */
static int upright_facts(PyObject *chars, Upright *u) {
    memset(u, 0, sizeof(*u));
    if (!PyList_CheckExact(chars)) return 0;
    static PyObject *keys[5] = {NULL, NULL, NULL, NULL, NULL};
    static PyObject *upright_key = NULL;
    if (upright_key == NULL) {
        const char *spelt[5] = {"x0", "x1", "top", "top", "text"};
        for (int k = 0; k < 5; k++) {
            keys[k] = PyUnicode_InternFromString(spelt[k]);
            if (keys[k] == NULL) return -1;
        }
        upright_key = PyUnicode_InternFromString("upright");
        if (upright_key == NULL) return -1;
    }
    Py_ssize_t count = PyList_GET_SIZE(chars), size = count ? count : 1;
    u->count = count;
    u->all = PyMem_Malloc(size * sizeof(Facts));
    u->placed = PyMem_Malloc(size * sizeof(Placed));
    u->members = PyMem_Malloc(size * sizeof(Facts *));
    u->words = PyMem_Malloc(size * sizeof(Span));
    if (u->all == NULL || u->placed == NULL || u->members == NULL || u->words == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < count; i++) { /* every character checked before anything is built */
        Facts *f = &u->all[i];
        if (!read_facts(PyList_GET_ITEM(chars, i), keys, f)) return PyErr_Occurred() ? -1 : 0;
        PyObject *upright = layout_item(f->object, upright_key);
        if (upright != Py_True || !isfinite(f->top) || !isfinite(f->along)) return PyErr_Occurred() ? -1 : 0;
        u->placed[i].x0 = f->along;
        u->placed[i].index = i;
        u->placed[i].facts = f;
    }
    /* cluster numbers: the tops sorted, a new cluster where one is more than 3 past the last */
    Placed *placed = u->placed;
    sort_by_top_then_index(placed, count);
    Py_ssize_t cluster = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (i && !(placed[i].facts->top <= placed[i - 1].facts->top + WORD_Y_TOLERANCE)) cluster++;
        placed[i].cluster = cluster;
    }
    sort_by_line_then_x0(placed, count);
    Py_ssize_t start = 0;
    for (Py_ssize_t i = 1; i <= count; i++) {
        if (i == count || placed[i].cluster != placed[start].cluster) {
            split_spans(u, start, i);
            start = i;
        }
    }
    return 1;
}

/* upright_words(chars) -> list of (top, [chars]) or None: upright_facts' words as Python
 * lists (plumber_equivalents._words), None for the Python code. */
static PyObject *upright_words_of(PyObject *chars) {
    Upright u;
    int read = upright_facts(chars, &u);
    PyObject *words = NULL;
    if (read <= 0) {
        if (read == 0) words = Py_NewRef(Py_None);
        goto done;
    }
    words = PyList_New(u.word_count);
    for (Py_ssize_t w = 0; words != NULL && w < u.word_count; w++) {
        const Span *span = &u.words[w];
        PyObject *members = PyList_New(span->end - span->start);
        if (members == NULL) {
            Py_CLEAR(words);
            break;
        }
        for (Py_ssize_t k = span->start; k < span->end; k++) PyList_SET_ITEM(members, k - span->start, Py_NewRef(u.members[k]->object));
        PyObject *pair = PyTuple_Pack(2, span->top_object, members);
        Py_DECREF(members);
        if (pair == NULL) {
            Py_CLEAR(words);
            break;
        }
        PyList_SET_ITEM(words, w, pair);
    }
done:
    free_upright(&u);
    return words;
}

static PyObject *upright_words(PyObject *self, PyObject *args) {
    PyObject *chars;
    if (!PyArg_ParseTuple(args, "O", &chars)) return NULL;
    return upright_words_of(chars);
}

/* The texts of a word's characters (members[0:count], read by upright_facts) in a new list. */
static PyObject *member_texts(Facts *const *members, Py_ssize_t count) {
    PyObject *texts = PyList_New(count);
    if (texts == NULL) return NULL;
    for (Py_ssize_t i = 0; i < count; i++) PyList_SET_ITEM(texts, i, Py_NewRef(members[i]->text));
    return texts;
}

/* Whether a letter of text is one of letters. */
static int has_letter_of(PyObject *text, PyObject *letters) {
    Py_ssize_t length = PyUnicode_GET_LENGTH(text), letter_count = PyUnicode_GET_LENGTH(letters);
    int kind = PyUnicode_KIND(text), letter_kind = PyUnicode_KIND(letters);
    const void *data = PyUnicode_DATA(text), *letter_data = PyUnicode_DATA(letters);
    for (Py_ssize_t i = 0; i < length; i++) {
        Py_UCS4 point = PyUnicode_READ(kind, data, i);
        for (Py_ssize_t j = 0; j < letter_count; j++)
            if (PyUnicode_READ(letter_kind, letter_data, j) == point) return 1;
    }
    return 0;
}

/* A word's letters (plumber_equivalents._word_text): the texts of its characters
 * (members[0:count], at least one) joined; when a letter of the joined text is one of
 * ``letters`` (those of the ligatures), each text spelt by ``ligatures`` (a text not in it
 * kept as it is, an empty one as ""). A word of one character: its text itself, as str.join
 * of one str gives it. New reference, NULL on error. */
static PyObject *word_text(Facts *const *members, Py_ssize_t count, PyObject *ligatures, PyObject *letters, PyObject *nothing) {
    PyObject *texts = NULL, *joined;
    if (count == 1) {
        joined = Py_NewRef(members[0]->text);
    } else {
        if ((texts = member_texts(members, count)) == NULL) return NULL;
        joined = PyUnicode_Join(nothing, texts);
        if (joined == NULL) {
            Py_DECREF(texts);
            return NULL;
        }
    }
    if (!has_letter_of(joined, letters)) {
        Py_XDECREF(texts);
        return joined;
    }
    Py_DECREF(joined);
    if (texts == NULL && (texts = member_texts(members, count)) == NULL) return NULL;
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *text = PyList_GET_ITEM(texts, i);
        PyObject *spelt = PyDict_GetItemWithError(ligatures, text);
        if (spelt == NULL && PyErr_Occurred()) {
            Py_DECREF(texts);
            return NULL;
        }
        if (spelt != NULL) { /* LIGATURES.get(text, text or ""): its spelling */
            Py_INCREF(spelt);
            PyList_SetItem(texts, i, spelt);
        }
    }
    joined = PyUnicode_Join(nothing, texts);
    Py_DECREF(texts);
    return joined;
}

/* word_text of one of upright_facts' words. */
static PyObject *span_text(const Upright *u, const Span *word, PyObject *ligatures, PyObject *letters, PyObject *nothing) {
    return word_text(u->members + word->start, word->end - word->start, ligatures, letters, nothing);
}

/* cell_text(chars, ligatures, letters) -> str, or None.
 * plumber_equivalents.extract_text for upright characters (``upright`` True, float positions,
 * finite tops and x0s, str texts): the words of upright_words; one word: its letters; else
 * the words' lines (their tops clustered: sorted distinct values chained while within 3 of
 * the one before; the words of a line in their order) joined, words by a space, lines by a
 * newline. ``ligatures``: pdfplumber's LIGATURES; ``letters``: their letters, as a str. None,
 * for the Python code, for other characters. */
static PyObject *cell_text(PyObject *self, PyObject *args) {
    PyObject *chars, *ligatures, *letters;
    if (!PyArg_ParseTuple(args, "OO!U", &chars, &PyDict_Type, &ligatures, &letters)) return NULL;
    return layout_cell_text(chars, ligatures, letters);
}

/* cell_text's work, for the callers in the other files of the extension (_layout_table_text.c):
 * ``ligatures`` an exact dict, ``letters`` a str. */
PyObject *layout_cell_text(PyObject *chars, PyObject *ligatures, PyObject *letters) {
    static PyObject *nothing = NULL, *space = NULL, *newline = NULL;
    if (nothing == NULL) {
        nothing = PyUnicode_FromString("");
        space = PyUnicode_FromString(" ");
        newline = PyUnicode_FromString("\n");
        if (nothing == NULL || space == NULL || newline == NULL) return NULL;
    }
    if (PyList_CheckExact(chars) && PyList_GET_SIZE(chars) == 0) {
        Py_INCREF(nothing);
        return nothing;
    }
    Upright u;
    int read = upright_facts(chars, &u);
    PyObject *result = NULL, *line_texts = NULL, *word_texts = NULL;
    Py_ssize_t *cluster_of = NULL, count = u.word_count;
    if (read <= 0) {
        if (read == 0) result = Py_NewRef(Py_None);
        goto done;
    }
    if (count == 0) { /* spaces only: no line */
        result = Py_NewRef(nothing);
        goto done;
    }
    if (count == 1) {
        result = span_text(&u, &u.words[0], ligatures, letters, nothing);
        goto done;
    }
    Py_ssize_t clusters = 0;
    cluster_of = top_clusters(u.words, count, &clusters);
    if (cluster_of == NULL) goto done;
    line_texts = PyList_New(0);
    word_texts = PyList_New(0);
    if (line_texts == NULL || word_texts == NULL) goto done;
    for (Py_ssize_t line = 0; line < clusters; line++) {
        if (PyList_SetSlice(word_texts, 0, PY_SSIZE_T_MAX, NULL) < 0) goto done;
        for (Py_ssize_t i = 0; i < count; i++) {
            if (cluster_of[i] != line) continue;
            PyObject *spelt = span_text(&u, &u.words[i], ligatures, letters, nothing);
            if (spelt == NULL || PyList_Append(word_texts, spelt) < 0) {
                Py_XDECREF(spelt);
                goto done;
            }
            Py_DECREF(spelt);
        }
        PyObject *joined = PyUnicode_Join(space, word_texts);
        if (joined == NULL || PyList_Append(line_texts, joined) < 0) {
            Py_XDECREF(joined);
            goto done;
        }
        Py_DECREF(joined);
    }
    result = PyUnicode_Join(newline, line_texts);
done:
    free_upright(&u);
    Py_XDECREF(line_texts);
    Py_XDECREF(word_texts);
    PyMem_Free(cluster_of);
    return result;
}

/* A float value of a dict by key, or 0 when the dict lacks it or it is not an exact float. */
static int float_of(PyObject *dict, PyObject *key, double *value) {
    return layout_float(dict, key, value);
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
        if (!layout_readable(char_dict) || !float_of(char_dict, names[0], &top) || !float_of(char_dict, names[1], &bottom)
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
    sort_keyed(keyed, count); /* the middles: finite */
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

/* ------------------------------------------------------------------ smallest cells */

typedef struct {
    double x, y;
    PyObject *key; /* borrowed: the crossing's (x, y) tuple (the dict holds it) */
    PyObject *lists[2]; /* borrowed: its "v" and "h" edge lists */
    Py_ssize_t v_start, v_count, h_start, h_count; /* its edges' box numbers in numbers[] */
    double down_to, right_to;
    Py_ssize_t column_start, column_end, column_at; /* its column: sorted[column_start:column_end] */
    Py_ssize_t row_start, row_end, row_at;          /* its row: by_row[row_start:row_end] */
} Crossing;

typedef struct {
    double x0, top, x1, bottom;
    Py_ssize_t slot; /* where its number goes in numbers[] */
} EdgeBox;

static int by_point(const void *a, const void *b) {
    const Crossing *x = a, *y = b;
    if (x->x != y->x) return x->x < y->x ? -1 : 1;
    if (x->y != y->y) return x->y < y->y ? -1 : 1;
    return 0;
}

static int by_box(const void *a, const void *b) {
    const EdgeBox *x = a, *y = b;
    if (x->x0 != y->x0) return x->x0 < y->x0 ? -1 : 1;
    if (x->top != y->top) return x->top < y->top ? -1 : 1;
    if (x->x1 != y->x1) return x->x1 < y->x1 ? -1 : 1;
    if (x->bottom != y->bottom) return x->bottom < y->bottom ? -1 : 1;
    return 0;
}

static Crossing *crossings_sorted; /* for by_row: the crossings, sorted by point */

static int by_row(const void *a, const void *b) {
    const Crossing *x = &crossings_sorted[*(const Py_ssize_t *)a], *y = &crossings_sorted[*(const Py_ssize_t *)b];
    if (x->y != y->y) return x->y < y->y ? -1 : 1;
    if (x->x != y->x) return x->x < y->x ? -1 : 1;
    return 0;
}

static int finite_float(PyObject *value, double *out) {
    if (!PyFloat_CheckExact(value)) return 0;
    *out = PyFloat_AS_DOUBLE(value);
    return isfinite(*out);
}

static int share(const Py_ssize_t *numbers, Py_ssize_t a_start, Py_ssize_t a_count, Py_ssize_t b_start, Py_ssize_t b_count) {
    for (Py_ssize_t i = 0; i < a_count; i++)
        for (Py_ssize_t j = 0; j < b_count; j++)
            if (numbers[a_start + i] == numbers[b_start + j]) return 1;
    return 0;
}

/* The crossing at exactly (x, y), by bisection in the crossings sorted by point; -1 if none. */
static Py_ssize_t crossing_at(const Crossing *crossings, Py_ssize_t count, double x, double y) {
    Py_ssize_t low = 0, high = count;
    while (low < high) {
        Py_ssize_t middle = low + (high - low) / 2;
        const Crossing *c = &crossings[middle];
        if (c->x < x || (c->x == x && c->y < y)) low = middle + 1;
        else high = middle;
    }
    return low < count && crossings[low].x == x && crossings[low].y == y ? low : -1;
}

/* smallest_cells(intersections, tolerance, max_steps) -> list of cells, or None.
 * html_positioned.smallest_cells on finite crossings: for every crossing (in sorted order),
 * the first box found down its column and along its row whose four corners are joined by
 * shared edges (an edge's box compared by its four positions). None, for the Python code,
 * when a key is not a pair of finite floats, an edge not a dict of finite float positions, a
 * crossing not {"v": [...], "h": [...]}, or the search would pass max_steps (Python raises). */
static PyObject *smallest_cells(PyObject *self, PyObject *args) {
    PyObject *intersections;
    double tolerance;
    Py_ssize_t max_steps;
    if (!PyArg_ParseTuple(args, "O!dn", &PyDict_Type, &intersections, &tolerance, &max_steps)) return NULL;
    static PyObject *names[6] = {NULL};
    if (names[0] == NULL) {
        const char *spelt[6] = {"x0", "top", "x1", "bottom", "v", "h"};
        for (int k = 0; k < 6; k++) {
            names[k] = PyUnicode_InternFromString(spelt[k]);
            if (names[k] == NULL) return NULL;
        }
    }
    Py_ssize_t count = PyDict_GET_SIZE(intersections), edge_total = 0;
    Crossing *crossings = PyMem_Calloc(count ? count : 1, sizeof(Crossing));
    Py_ssize_t *by_rows = PyMem_Malloc((count ? count : 1) * sizeof(Py_ssize_t));
    EdgeBox *boxes = NULL;
    Py_ssize_t *numbers = NULL;
    PyObject *cells = NULL;
    int readable = crossings != NULL && by_rows != NULL;
    if (!readable) {
        PyErr_NoMemory();
        goto done;
    }
    /* the crossings and how many edges they list */
    Py_ssize_t position = 0, i = 0;
    PyObject *key, *value;
    while (readable && PyDict_Next(intersections, &position, &key, &value)) {
        Crossing *c = &crossings[i++];
        PyObject *v, *h;
        if (!PyTuple_CheckExact(key) || PyTuple_GET_SIZE(key) != 2 || !finite_float(PyTuple_GET_ITEM(key, 0), &c->x)
            || !finite_float(PyTuple_GET_ITEM(key, 1), &c->y) || !PyDict_CheckExact(value)
            || (v = PyDict_GetItemWithError(value, names[4])) == NULL || !PyList_CheckExact(v) || PyList_GET_SIZE(v) == 0
            || (h = PyDict_GetItemWithError(value, names[5])) == NULL || !PyList_CheckExact(h) || PyList_GET_SIZE(h) == 0) {
            readable = 0;
            break;
        }
        c->key = key;
        c->lists[0] = v;
        c->lists[1] = h;
        c->v_start = edge_total;
        c->v_count = PyList_GET_SIZE(v);
        c->h_start = edge_total + c->v_count;
        c->h_count = PyList_GET_SIZE(h);
        edge_total += c->v_count + c->h_count;
    }
    if (!readable) goto done;
    boxes = PyMem_Malloc((edge_total ? edge_total : 1) * sizeof(EdgeBox));
    numbers = PyMem_Malloc((edge_total ? edge_total : 1) * sizeof(Py_ssize_t));
    if (boxes == NULL || numbers == NULL) {
        PyErr_NoMemory();
        readable = 0;
        goto done;
    }
    /* every listed edge's box; each crossing's reach down its verticals and along its horizontals */
    for (i = 0; readable && i < count; i++) {
        Crossing *c = &crossings[i];
        for (int side = 0; readable && side < 2; side++) {
            PyObject *edges = c->lists[side];
            Py_ssize_t start = side ? c->h_start : c->v_start, n = side ? c->h_count : c->v_count;
            double reach = 0.0;
            if (PyList_GET_SIZE(edges) != n) { /* changed under us: a dict lookup ran Python code */
                readable = 0;
                break;
            }
            for (Py_ssize_t k = 0; k < n; k++) {
                PyObject *edge = PyList_GET_ITEM(edges, k);
                EdgeBox *box = &boxes[start + k];
                PyObject *x0, *top, *x1, *bottom;
                if (!PyDict_CheckExact(edge) || (x0 = PyDict_GetItemWithError(edge, names[0])) == NULL || !finite_float(x0, &box->x0)
                    || (top = PyDict_GetItemWithError(edge, names[1])) == NULL || !finite_float(top, &box->top)
                    || (x1 = PyDict_GetItemWithError(edge, names[2])) == NULL || !finite_float(x1, &box->x1)
                    || (bottom = PyDict_GetItemWithError(edge, names[3])) == NULL || !finite_float(bottom, &box->bottom)) {
                    readable = 0;
                    break;
                }
                box->slot = start + k;
                double end = side ? box->x1 : box->bottom;
                if (k == 0 || end > reach) reach = end; /* max(): the first of equal values, the same value */
            }
            if (side) c->right_to = reach + tolerance;
            else c->down_to = reach + tolerance;
        }
    }
    if (!readable) goto done;
    /* box numbers: equal boxes (all four positions equal) one number */
    qsort(boxes, (size_t)edge_total, sizeof(EdgeBox), by_box);
    Py_ssize_t number = 0;
    for (Py_ssize_t k = 0; k < edge_total; k++) {
        if (k && by_box(&boxes[k - 1], &boxes[k]) != 0) number++;
        numbers[boxes[k].slot] = number;
    }
    /* the crossings in sorted order; columns (equal x) are runs of it, rows (equal y) runs of by_rows */
    qsort(crossings, (size_t)count, sizeof(Crossing), by_point);
    for (i = 0; i < count;) {
        Py_ssize_t end = i + 1;
        while (end < count && crossings[end].x == crossings[i].x) end++;
        for (Py_ssize_t k = i; k < end; k++) {
            crossings[k].column_start = i;
            crossings[k].column_end = end;
            crossings[k].column_at = k;
        }
        i = end;
    }
    for (i = 0; i < count; i++) by_rows[i] = i;
    crossings_sorted = crossings;
    qsort(by_rows, (size_t)count, sizeof(Py_ssize_t), by_row);
    for (i = 0; i < count;) {
        Py_ssize_t end = i + 1;
        while (end < count && crossings[by_rows[end]].y == crossings[by_rows[i]].y) end++;
        for (Py_ssize_t k = i; k < end; k++) {
            Crossing *c = &crossings[by_rows[k]];
            c->row_start = i;
            c->row_end = end;
            c->row_at = k;
        }
        i = end;
    }
    cells = PyList_New(0);
    if (cells == NULL) goto done;
    Py_ssize_t steps = 0;
    for (i = 0; i < count; i++) {
        const Crossing *c = &crossings[i];
        Py_ssize_t found_right = -1, found_below = -1;
        for (Py_ssize_t below = c->column_at + 1; below < c->column_end && found_right < 0; below++) {
            const Crossing *b = &crossings[below];
            if (b->y > c->down_to) break;
            if (!share(numbers, c->v_start, c->v_count, b->v_start, b->v_count)) continue;
            for (Py_ssize_t right_at = c->row_at + 1; right_at < c->row_end; right_at++) {
                const Crossing *r = &crossings[by_rows[right_at]];
                if (++steps > max_steps) { /* Python's loop raises the error */
                    Py_CLEAR(cells);
                    cells = Py_None;
                    Py_INCREF(cells);
                    goto done;
                }
                if (r->x > c->right_to) break;
                if (!share(numbers, c->h_start, c->h_count, r->h_start, r->h_count)) continue;
                Py_ssize_t corner = crossing_at(crossings, count, r->x, b->y);
                if (corner >= 0 && share(numbers, crossings[corner].v_start, crossings[corner].v_count, r->v_start, r->v_count)
                    && share(numbers, crossings[corner].h_start, crossings[corner].h_count, b->h_start, b->h_count)) {
                    found_right = by_rows[right_at];
                    found_below = below;
                    break;
                }
            }
        }
        if (found_right >= 0) {
            PyObject *cell = PyTuple_Pack(4, PyTuple_GET_ITEM(c->key, 0), PyTuple_GET_ITEM(c->key, 1),
                                          PyTuple_GET_ITEM(crossings[found_right].key, 0), PyTuple_GET_ITEM(crossings[found_below].key, 1));
            if (cell == NULL || PyList_Append(cells, cell) < 0) {
                Py_XDECREF(cell);
                Py_CLEAR(cells);
                goto done;
            }
            Py_DECREF(cell);
        }
    }
done:
    if (!readable && !PyErr_Occurred()) {
        cells = Py_None;
        Py_INCREF(cells);
    }
    PyMem_Free(crossings);
    PyMem_Free(by_rows);
    PyMem_Free(boxes);
    PyMem_Free(numbers);
    return cells;
}

/* ------------------------------------------------------------------ frame cells */

typedef struct {
    double x0, top, x1, bottom;
    Py_ssize_t index;
} Cell;

static int by_left_top_index(const void *a, const void *b) {
    const Cell *x = a, *y = b;
    if (x->x0 != y->x0) return x->x0 < y->x0 ? -1 : 1;
    if (x->top != y->top) return x->top < y->top ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* frame_cells(cells, max_steps) -> sorted list of the indices of frame cells, or None.
 * pdf._without_frames' search: a cell is a frame when two other cells lie within it (1 pt of
 * play on each side); the cells that may lie inside are those whose left edge is within the
 * cell's sides (each distinct left in order) and whose top is within its top and bottom,
 * visited in (left, top, index) order and counted to two; the steps counted as Python counts
 * them. None, for the Python code, when a cell is not a tuple of four finite floats or the
 * steps pass max_steps (Python raises). */
static PyObject *frame_cells(PyObject *self, PyObject *args) {
    PyObject *cells;
    Py_ssize_t max_steps;
    if (!PyArg_ParseTuple(args, "On", &cells, &max_steps)) return NULL;
    if (!PyList_CheckExact(cells)) Py_RETURN_NONE;
    Py_ssize_t count = PyList_GET_SIZE(cells);
    Cell *sorted = PyMem_Malloc((count ? count : 1) * sizeof(Cell));
    Cell *plain = PyMem_Malloc((count ? count : 1) * sizeof(Cell));
    Py_ssize_t *group_end = PyMem_Malloc((count ? count : 1) * sizeof(Py_ssize_t)); /* the end of each entry's left group */
    PyObject *frames = NULL;
    if (sorted == NULL || plain == NULL || group_end == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *cell = PyList_GET_ITEM(cells, i);
        double *v = &plain[i].x0;
        if (!PyTuple_CheckExact(cell) || PyTuple_GET_SIZE(cell) != 4) goto unreadable;
        for (int k = 0; k < 4; k++)
            if (!finite_float(PyTuple_GET_ITEM(cell, k), &v[k])) goto unreadable;
        plain[i].index = i;
        sorted[i] = plain[i];
    }
    qsort(sorted, (size_t)count, sizeof(Cell), by_left_top_index);
    for (Py_ssize_t i = count - 1; i >= 0; i--)
        group_end[i] = i + 1 < count && sorted[i + 1].x0 == sorted[i].x0 ? group_end[i + 1] : i + 1;
    frames = PyList_New(0);
    if (frames == NULL) goto done;
    Py_ssize_t steps = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        const Cell *outer = &plain[i];
        int inside = 0;
        /* the first entry whose left is >= x0 - 1 (bisect_left in the distinct lefts) */
        double low = outer->x0 - 1, high = outer->x1 + 1;
        Py_ssize_t a = 0, b = count;
        while (a < b) {
            Py_ssize_t m = a + (b - a) / 2;
            if (sorted[m].x0 < low) a = m + 1;
            else b = m;
        }
        for (Py_ssize_t start = a; start < count && !(high < sorted[start].x0); start = group_end[start]) {
            /* within the group: tops from top - 1 (bisect_left of (top - 1, -1)) to bottom + 1 */
            Py_ssize_t end = group_end[start], j = start;
            double from = outer->top - 1, to = outer->bottom + 1;
            Py_ssize_t lo = start, hi = end;
            while (lo < hi) {
                Py_ssize_t m = lo + (hi - lo) / 2;
                if (sorted[m].top < from) lo = m + 1;
                else hi = m;
            }
            for (j = lo; j < end && !(to < sorted[j].top); j++) {
                const Cell *inner = &sorted[j];
                steps++;
                int same = inner->x0 == outer->x0 && inner->top == outer->top && inner->x1 == outer->x1 && inner->bottom == outer->bottom;
                if (!same && outer->x0 <= inner->x0 + 1 && outer->top <= inner->top + 1 && outer->x1 >= inner->x1 - 1 && outer->bottom >= inner->bottom - 1) {
                    inside++;
                    if (inside >= 2) break;
                }
            }
            steps++;
            if (inside >= 2) {
                PyObject *index = PyLong_FromSsize_t(i);
                if (index == NULL || PyList_Append(frames, index) < 0) {
                    Py_XDECREF(index);
                    Py_CLEAR(frames);
                    goto done;
                }
                Py_DECREF(index);
                break;
            }
        }
        if (steps > max_steps) { /* Python raises the limit's error */
            Py_CLEAR(frames);
            goto unreadable;
        }
    }
    goto done;
unreadable:
    frames = Py_None;
    Py_INCREF(frames);
done:
    PyMem_Free(sorted);
    PyMem_Free(plain);
    PyMem_Free(group_end);
    return frames;
}

/* ------------------------------------------------------------------ a text line's words */

/* (x0, x1, text) of a word: its first character's x0 and its last one's x1 (the float objects,
 * made where a Char held them as doubles), and its text. New reference, NULL on error. */
static PyObject *word_of(PyObject *first, PyObject *last, PyObject *joined, PyObject *names[4]) {
    PyObject *x0 = layout_item(first, names[1]);
    PyObject *x1 = x0 ? layout_item(last, names[2]) : NULL;
    return x1 ? PyTuple_Pack(3, x0, x1, joined) : NULL;
}

/* line_words(chars) -> list of (x0, x1, text), or None.
 * pdf._words: a line's characters (in order) cut into words where the gap from the previous
 * character's x1 to the next one's x0 is more than max(size * 0.6, 2) of the previous one
 * (whitespace characters skipped); each word's x0 and x1 are its first character's x0 and its
 * last one's x1 (the same float objects). None, for the Python code, when a character is not
 * an exact dict with a str text and float x0, x1 and size. */
static PyObject *line_words(PyObject *self, PyObject *args) {
    PyObject *chars;
    if (!PyArg_ParseTuple(args, "O", &chars)) return NULL;
    if (!PyList_CheckExact(chars)) Py_RETURN_NONE;
    static PyObject *names[4] = {NULL};
    static PyObject *nothing = NULL;
    if (nothing == NULL) {
        const char *spelt[4] = {"text", "x0", "x1", "size"};
        for (int k = 0; k < 4; k++) {
            names[k] = PyUnicode_InternFromString(spelt[k]);
            if (names[k] == NULL) return NULL;
        }
        nothing = PyUnicode_FromString("");
        if (nothing == NULL) return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(chars);
    for (Py_ssize_t i = 0; i < count; i++) { /* every character checked before anything is built */
        PyObject *c = PyList_GET_ITEM(chars, i), *value;
        if (!layout_readable(c)) Py_RETURN_NONE;
        double number;
        if ((value = layout_item(c, names[0])) == NULL || !PyUnicode_CheckExact(value)) goto unreadable;
        for (int k = 1; k < 4; k++)
            if (!layout_float(c, names[k], &number)) goto unreadable;
    }
    PyObject *words = PyList_New(0), *texts = PyList_New(0);
    PyObject *first = NULL, *last = NULL; /* borrowed: the word's first character, its last */
    double last_value = 0.0, size = 0.0;
    if (words == NULL || texts == NULL) goto failed;
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *c = PyList_GET_ITEM(chars, i);
        PyObject *text = layout_item(c, names[0]);
        if (is_space(text)) continue;
        double x0_value;
        layout_float(c, names[1], &x0_value); /* checked above */
        if (PyList_GET_SIZE(texts)) {
            double product = size * 0.6;
            double gap = 2.0 > product ? 2.0 : product; /* max(size * 0.6, 2): the first unless the second is larger */
            if (x0_value - last_value > gap) {
                PyObject *joined = PyUnicode_Join(nothing, texts);
                PyObject *word = joined ? word_of(first, last, joined, names) : NULL;
                Py_XDECREF(joined);
                if (word == NULL || PyList_Append(words, word) < 0) {
                    Py_XDECREF(word);
                    goto failed;
                }
                Py_DECREF(word);
                if (PyList_SetSlice(texts, 0, PY_SSIZE_T_MAX, NULL) < 0) goto failed;
            }
        }
        if (!PyList_GET_SIZE(texts)) first = c;
        if (PyList_Append(texts, text) < 0) goto failed;
        last = c;
        layout_float(c, names[2], &last_value);
        layout_float(c, names[3], &size);
    }
    if (PyList_GET_SIZE(texts)) {
        PyObject *joined = PyUnicode_Join(nothing, texts);
        PyObject *word = joined ? word_of(first, last, joined, names) : NULL;
        Py_XDECREF(joined);
        if (word == NULL || PyList_Append(words, word) < 0) {
            Py_XDECREF(word);
            goto failed;
        }
        Py_DECREF(word);
    }
    Py_DECREF(texts);
    return words;
failed:
    Py_XDECREF(words);
    Py_XDECREF(texts);
    return NULL;
unreadable:
    if (PyErr_Occurred()) return NULL;
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------ lines outside the cells */

/* outside(lines, boxes) -> list of the lines whose centre lies in no box, or None.
 * pdf._outside's test, every line against every box: a line's centre ((x0 + x1) / 2,
 * (top + bottom) / 2) lies in a box when x0 <= x <= x1 and top <= y <= bottom (borders in; a
 * NaN anywhere is in nothing). Python's bands only skip boxes that cannot hold the centre, so
 * testing them all gives its answer. None, for the Python code, when a line is not an exact
 * dict of float positions or a box not a tuple of four floats. The caller bounds lines x boxes. */
static PyObject *outside(PyObject *self, PyObject *args) {
    PyObject *lines, *boxes;
    if (!PyArg_ParseTuple(args, "OO", &lines, &boxes)) return NULL;
    if (!PyList_CheckExact(lines) || !PyList_CheckExact(boxes)) Py_RETURN_NONE;
    static PyObject *names[4] = {NULL};
    if (names[0] == NULL) {
        const char *spelt[4] = {"x0", "x1", "top", "bottom"};
        for (int k = 0; k < 4; k++) {
            names[k] = PyUnicode_InternFromString(spelt[k]);
            if (names[k] == NULL) return NULL;
        }
    }
    Py_ssize_t line_count = PyList_GET_SIZE(lines), box_count = PyList_GET_SIZE(boxes);
    double *box = PyMem_Malloc((box_count ? box_count : 1) * 4 * sizeof(double));
    double *centre = PyMem_Malloc((line_count ? line_count : 1) * 2 * sizeof(double));
    PyObject *kept = NULL;
    if (box == NULL || centre == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t b = 0; b < box_count; b++) {
        PyObject *cell = PyList_GET_ITEM(boxes, b);
        if (!PyTuple_CheckExact(cell) || PyTuple_GET_SIZE(cell) != 4) goto unreadable;
        for (int k = 0; k < 4; k++) {
            PyObject *value = PyTuple_GET_ITEM(cell, k);
            if (!PyFloat_CheckExact(value)) goto unreadable;
            box[4 * b + k] = PyFloat_AS_DOUBLE(value);
        }
    }
    for (Py_ssize_t i = 0; i < line_count; i++) {
        PyObject *line = PyList_GET_ITEM(lines, i);
        double v[4];
        if (!PyDict_CheckExact(line)) goto unreadable;
        for (int k = 0; k < 4; k++) {
            PyObject *value = PyDict_GetItemWithError(line, names[k]);
            if (value == NULL || !PyFloat_CheckExact(value)) goto unreadable;
            v[k] = PyFloat_AS_DOUBLE(value);
        }
        centre[2 * i] = (v[0] + v[1]) / 2.0;
        centre[2 * i + 1] = (v[2] + v[3]) / 2.0;
    }
    kept = PyList_New(0);
    if (kept == NULL) goto done;
    for (Py_ssize_t i = 0; i < line_count; i++) {
        double x = centre[2 * i], y = centre[2 * i + 1];
        int inside = 0;
        for (Py_ssize_t b = 0; b < box_count && !inside; b++) {
            const double *c = &box[4 * b];
            inside = c[0] <= x && x <= c[2] && c[1] <= y && y <= c[3];
        }
        if (!inside && PyList_Append(kept, PyList_GET_ITEM(lines, i)) < 0) {
            Py_CLEAR(kept);
            goto done;
        }
    }
    goto done;
unreadable:
    if (!PyErr_Occurred()) {
        kept = Py_None;
        Py_INCREF(kept);
    }
done:
    PyMem_Free(box);
    PyMem_Free(centre);
    return kept;
}

/* A line's box as text_lines builds it: the first smallest x0 and top and the first largest x1
 * and bottom of the characters given to it, as Python's min() and max() over them (a later
 * value replaces only when strictly smaller or larger). The objects are borrowed. */
typedef struct {
    const Facts *x0, *x1; /* the characters of the box's x0 and x1 (facts_float: along, end) */
    PyObject *top, *bottom;
    double x0_value, top_value, x1_value, bottom_value;
} LineBox;

/* One more character of the line (its facts and its bottom) in the line's box. */
static void widen(LineBox *box, const Facts *f, PyObject *bottom) {
    double bottom_value = PyFloat_AS_DOUBLE(bottom);
    if (box->x0 == NULL || f->along < box->x0_value) box->x0 = f, box->x0_value = f->along;
    if (box->top == NULL || f->top < box->top_value) box->top = f->top_object, box->top_value = f->top;
    if (box->x1 == NULL || f->end > box->x1_value) box->x1 = f, box->x1_value = f->end;
    if (box->bottom == NULL || bottom_value > box->bottom_value) box->bottom = bottom, box->bottom_value = bottom_value;
}

/* The character f, once per letter of its spelling, appended to a line's owners and box. */
static int add_owner(PyObject *owners, LineBox *box, const Facts *f, PyObject *bottom) {
    widen(box, f, bottom);
    return PyList_Append(owners, f->object);
}

/* The line dict {text, x0, top, x1, bottom, chars} appended to lines: 0, or -1 on an error. */
static int add_line(PyObject *lines, PyObject *names[6], PyObject *text, const LineBox *box, PyObject *owners) {
    if (box->x0 == NULL) { /* a plain line has a letter: never without a character */
        PyErr_SetString(PyExc_KeyError, "a line's box");
        return -1;
    }
    PyObject *x0 = facts_float(box->x0, 0), *x1 = x0 ? facts_float(box->x1, 1) : NULL;
    if (x1 == NULL) return -1;
    PyObject *line = PyDict_New();
    if (line == NULL) return -1;
    int failed = PyDict_SetItem(line, names[0], text) < 0 || PyDict_SetItem(line, names[1], x0) < 0
                 || PyDict_SetItem(line, names[2], box->top) < 0 || PyDict_SetItem(line, names[3], x1) < 0
                 || PyDict_SetItem(line, names[4], box->bottom) < 0 || PyDict_SetItem(line, names[5], owners) < 0
                 || PyList_Append(lines, line) < 0;
    Py_DECREF(line);
    return failed ? -1 : 0;
}

/* Whether a line's text is plain: not empty, no space at either end, no newline, not all
 * whitespace (the Python code and pdfplumber's pattern read the others). */
static int plain_line(PyObject *text) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int plain = n > 0 && PyUnicode_READ_CHAR(text, 0) != ' ' && PyUnicode_READ_CHAR(text, n - 1) != ' ';
    int blank = 1;
    for (Py_ssize_t j = 0; plain && j < n; j++) {
        Py_UCS4 point = PyUnicode_READ_CHAR(text, j);
        if (point == '\n') plain = 0;
        if (!Py_UNICODE_ISSPACE(point)) blank = 0;
    }
    return plain && !blank;
}

/* A word's pieces of its line's text and its owners (the line's "chars"): the word's letters
 * whole with its characters when they are one per character, otherwise each character's
 * spelling (LIGATURES.get(text, text)) with the character once per letter. *length grows by
 * the letters added. 0, or -1 on an error. */
static int add_word_pieces(const Upright *u, const Span *word, PyObject *const *bottoms, PyObject *ligatures, PyObject *letters, PyObject *nothing,
                           PyObject *pieces, PyObject *owners, LineBox *box, Py_ssize_t *length) {
    PyObject *spelt = span_text(u, word, ligatures, letters, nothing);
    if (spelt == NULL) return -1;
    if (PyUnicode_GET_LENGTH(spelt) == word->end - word->start) {
        int failed = PyList_Append(pieces, spelt);
        *length += PyUnicode_GET_LENGTH(spelt);
        Py_DECREF(spelt);
        for (Py_ssize_t k = word->start; !failed && k < word->end; k++)
            failed = add_owner(owners, box, u->members[k], bottoms[u->members[k] - u->all]) < 0;
        return failed ? -1 : 0;
    }
    Py_DECREF(spelt);
    for (Py_ssize_t k = word->start; k < word->end; k++) {
        const Facts *f = u->members[k];
        PyObject *letter_run = PyDict_GetItemWithError(ligatures, f->text);
        if (letter_run == NULL && PyErr_Occurred()) return -1;
        if (letter_run == NULL) letter_run = f->text; /* LIGATURES.get(text, text) */
        if (!PyUnicode_Check(letter_run)) {
            PyErr_SetString(PyExc_TypeError, "a ligature's spelling is not a str");
            return -1;
        }
        Py_ssize_t n = PyUnicode_GET_LENGTH(letter_run);
        if (n && PyList_Append(pieces, letter_run) < 0) return -1;
        for (Py_ssize_t j = 0; j < n; j++)
            if (add_owner(owners, box, f, bottoms[f - u->all]) < 0) return -1;
        *length += n;
    }
    return 0;
}

/* text_lines(chars, ligatures, letters) -> list of line dicts, or None.
 * plumber_equivalents.extract_text_lines for upright characters (upright True, float
 * positions, finite tops and x0s, str texts) whose lines are all plain: the words of
 * upright_words; runs of consecutive words whose tops fall in one cluster (sorted distinct
 * tops chained within 3) are a line; its string the words' letters joined by a space (a word
 * whose letters are one per character added whole with its characters, otherwise each
 * character's spelling with the character once per letter); its box the first smallest x0
 * and top and the first largest x1 and bottom of those characters. None, for the Python code
 * (which then searches the text map with pdfplumber's pattern), when a line is not plain
 * (empty, a space at either end, a newline in it, all whitespace) or for other characters. */
static PyObject *text_lines(PyObject *self, PyObject *args) {
    PyObject *chars, *ligatures, *letters;
    if (!PyArg_ParseTuple(args, "OO!U", &chars, &PyDict_Type, &ligatures, &letters)) return NULL;
    static PyObject *names[6] = {NULL};
    static PyObject *nothing = NULL, *space = NULL;
    if (nothing == NULL) {
        const char *spelt[6] = {"text", "x0", "top", "x1", "bottom", "chars"};
        for (int k = 0; k < 6; k++) {
            names[k] = PyUnicode_InternFromString(spelt[k]);
            if (names[k] == NULL) return NULL;
        }
        nothing = PyUnicode_FromString("");
        space = PyUnicode_FromString(" ");
        if (nothing == NULL || space == NULL) return NULL;
    }
    if (!PyList_CheckExact(chars)) Py_RETURN_NONE;
    Py_ssize_t char_count = PyList_GET_SIZE(chars);
    PyObject **bottoms = PyMem_Malloc((char_count ? char_count : 1) * sizeof(PyObject *)); /* borrowed */
    if (bottoms == NULL) return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < char_count; i++) { /* bottom: a float too (the box; upright_facts checks x1) */
        PyObject *c = PyList_GET_ITEM(chars, i);
        if (!layout_readable(c) || (bottoms[i] = layout_item(c, names[4])) == NULL || !PyFloat_CheckExact(bottoms[i])) {
            PyMem_Free(bottoms);
            if (PyErr_Occurred()) return NULL;
            Py_RETURN_NONE;
        }
    }
    Upright u;
    int read = upright_facts(chars, &u);
    PyObject *lines = NULL, *pieces = NULL, *owners = NULL;
    Py_ssize_t clusters = 0, *cluster_of = NULL, count = u.word_count;
    if (read <= 0) {
        if (read == 0) lines = Py_NewRef(Py_None);
        goto done;
    }
    lines = PyList_New(0);
    cluster_of = lines == NULL ? NULL : top_clusters(u.words, count, &clusters);
    if (cluster_of == NULL) goto failed;
    for (Py_ssize_t start = 0; start < count;) {
        Py_ssize_t end = start + 1;
        while (end < count && cluster_of[end] == cluster_of[start]) end++; /* groupby: consecutive words */
        pieces = PyList_New(0);
        owners = PyList_New(0);
        if (pieces == NULL || owners == NULL) goto failed;
        LineBox box = {NULL, NULL, NULL, NULL, 0.0, 0.0, 0.0, 0.0};
        Py_ssize_t length = 0;
        for (Py_ssize_t w = start; w < end; w++) {
            if (length) {
                if (PyList_Append(pieces, space) < 0) goto failed;
                length++;
            }
            if (add_word_pieces(&u, &u.words[w], bottoms, ligatures, letters, nothing, pieces, owners, &box, &length) < 0) goto failed;
        }
        PyObject *text = PyUnicode_Join(nothing, pieces);
        Py_CLEAR(pieces);
        if (text == NULL) goto failed;
        if (!plain_line(text)) { /* not plain: the Python code and pdfplumber's pattern */
            Py_DECREF(text);
            Py_CLEAR(owners);
            Py_SETREF(lines, Py_NewRef(Py_None));
            goto done;
        }
        int failed = add_line(lines, names, text, &box, owners);
        Py_DECREF(text);
        Py_CLEAR(owners);
        if (failed) goto failed;
        start = end;
    }
    goto done;
failed:
    Py_XDECREF(pieces);
    Py_XDECREF(owners);
    Py_CLEAR(lines);
done:
    free_upright(&u);
    PyMem_Free(cluster_of);
    PyMem_Free(bottoms);
    return lines;
}

/* ------------------------------------------------------------------ table edges */

/* A ruling as plumber_equivalents.table_edges holds it: x0, top, x1, bottom, width, height,
 * orientation ('h', 'v' or 0 for a slanted curve segment). A rectangle's side has the int 0
 * as its width (a vertical side) or height (a horizontal one), as in the Python tuple: the
 * flags keep it an int until a join makes it a float. */
enum { X0, TOP, X1, BOTTOM, WIDTH, HEIGHT };
#define WIDTH_INT_ZERO 1
#define HEIGHT_INT_ZERO 2

typedef struct {
    double at[6];
    int int_zero;
    char orientation;
} Ruling;

typedef struct {
    Ruling *items;
    Py_ssize_t count, size;
} Rulings;

static Ruling *new_ruling(Rulings *rulings) {
    if (rulings->count == rulings->size) {
        Py_ssize_t size = rulings->size ? 2 * rulings->size : 64;
        Ruling *items = PyMem_Realloc(rulings->items, (size_t)size * sizeof(Ruling));
        if (items == NULL) {
            PyErr_NoMemory();
            return NULL;
        }
        rulings->items = items;
        rulings->size = size;
    }
    Ruling *ruling = &rulings->items[rulings->count++];
    ruling->int_zero = 0;
    return ruling;
}

static int add_ruling(Rulings *rulings, double x0, double top, double x1, double bottom, double width, double height, int int_zero, char orientation) {
    Ruling *ruling = new_ruling(rulings);
    if (ruling == NULL) return -1;
    double at[6] = {x0, top, x1, bottom, width, height};
    memcpy(ruling->at, at, sizeof at);
    ruling->int_zero = int_zero;
    ruling->orientation = orientation;
    return 0;
}

/* The six floats of a line's or rectangle's dict, all finite: 1; else 0 (or -1 with an error). */
static int box_of(PyObject *object, PyObject *names[6], double at[6]) {
    if (!PyDict_CheckExact(object)) return 0;
    for (int k = 0; k < 6; k++) {
        if (!float_of(object, names[k], &at[k])) return PyErr_Occurred() ? -1 : 0;
        if (!isfinite(at[k])) return 0;
    }
    return 1;
}

/* A curve's point (x, y): an exact tuple of two finite floats. */
static int point_of(PyObject *point, double *x, double *y) {
    if (!PyTuple_CheckExact(point) || PyTuple_GET_SIZE(point) != 2) return 0;
    PyObject *first = PyTuple_GET_ITEM(point, 0), *second = PyTuple_GET_ITEM(point, 1);
    if (!PyFloat_CheckExact(first) || !PyFloat_CheckExact(second)) return 0;
    *x = PyFloat_AS_DOUBLE(first);
    *y = PyFloat_AS_DOUBLE(second);
    return isfinite(*x) && isfinite(*y);
}

/* plumber_equivalents._page_edges into rulings: 1, 0 for input the Python code reads, -1 on an error. */
static int page_rulings(PyObject *lines, PyObject *rects, PyObject *curves, Rulings *rulings) {
    static PyObject *names[7] = {NULL};
    if (names[0] == NULL) {
        const char *spelt[7] = {"x0", "top", "x1", "bottom", "width", "height", "pts"};
        for (int k = 0; k < 7; k++) {
            names[k] = PyUnicode_InternFromString(spelt[k]);
            if (names[k] == NULL) return -1;
        }
    }
    if (!PyList_CheckExact(lines) || !PyList_CheckExact(rects) || !PyList_CheckExact(curves)) return 0;
    double b[6];
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(lines); i++) {
        int read = box_of(PyList_GET_ITEM(lines, i), names, b);
        if (read <= 0) return read;
        if (add_ruling(rulings, b[X0], b[TOP], b[X1], b[BOTTOM], b[WIDTH], b[HEIGHT], 0, b[TOP] == b[BOTTOM] ? 'h' : 'v') < 0) return -1;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(rects); i++) {
        int read = box_of(PyList_GET_ITEM(rects, i), names, b);
        if (read <= 0) return read;
        if (add_ruling(rulings, b[X0], b[TOP], b[X1], b[TOP], b[WIDTH], 0.0, HEIGHT_INT_ZERO, 'h') < 0
            || add_ruling(rulings, b[X0], b[TOP] + b[HEIGHT], b[X1], b[BOTTOM], b[WIDTH], 0.0, HEIGHT_INT_ZERO, 'h') < 0
            || add_ruling(rulings, b[X0], b[TOP], b[X0], b[BOTTOM], 0.0, b[HEIGHT], WIDTH_INT_ZERO, 'v') < 0
            || add_ruling(rulings, b[X1], b[TOP], b[X1], b[BOTTOM], 0.0, b[HEIGHT], WIDTH_INT_ZERO, 'v') < 0)
            return -1;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(curves); i++) {
        PyObject *curve = PyList_GET_ITEM(curves, i);
        if (!PyDict_CheckExact(curve)) return 0;
        PyObject *points = PyDict_GetItemWithError(curve, names[6]);
        if (points == NULL) return PyErr_Occurred() ? -1 : 0;
        if (!PyList_CheckExact(points)) return 0;
        double ax = 0.0, ay = 0.0, bx, by;
        for (Py_ssize_t j = 0; j < PyList_GET_SIZE(points); j++) {
            if (!point_of(PyList_GET_ITEM(points, j), &bx, &by)) return 0;
            /* min(a, b) is b only when b < a; max(a, b) only when b > a */
            if (j && add_ruling(rulings, bx < ax ? bx : ax, by < ay ? by : ay, bx > ax ? bx : ax, by > ay ? by : ay, fabs(ax - bx), fabs(ay - by), 0,
                                ax == bx ? 'v' : (ay == by ? 'h' : 0)) < 0)
                return -1;
            ax = bx;
            ay = by;
        }
    }
    for (Py_ssize_t i = 0; i < rulings->count; i++) { /* a top + height that overflowed */
        for (int k = 0; k < 6; k++) {
            if (!isfinite(rulings->items[i].at[k])) return 0;
        }
    }
    return 1;
}

/* The indices 0..count-1 of rulings sorted by at[key], ties in their order (a stable sort). */
static Keyed *sorted_by(Ruling *rulings, Py_ssize_t count, int key) {
    Keyed *keyed = PyMem_Malloc((count ? (size_t)count : 1) * sizeof(Keyed));
    if (keyed == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        keyed[i].key = rulings[i].at[key];
        keyed[i].index = i;
    }
    int numbers = 1;
    for (Py_ssize_t i = 0; i < count && numbers; i++) numbers = !isnan(keyed[i].key);
    if (numbers)
        sort_keyed(keyed, count);
    else /* a NaN from sums of huge rulings: qsort's own order */
        qsort(keyed, (size_t)count, sizeof(Keyed), by_key_then_index);
    return keyed;
}

/* sum(values): the interpreter's own sum of these floats (its rounding differs between Python
 * versions), as a double; -1 with an error set when it fails. */
static int python_sum(const double *values, Py_ssize_t count, double *total) {
    PyObject *list = PyList_New(count);
    if (list == NULL) return -1;
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *value = PyFloat_FromDouble(values[i]);
        if (value == NULL) {
            Py_DECREF(list);
            return -1;
        }
        PyList_SET_ITEM(list, i, value);
    }
    PyObject *builtins = PyEval_GetBuiltins(); /* borrowed */
    PyObject *sum = builtins ? PyDict_GetItemString(builtins, "sum") : NULL;
    PyObject *found = sum ? PyObject_CallOneArg(sum, list) : NULL;
    Py_DECREF(list);
    if (found == NULL) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_RuntimeError, "no builtin sum");
        return -1;
    }
    if (!PyFloat_CheckExact(found)) {
        Py_DECREF(found);
        PyErr_SetString(PyExc_TypeError, "sum of floats is not a float");
        return -1;
    }
    *total = PyFloat_AS_DOUBLE(found);
    Py_DECREF(found);
    return 0;
}

/* plumber_equivalents._snap: the rulings' positions at[at] (X0 or TOP) clustered (tolerance),
 * each cluster moved to its mean, appended to out in the order of the clusters, each
 * cluster's rulings in their order. 0, or -1 with an error set. */
static int snap_rulings(Ruling *rulings, Py_ssize_t count, int at, double tolerance, Rulings *out) {
    if (count == 0) return 0;
    Keyed *keyed = sorted_by(rulings, count, at);
    Py_ssize_t *cluster_of = PyMem_Malloc((size_t)count * sizeof(Py_ssize_t));
    Py_ssize_t *starts = PyMem_Malloc(((size_t)count + 1) * sizeof(Py_ssize_t));
    Py_ssize_t *members = PyMem_Malloc((size_t)count * sizeof(Py_ssize_t));
    double *values = PyMem_Malloc((size_t)count * sizeof(double));
    int result = -1;
    if (keyed == NULL || cluster_of == NULL || starts == NULL || members == NULL || values == NULL) {
        if (!PyErr_Occurred()) PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t clusters = 0;
    for (Py_ssize_t i = 0; i < count; i++) { /* the distinct sorted values chained while within the tolerance */
        if (i && !(keyed[i].key <= keyed[i - 1].key + tolerance)) clusters++;
        cluster_of[keyed[i].index] = clusters;
    }
    clusters++;
    for (Py_ssize_t c = 0; c <= clusters; c++) starts[c] = 0;
    for (Py_ssize_t i = 0; i < count; i++) starts[cluster_of[i] + 1]++;
    for (Py_ssize_t c = 0; c < clusters; c++) starts[c + 1] += starts[c];
    for (Py_ssize_t i = 0; i < count; i++) members[starts[cluster_of[i]]++] = i; /* each cluster's rulings in their order */
    for (Py_ssize_t c = clusters; c > 0; c--) starts[c] = starts[c - 1];
    starts[0] = 0;
    for (Py_ssize_t c = 0; c < clusters; c++) {
        Py_ssize_t size = starts[c + 1] - starts[c];
        for (Py_ssize_t m = 0; m < size; m++) values[m] = rulings[members[starts[c] + m]].at[at];
        double total;
        if (python_sum(values, size, &total) < 0) goto done;
        double mean = total / (double)size;
        for (Py_ssize_t m = 0; m < size; m++) {
            Ruling *moved = new_ruling(out);
            if (moved == NULL) goto done;
            *moved = rulings[members[starts[c] + m]];
            double value = mean - moved->at[at];
            moved->at[at] = moved->at[at] + value; /* move_object: x0 and x1, or top and bottom */
            moved->at[at + 2] = moved->at[at + 2] + value;
        }
    }
    result = 0;
done:
    PyMem_Free(keyed);
    PyMem_Free(cluster_of);
    PyMem_Free(starts);
    PyMem_Free(members);
    PyMem_Free(values);
    return result;
}

/* plumber_equivalents._join of one group (rulings on one line, in their order): appended to
 * out, touching or overlapping ones joined. 0, or -1 with an error set. */
static int join_group(Ruling *group, Py_ssize_t count, char orientation, double tolerance, Rulings *out) {
    int start = orientation == 'h' ? X0 : TOP, end = orientation == 'h' ? X1 : BOTTOM;
    Keyed *keyed = sorted_by(group, count, start);
    if (keyed == NULL) return -1;
    Ruling *last = new_ruling(out);
    if (last == NULL) {
        PyMem_Free(keyed);
        return -1;
    }
    *last = group[keyed[0].index];
    for (Py_ssize_t i = 1; i < count; i++) {
        Ruling *edge = &group[keyed[i].index];
        if (edge->at[start] <= last->at[end] + tolerance) {
            if (edge->at[end] > last->at[end]) {
                double value = edge->at[end];
                if (orientation == 'h') { /* x1 moved: the width from x0 */
                    last->at[WIDTH] = value - last->at[X0];
                    last->int_zero &= ~WIDTH_INT_ZERO;
                } else { /* bottom moved: the height grows by the move (0 + a float is that float) */
                    last->at[HEIGHT] = last->at[HEIGHT] + (value - last->at[BOTTOM]);
                    last->int_zero &= ~HEIGHT_INT_ZERO;
                }
                last->at[end] = value;
            }
        } else {
            last = new_ruling(out);
            if (last == NULL) {
                PyMem_Free(keyed);
                return -1;
            }
            *last = *edge;
        }
    }
    PyMem_Free(keyed);
    return 0;
}

/* The snapped rulings of one orientation grouped by their position (at[key], equal values),
 * groups in the order of that position, each joined into out. 0, or -1 with an error set. */
static int join_rulings(Rulings *snapped, int key, char orientation, double tolerance, Rulings *out) {
    Py_ssize_t count = snapped->count;
    if (count == 0) return 0;
    Keyed *keyed = sorted_by(snapped->items, count, key);
    Ruling *group = PyMem_Malloc((size_t)count * sizeof(Ruling));
    if (keyed == NULL || group == NULL) {
        PyMem_Free(keyed);
        PyMem_Free(group);
        if (!PyErr_Occurred()) PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t first = 0;
    for (Py_ssize_t i = 1; i <= count; i++) {
        if (i < count && keyed[i].key == keyed[first].key) continue;
        for (Py_ssize_t g = first; g < i; g++) group[g - first] = snapped->items[keyed[g].index];
        if (join_group(group, i - first, orientation, tolerance, out) < 0) {
            PyMem_Free(keyed);
            PyMem_Free(group);
            return -1;
        }
        first = i;
    }
    PyMem_Free(keyed);
    PyMem_Free(group);
    return 0;
}

/* A ruling as the dict table_edges returns (EDGE_KEYS). */
static PyObject *ruling_dict(const Ruling *ruling) {
    static PyObject *names[7] = {NULL}, *kinds[2] = {NULL};
    if (names[0] == NULL) {
        const char *spelt[7] = {"x0", "top", "x1", "bottom", "width", "height", "orientation"};
        for (int k = 0; k < 7; k++) {
            names[k] = PyUnicode_InternFromString(spelt[k]);
            if (names[k] == NULL) return NULL;
        }
        kinds[0] = PyUnicode_InternFromString("h");
        kinds[1] = PyUnicode_InternFromString("v");
        if (kinds[0] == NULL || kinds[1] == NULL) return NULL;
    }
    PyObject *edge = PyDict_New();
    if (edge == NULL) return NULL;
    for (int k = 0; k < 6; k++) {
        int as_int = (k == WIDTH && (ruling->int_zero & WIDTH_INT_ZERO)) || (k == HEIGHT && (ruling->int_zero & HEIGHT_INT_ZERO));
        PyObject *value = as_int ? PyLong_FromLong(0) : PyFloat_FromDouble(ruling->at[k]);
        if (value == NULL || PyDict_SetItem(edge, names[k], value) < 0) {
            Py_XDECREF(value);
            Py_DECREF(edge);
            return NULL;
        }
        Py_DECREF(value);
    }
    if (PyDict_SetItem(edge, names[6], kinds[ruling->orientation == 'v']) < 0) {
        Py_DECREF(edge);
        return NULL;
    }
    return edge;
}

/* table_edges(lines, rects, curves, snap_tolerance, join_tolerance, min_length, min_length_prefilter)
 * -> list of dicts or None: plumber_equivalents.table_edges on a page's lines, rectangles and
 * curves. None when an object is not an exact dict of finite float positions and sizes (a
 * curve: a list of exact tuples of two finite floats). */
static PyObject *table_edges(PyObject *self, PyObject *args) {
    PyObject *lines, *rects, *curves;
    double snap_tolerance, join_tolerance, min_length, prefilter;
    if (!PyArg_ParseTuple(args, "OOOdddd", &lines, &rects, &curves, &snap_tolerance, &join_tolerance, &min_length, &prefilter)) return NULL;
    Rulings page = {NULL, 0, 0}, verticals = {NULL, 0, 0}, horizontals = {NULL, 0, 0};
    Rulings snapped_v = {NULL, 0, 0}, snapped_h = {NULL, 0, 0}, merged = {NULL, 0, 0};
    PyObject *edges = NULL;
    int read = page_rulings(lines, rects, curves, &page);
    if (read <= 0) goto done;
    for (Py_ssize_t i = 0; i < page.count; i++) {
        Ruling *ruling = &page.items[i];
        Ruling *kept = NULL;
        if (ruling->orientation == 'v' && ruling->at[HEIGHT] >= prefilter) kept = new_ruling(&verticals);
        else if (ruling->orientation == 'h' && ruling->at[WIDTH] >= prefilter) kept = new_ruling(&horizontals);
        else continue;
        if (kept == NULL) goto done;
        *kept = *ruling;
    }
    if (snap_rulings(verticals.items, verticals.count, X0, snap_tolerance, &snapped_v) < 0
        || snap_rulings(horizontals.items, horizontals.count, TOP, snap_tolerance, &snapped_h) < 0)
        goto done;
    /* grouped by ("h", top) or ("v", x0): the horizontal groups first */
    if (join_rulings(&snapped_h, TOP, 'h', join_tolerance, &merged) < 0 || join_rulings(&snapped_v, X0, 'v', join_tolerance, &merged) < 0) goto done;
    edges = PyList_New(0);
    if (edges == NULL) goto done;
    for (Py_ssize_t i = 0; i < merged.count; i++) {
        Ruling *ruling = &merged.items[i];
        if (!(ruling->at[ruling->orientation == 'v' ? HEIGHT : WIDTH] >= min_length)) continue;
        PyObject *edge = ruling_dict(ruling);
        if (edge == NULL || PyList_Append(edges, edge) < 0) {
            Py_XDECREF(edge);
            Py_CLEAR(edges);
            goto done;
        }
        Py_DECREF(edge);
    }
done:
    PyMem_Free(page.items);
    PyMem_Free(verticals.items);
    PyMem_Free(horizontals.items);
    PyMem_Free(snapped_v.items);
    PyMem_Free(snapped_h.items);
    PyMem_Free(merged.items);
    if (edges == NULL && !PyErr_Occurred()) Py_RETURN_NONE;
    return edges;
}

/* ------------------------------------------------------------------ objects within a box */

/* A side of the box as a double equal to the Python number: an exact float, or an exact int
 * that a double holds exactly (|value| <= 2**53, so a float compares with it as with the
 * double). 0 for anything else. */
static int exact_side(PyObject *side, double *value) {
    if (PyFloat_CheckExact(side)) {
        *value = PyFloat_AS_DOUBLE(side);
        return 1;
    }
    if (!PyLong_CheckExact(side)) return 0;
    int overflow = 0;
    long long whole = PyLong_AsLongLongAndOverflow(side, &overflow);
    if (overflow || (whole == -1 && PyErr_Occurred())) {
        PyErr_Clear();
        return 0;
    }
    if (whole > 9007199254740992LL || whole < -9007199254740992LL) return 0;
    *value = (double)whole;
    return 1;
}

/* within_box(objects, bbox) -> list or None: plumber_equivalents.within_bbox, the objects whose
 * box lies entirely within bbox (each side inside, no negative side, not a point), in their
 * order. None when objects is not a list of exact dicts with float x0, top, x1 and bottom, or
 * a side of bbox is not a float or a small int: the Python code reads those. */
static PyObject *within_box(PyObject *self, PyObject *args) {
    PyObject *objects, *bbox;
    if (!PyArg_ParseTuple(args, "OO", &objects, &bbox)) return NULL;
    if (!PyList_CheckExact(objects) || !PyTuple_CheckExact(bbox) || PyTuple_GET_SIZE(bbox) != 4) Py_RETURN_NONE;
    double left, top, right, bottom;
    if (!exact_side(PyTuple_GET_ITEM(bbox, 0), &left) || !exact_side(PyTuple_GET_ITEM(bbox, 1), &top)
        || !exact_side(PyTuple_GET_ITEM(bbox, 2), &right) || !exact_side(PyTuple_GET_ITEM(bbox, 3), &bottom))
        Py_RETURN_NONE;
    static PyObject *names[4] = {NULL, NULL, NULL, NULL};
    if (names[0] == NULL) {
        const char *spelt[4] = {"x0", "top", "x1", "bottom"};
        for (int k = 0; k < 4; k++) {
            names[k] = PyUnicode_InternFromString(spelt[k]);
            if (names[k] == NULL) return NULL;
        }
    }
    Py_ssize_t count = PyList_GET_SIZE(objects);
    char *inside = PyMem_Malloc(count ? (size_t)count : 1);
    if (inside == NULL) return PyErr_NoMemory();
    Py_ssize_t kept = 0;
    for (Py_ssize_t i = 0; i < count; i++) { /* every object read before the list is built */
        PyObject *object = PyList_GET_ITEM(objects, i);
        double x0, obj_top, x1, obj_bottom;
        if (!layout_readable(object) || !float_of(object, names[0], &x0) || !float_of(object, names[1], &obj_top)
            || !float_of(object, names[2], &x1) || !float_of(object, names[3], &obj_bottom)) {
            PyMem_Free(inside);
            if (PyErr_Occurred()) return NULL;
            Py_RETURN_NONE;
        }
        inside[i] = x0 >= left && obj_top >= top && x1 <= right && obj_bottom <= bottom && x1 - x0 >= 0
                    && obj_bottom - obj_top >= 0 && (x1 - x0) + (obj_bottom - obj_top) > 0;
        kept += inside[i];
    }
    PyObject *within = PyList_New(kept);
    if (within == NULL) {
        PyMem_Free(inside);
        return NULL;
    }
    for (Py_ssize_t i = 0, at = 0; i < count; i++) {
        if (inside[i]) {
            PyObject *object = PyList_GET_ITEM(objects, i);
            Py_INCREF(object);
            PyList_SET_ITEM(within, at++, object);
        }
    }
    PyMem_Free(inside);
    return within;
}

PyTypeObject *layout_char_type = NULL;
PyObject *layout_char_names[CH_FIELDS];

/* register_char_type(Char): the PDFium reader's character type, read by its fields from now
 * on (pdfium_native calls it once, at import). A type whose size is not CharObject's is
 * refused: the loops would read past it. */
static PyObject *register_char_type(PyObject *self, PyObject *type) {
    if (!PyType_Check(type) || ((PyTypeObject *)type)->tp_basicsize != (Py_ssize_t)sizeof(CharObject)) {
        PyErr_SetString(PyExc_TypeError, "not the reader's Char type");
        return NULL;
    }
    for (int k = 0; k < CH_FIELDS; k++) {
        if (layout_char_names[k] == NULL && (layout_char_names[k] = PyUnicode_InternFromString(char_field_names[k])) == NULL)
            return NULL;
    }
    Py_INCREF(type);
    Py_XSETREF(layout_char_type, (PyTypeObject *)type);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"register_char_type", register_char_type, METH_O, "The PDFium reader's Char type, read by its fields."},
    {"table_edges", table_edges, METH_VARARGS, "plumber_equivalents.table_edges for exact dicts of finite float positions: the page's edges as dicts, or None for input the Python code must read."},
    {"within_box", within_box, METH_VARARGS, "plumber_equivalents.within_bbox for exact dicts of float positions: the objects within the box, or None for input the Python code must read."},
    {"text_lines", text_lines, METH_VARARGS, "plumber_equivalents.extract_text_lines for upright float characters whose lines are plain, or None for input the Python code must read."},
    {"cell_text", cell_text, METH_VARARGS, "plumber_equivalents.extract_text for upright float characters, or None for input the Python code must read."},
    {"outside", outside, METH_VARARGS, "pdf._outside for float lines and boxes: the lines whose centre is in no box, or None for input the Python code must read."},
    {"line_words", line_words, METH_VARARGS, "pdf._words for float characters: (x0, x1, text) of each word, or None for input the Python code must read."},
    {"frame_cells", frame_cells, METH_VARARGS, "pdf._without_frames' search for finite cells: the frame cells' indices, or None for input the Python code must read."},
    {"smallest_cells", smallest_cells, METH_VARARGS, "html_positioned.smallest_cells for finite crossings: the cells, or None for input the Python code must read."},
    {"upright_words", upright_words, METH_VARARGS, "plumber_equivalents._words for upright characters: a list of (top, characters), or None for input the Python code must read."},
    {"char_centres", char_centres, METH_VARARGS, "The characters' middles and centres, the indices sorted by middle, and the sorted middles; or None for input the Python code must read."},
    {"split_line", split_line, METH_VARARGS, "A line's characters cut into words: a list of (top, characters), or None for input the Python loop must read."},
    {"table_text", layout_table_text, METH_VARARGS, "pdf.extract_table for a table of finite float cells and a page's upright float characters with finite centres: the text of every cell, or None for input the Python code must read (_layout_table_text.c)."},
    {"table_grid", layout_table_grid, METH_VARARGS, "pdf.table_to_grid for a table of finite float cells (none zero) and a page's upright float characters with finite centres: (rows of texts and covered marks, column bounds), or None for input the Python code must read (_layout_table_text.c)."},
    {"page_grids", layout_page_grids, METH_VARARGS, "pdf.page_grids: for a page's tables (lists of cells) and its characters, table_grid's (rows, column bounds) or None for each table, the page's centres computed once in C; or None for characters the Python code must read (_layout_table_text.c)."},
    {"cells_to_tables", layout_cells_to_tables, METH_VARARGS, "plumber_equivalents.cells_to_tables for distinct cells of four finite floats: the tables, or None for input the Python code must read (_layout_tables.c)."},
    {"ruling_cells", layout_ruling_cells, METH_VARARGS, "pdf.find_tables' edges_to_intersections and smallest_cells for exact dicts of finite float rulings: the cells, or None for input the Python code must read (_layout_cells.c)."},
    {"close_char_runs", layout_close_char_runs, METH_VARARGS, "close_chars.runs_with_close_chars for exact dicts of float positions: the suspects' indices, or None for input the Python code must read (_close_chars.c)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_layout_loops", "Loops of the layout functions (plumber_equivalents, pdf) in C.", -1, methods};

PyMODINIT_FUNC PyInit__layout_loops(void) { return PyModule_Create(&module); }

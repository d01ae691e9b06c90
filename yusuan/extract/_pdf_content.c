/* The content-stream tokenizer of pdfium_content in C (issue 14; yusuan/extract/pdf_content_native.py).
 *
 * pdfium_content.tokens reads a page's content with one regular-expression match and one
 * generator step per token: on the shared corpora 1.5 million tokens over ~200 pages, a
 * fourteenth of the profiled whole path, to prove that PDFium's text objects are the
 * content's text-showing operators. This module reads the same bytes into the very same
 * tokens, and ``operations`` runs text_shows' operand loop as well, handing back only the
 * operators it is asked for, each with its operands: the path and colour operators that make
 * up most of a page are read (their strings still decoded, so an unbalanced one is found)
 * but never become Python objects past their operator.
 *
 * The rules are pdfium_content's, alternative by alternative, in its order: white space
 * (NUL, TAB, LF, FF, CR, SP), a comment, a literal string (nested parentheses, the escapes
 * of ISO 32000-1 7.3.4.2: octal codes of one to three digits taken modulo 256, a backslash
 * before an end of line dropped with it), "<<" or ">>", a hex string (white space inside
 * left out, an odd last digit followed by 0), "[" or "]", "{" or "}", a name ("#xx" escapes
 * decoded, a str when UTF-8, else bytes), a number (the longest [+-]?(\d+\.?\d*|\.\d+)
 * followed by a delimiter, white space or the end; Python's float() of it), then a word
 * (true, false, null are operands, None; any other word is an operator, decoded as Latin-1).
 * Anything else is an unreadable token. Errors are not raised: a function returns what it
 * read before the error and the error's message (pdfium_content's wording), so the caller
 * processes the operators in order and fails exactly where the Python reader fails.
 *
 * ``shows`` (stop 25) goes one step further: it is text_shows itself for one content. The
 * tokens are read dry (no Python object for an operand) and only the operands of the
 * operators _operator acts on are read again with their values; the text state, the q/Q
 * stack and each operator's rules are _operator's, and a Show is made for each operator that
 * makes a PDFium text object. ExtGStates and forms are looked up by Python callbacks (a form's
 * content is read by text_shows again). Any error is _operator's message, after every
 * operator before it was interpreted.
 *
 * The Python reader stays the oracle (tests/unit/test_pdf_content_native.py,
 * tests/unit/test_pdf_content_shows.py, benchmarks/content_tokens_equal.py: every fixture and
 * corpus page).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* character classes (ISO 32000-1, 7.2.2) */
enum { REGULAR = 0, WHITE = 1, DELIMITER = 2 };
static unsigned char char_class[256];

static int is_hex_digit(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int hex_value(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return c - 'A' + 10;
}

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* token kinds */
enum { T_END, T_OPERAND, T_OPEN_ARRAY, T_CLOSE_ARRAY, T_OTHER, T_OP, T_ERROR };

typedef struct {
    const unsigned char *s;
    Py_ssize_t n;
    Py_ssize_t at;
    /* scratch buffer for strings and names */
    unsigned char *buffer;
    Py_ssize_t capacity;
    /* dry: tokens are read (and their errors found) but no value is made (tok->value NULL) */
    int dry;
    /* the bytes of the last T_OP */
    Py_ssize_t op_start;
    Py_ssize_t op_length;
} Scanner;

/* the error message of the last T_ERROR (a new reference), or NULL with a Python error set */
typedef struct {
    PyObject *value;   /* T_OPERAND: the value (new reference); T_OP: the operator (new reference) */
    PyObject *message; /* T_ERROR: the message (new reference) */
} Token;

static int reserve(Scanner *sc, Py_ssize_t size) {
    if (size <= sc->capacity) return 0;
    Py_ssize_t capacity = sc->capacity ? sc->capacity : 256;
    while (capacity < size) capacity *= 2;
    unsigned char *grown = PyMem_Realloc(sc->buffer, (size_t)capacity);
    if (grown == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    sc->buffer = grown;
    sc->capacity = capacity;
    return 0;
}

/* A literal string opening at sc->at (after its "("): pdfium_content._literal. */
static int literal(Scanner *sc, Token *tok) {
    const unsigned char *s = sc->s;
    Py_ssize_t n = sc->n, at = sc->at, out = 0;
    int depth = 1;
    /* a decoded string is never longer than its source */
    if (reserve(sc, n - at + 1) < 0) return T_ERROR;
    unsigned char *buf = sc->buffer;
    for (;;) {
        Py_ssize_t found = at;
        while (found < n && s[found] != '(' && s[found] != ')' && s[found] != '\\') found++;
        if (found >= n) {
            tok->message = PyUnicode_FromString("an unbalanced string");
            return T_ERROR;
        }
        memcpy(buf + out, s + at, (size_t)(found - at));
        out += found - at;
        unsigned char mark = s[found];
        at = found + 1;
        if (mark == '\\') {
            if (at >= n) {
                tok->message = PyUnicode_FromString("a string ends with a backslash");
                return T_ERROR;
            }
            unsigned char following = s[at];
            if (following >= '0' && following <= '7') {
                int value = 0, digits = 0;
                while (digits < 3 && at < n && s[at] >= '0' && s[at] <= '7') {
                    value = value * 8 + (s[at] - '0');
                    at++;
                    digits++;
                }
                buf[out++] = (unsigned char)(value & 0xFF);
            } else if (following == 'n') {
                buf[out++] = '\n';
                at++;
            } else if (following == 'r') {
                buf[out++] = '\r';
                at++;
            } else if (following == 't') {
                buf[out++] = '\t';
                at++;
            } else if (following == 'b') {
                buf[out++] = '\b';
                at++;
            } else if (following == 'f') {
                buf[out++] = '\f';
                at++;
            } else if (following == '(' || following == ')' || following == '\\') {
                buf[out++] = following;
                at++;
            } else if (following == '\r') {
                at += (at + 1 < n && s[at + 1] == '\n') ? 2 : 1;
            } else if (following == '\n') {
                at += 1;
            } else {
                buf[out++] = following;
                at++;
            }
        } else if (mark == '(') {
            depth++;
            buf[out++] = mark;
        } else {
            depth--;
            if (depth == 0) {
                sc->at = at;
                if (sc->dry) return T_OPERAND;
                tok->value = PyBytes_FromStringAndSize((const char *)buf, out);
                return tok->value ? T_OPERAND : -1;
            }
            buf[out++] = mark;
        }
    }
}

/* A hex string from "<" at start to ">" at close: pdfium_content._hex. */
static int hex_string(Scanner *sc, Token *tok, Py_ssize_t start, Py_ssize_t close) {
    const unsigned char *s = sc->s;
    if (sc->dry) {
        sc->at = close + 1;
        return T_OPERAND;
    }
    if (reserve(sc, (close - start) / 2 + 2) < 0) return -1;
    unsigned char *buf = sc->buffer;
    Py_ssize_t out = 0;
    int high = -1;
    for (Py_ssize_t i = start + 1; i < close; i++) {
        if (!is_hex_digit(s[i])) continue;
        if (high < 0) {
            high = hex_value(s[i]);
        } else {
            buf[out++] = (unsigned char)(high * 16 + hex_value(s[i]));
            high = -1;
        }
    }
    if (high >= 0) buf[out++] = (unsigned char)(high * 16);
    sc->at = close + 1;
    tok->value = PyBytes_FromStringAndSize((const char *)buf, out);
    return tok->value ? T_OPERAND : -1;
}

/* A name's bytes after "/": pdfium_content.name_key. */
static int name(Scanner *sc, Token *tok, Py_ssize_t start, Py_ssize_t end) {
    const unsigned char *s = sc->s;
    if (sc->dry) return T_OPERAND;
    if (reserve(sc, end - start + 1) < 0) return -1;
    unsigned char *buf = sc->buffer;
    Py_ssize_t out = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        if (s[i] == '#' && i + 2 < end && is_hex_digit(s[i + 1]) && is_hex_digit(s[i + 2])) {
            buf[out++] = (unsigned char)(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            buf[out++] = s[i];
        }
    }
    tok->value = PyUnicode_DecodeUTF8((const char *)buf, out, "strict");
    if (tok->value == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) return -1;
        PyErr_Clear();
        tok->value = PyBytes_FromStringAndSize((const char *)buf, out);
        if (tok->value == NULL) return -1;
    }
    return T_OPERAND;
}

/* The end of the number opening at ``at``, or -1 when no number opens there (the regular
 * expression's number alternative: its longest match must be followed by a delimiter, white
 * space or the end; a shorter one is always followed by a digit or a point). */
static Py_ssize_t number_end(const unsigned char *s, Py_ssize_t n, Py_ssize_t at) {
    Py_ssize_t p = at;
    if (p < n && (s[p] == '+' || s[p] == '-')) p++;
    if (p < n && is_digit(s[p])) {
        while (p < n && is_digit(s[p])) p++;
        if (p < n && s[p] == '.') p++;
        while (p < n && is_digit(s[p])) p++;
    } else if (p + 1 < n && s[p] == '.' && is_digit(s[p + 1])) {
        p++;
        while (p < n && is_digit(s[p])) p++;
    } else {
        return -1;
    }
    if (p < n && char_class[s[p]] == REGULAR) return -1;
    return p;
}

static PyObject *number_value(const unsigned char *s, Py_ssize_t start, Py_ssize_t end) {
    char small[64];
    Py_ssize_t length = end - start;
    char *text = length < (Py_ssize_t)sizeof(small) ? small : PyMem_Malloc((size_t)length + 1);
    if (text == NULL) return PyErr_NoMemory();
    memcpy(text, s + start, (size_t)length);
    text[length] = '\0';
    char *stop = NULL;
    double value = PyOS_string_to_double(text, &stop, NULL);
    PyObject *result = NULL;
    if (value == -1.0 && PyErr_Occurred()) {
        result = NULL;
    } else if (stop != text + length) {
        /* not expected for this pattern: ask float() itself */
        PyObject *bytes = PyBytes_FromStringAndSize(text, length);
        result = bytes ? PyFloat_FromString(bytes) : NULL;
        Py_XDECREF(bytes);
    } else {
        result = PyFloat_FromDouble(value);
    }
    if (text != small) PyMem_Free(text);
    return result;
}

/* The next token from sc->at. Returns its kind, or -1 with a Python error set. */
static int next_token(Scanner *sc, Token *tok) {
    const unsigned char *s = sc->s;
    Py_ssize_t n = sc->n;
    tok->value = NULL;
    tok->message = NULL;
    for (;;) {
        Py_ssize_t at = sc->at;
        if (at >= n) return T_END;
        unsigned char c = s[at];
        if (char_class[c] == WHITE) {
            while (at < n && char_class[s[at]] == WHITE) at++;
            sc->at = at;
            continue;
        }
        if (c == '%') {
            while (at < n && s[at] != '\r' && s[at] != '\n') at++;
            sc->at = at;
            continue;
        }
        if (c == '(') {
            sc->at = at + 1;
            return literal(sc, tok);
        }
        if ((c == '<' || c == '>') && at + 1 < n && s[at + 1] == c) {
            sc->at = at + 2;
            return T_OTHER;
        }
        if (c == '<') {
            Py_ssize_t p = at + 1;
            while (p < n && (is_hex_digit(s[p]) || char_class[s[p]] == WHITE)) p++;
            if (p < n && s[p] == '>') return hex_string(sc, tok, at, p);
            /* no other alternative reads "<" */
        } else if (c == '[') {
            sc->at = at + 1;
            return T_OPEN_ARRAY;
        } else if (c == ']') {
            sc->at = at + 1;
            return T_CLOSE_ARRAY;
        } else if (c == '{' || c == '}') {
            sc->at = at + 1;
            return T_OTHER;
        } else if (c == '/') {
            Py_ssize_t p = at + 1;
            while (p < n && char_class[s[p]] == REGULAR) p++;
            sc->at = p;
            return name(sc, tok, at + 1, p);
        } else if (char_class[c] == REGULAR) {
            Py_ssize_t p = number_end(s, n, at);
            if (p >= 0) {
                sc->at = p;
                if (sc->dry) return T_OPERAND;
                tok->value = number_value(s, at, p);
                return tok->value ? T_OPERAND : -1;
            }
            p = at;
            while (p < n && char_class[s[p]] == REGULAR) p++;
            sc->at = p;
            Py_ssize_t length = p - at;
            sc->op_start = at;
            sc->op_length = length;
            if ((length == 4 && memcmp(s + at, "true", 4) == 0) || (length == 5 && memcmp(s + at, "false", 5) == 0) ||
                (length == 4 && memcmp(s + at, "null", 4) == 0)) {
                if (sc->dry) return T_OPERAND;
                Py_INCREF(Py_None);
                tok->value = Py_None;
                return T_OPERAND;
            }
            if (sc->dry) return T_OP;
            tok->value = PyUnicode_DecodeLatin1((const char *)s + at, length, NULL);
            return tok->value ? T_OP : -1;
        }
        tok->message = PyUnicode_FromFormat("an unreadable token at byte %zd", at);
        return tok->message ? T_ERROR : -1;
    }
}

static PyObject *kind_operand, *kind_op, *kind_open, *kind_close, *kind_other;

static PyObject *finish(PyObject *items, PyObject *message) {
    if (message == NULL) {
        Py_INCREF(Py_None);
        message = Py_None;
    }
    PyObject *result = PyTuple_Pack(2, items, message);
    Py_DECREF(items);
    Py_DECREF(message);
    return result;
}

/* tokens(data) -> (list of (kind, value), error message or None): pdfium_content.tokens's
 * tokens, up to an error. */
static PyObject *tokens(PyObject *self, PyObject *args) {
    Py_buffer data;
    if (!PyArg_ParseTuple(args, "y*", &data)) return NULL;
    Scanner sc = {(const unsigned char *)data.buf, data.len, 0, NULL, 0, 0, 0, 0};
    PyObject *items = PyList_New(0);
    PyObject *message = NULL;
    if (items == NULL) goto fail;
    for (;;) {
        Token tok;
        int kind = next_token(&sc, &tok);
        if (kind < 0) goto fail;
        if (kind == T_END) break;
        if (kind == T_ERROR) {
            if (tok.message == NULL) goto fail;
            message = tok.message;
            break;
        }
        PyObject *pair;
        switch (kind) {
        case T_OPERAND: pair = PyTuple_Pack(2, kind_operand, tok.value); break;
        case T_OP: pair = PyTuple_Pack(2, kind_op, tok.value); break;
        case T_OPEN_ARRAY: pair = PyTuple_Pack(2, kind_open, Py_None); break;
        case T_CLOSE_ARRAY: pair = PyTuple_Pack(2, kind_close, Py_None); break;
        default: pair = PyTuple_Pack(2, kind_other, Py_None); break;
        }
        Py_XDECREF(tok.value);
        if (pair == NULL || PyList_Append(items, pair) < 0) {
            Py_XDECREF(pair);
            goto fail;
        }
        Py_DECREF(pair);
    }
    PyMem_Free(sc.buffer);
    PyBuffer_Release(&data);
    return finish(items, message);
fail:
    PyMem_Free(sc.buffer);
    PyBuffer_Release(&data);
    Py_XDECREF(items);
    return NULL;
}

/* operations(data, wanted) -> (list of (operator, operands), error message or None):
 * pdfium_content.text_shows's operand loop over the tokens (operands of an operator; an
 * array's operands in a list; "<<", ">>", "{", "}" as None among the operator's operands,
 * even inside an array; a nested array, a "]" without "[", an operator inside an array
 * are errors), keeping the operators in ``wanted`` (a set of str) with their operands. */
static PyObject *operations(PyObject *self, PyObject *args) {
    Py_buffer data;
    PyObject *wanted;
    if (!PyArg_ParseTuple(args, "y*O", &data, &wanted)) return NULL;
    if (!PyAnySet_Check(wanted)) {
        PyBuffer_Release(&data);
        PyErr_SetString(PyExc_TypeError, "wanted must be a set or frozenset of operator names");
        return NULL;
    }
    Scanner sc = {(const unsigned char *)data.buf, data.len, 0, NULL, 0, 0, 0, 0};
    PyObject *items = PyList_New(0);
    PyObject *operands = PyList_New(0);
    PyObject *array = NULL;
    PyObject *message = NULL;
    if (items == NULL || operands == NULL) goto fail;
    for (;;) {
        Token tok;
        int kind = next_token(&sc, &tok);
        if (kind < 0) goto fail;
        if (kind == T_END) break;
        if (kind == T_ERROR) {
            if (tok.message == NULL) goto fail;
            message = tok.message;
            break;
        }
        if (kind == T_OPERAND) {
            int appended = PyList_Append(array != NULL ? array : operands, tok.value);
            Py_DECREF(tok.value);
            if (appended < 0) goto fail;
        } else if (kind == T_OPEN_ARRAY) {
            if (array != NULL) {
                message = PyUnicode_FromString("a nested array");
                if (message == NULL) goto fail;
                break;
            }
            array = PyList_New(0);
            if (array == NULL) goto fail;
        } else if (kind == T_CLOSE_ARRAY) {
            if (array == NULL) {
                message = PyUnicode_FromString("an unbalanced array");
                if (message == NULL) goto fail;
                break;
            }
            int appended = PyList_Append(operands, array);
            Py_CLEAR(array);
            if (appended < 0) goto fail;
        } else if (kind == T_OTHER) {
            if (PyList_Append(operands, Py_None) < 0) goto fail;
        } else { /* T_OP */
            if (array != NULL) {
                message = PyUnicode_FromFormat("operator %U inside an array", tok.value);
                Py_DECREF(tok.value);
                if (message == NULL) goto fail;
                break;
            }
            int keep = PySet_Contains(wanted, tok.value);
            if (keep < 0) {
                Py_DECREF(tok.value);
                goto fail;
            }
            if (keep) {
                PyObject *pair = PyTuple_Pack(2, tok.value, operands);
                Py_DECREF(tok.value);
                if (pair == NULL) goto fail;
                int appended = PyList_Append(items, pair);
                Py_DECREF(pair);
                if (appended < 0) goto fail;
                Py_DECREF(operands);
                operands = PyList_New(0);
                if (operands == NULL) goto fail;
            } else {
                Py_DECREF(tok.value);
                if (PyList_SetSlice(operands, 0, PyList_GET_SIZE(operands), NULL) < 0) goto fail;
            }
        }
    }
    Py_XDECREF(array);
    Py_DECREF(operands);
    PyMem_Free(sc.buffer);
    PyBuffer_Release(&data);
    return finish(items, message);
fail:
    Py_XDECREF(array);
    Py_XDECREF(operands);
    Py_XDECREF(items);
    Py_XDECREF(message);
    PyMem_Free(sc.buffer);
    PyBuffer_Release(&data);
    return NULL;
}


/* ---- text_shows in C: pdfium_content._operator's interpretation of the operators ---- */

/* the operators pdfium_content._operator acts on (pdfium_content.OPERATORS) */
enum {
    OP_NONE, OP_BT, OP_TD_LOWER, OP_TD_UPPER, OP_TM, OP_TSTAR, OP_QUOTE, OP_DQUOTE, OP_SAVE, OP_RESTORE,
    OP_TF, OP_TZ, OP_TC, OP_TW, OP_TJ_LOWER, OP_TJ_UPPER, OP_DO, OP_INLINE, OP_GS
};

static int op_code(const unsigned char *s, Py_ssize_t length) {
    if (length == 1) {
        switch (s[0]) {
        case '\'': return OP_QUOTE;
        case '"': return OP_DQUOTE;
        case 'q': return OP_SAVE;
        case 'Q': return OP_RESTORE;
        default: return OP_NONE;
        }
    }
    if (length != 2) return OP_NONE;
    unsigned char a = s[0], b = s[1];
    if (a == 'T') {
        switch (b) {
        case 'd': return OP_TD_LOWER;
        case 'D': return OP_TD_UPPER;
        case 'm': return OP_TM;
        case '*': return OP_TSTAR;
        case 'f': return OP_TF;
        case 'z': return OP_TZ;
        case 'c': return OP_TC;
        case 'w': return OP_TW;
        case 'j': return OP_TJ_LOWER;
        case 'J': return OP_TJ_UPPER;
        default: return OP_NONE;
        }
    }
    if (a == 'B' && b == 'T') return OP_BT;
    if (a == 'D' && b == 'o') return OP_DO;
    if ((a == 'B' && b == 'I') || (a == 'I' && b == 'D') || (a == 'E' && b == 'I')) return OP_INLINE;
    if (a == 'g' && b == 's') return OP_GS;
    return OP_NONE;
}

/* pdfium_content._State: font and resources are owned references */
typedef struct {
    PyObject *font;
    PyObject *resources;
    double size, scaling, char_space, word_space;
} TextState;

static void state_copy(TextState *to, const TextState *from) {
    Py_INCREF(from->font);
    Py_INCREF(from->resources);
    to->font = from->font;
    to->resources = from->resources;
    to->size = from->size;
    to->scaling = from->scaling;
    to->char_space = from->char_space;
    to->word_space = from->word_space;
}

static void state_clear(TextState *state) {
    Py_CLEAR(state->font);
    Py_CLEAR(state->resources);
}

typedef struct {
    TextState state;
    TextState *stack;
    Py_ssize_t depth, capacity;
    double carried;           /* Show.carried_char_space */
    PyObject *resources;      /* the content's resources (Tf's) */
    PyObject *sets_font;      /* sets_font(name) -> true when the ExtGState sets a font */
    PyObject *form;           /* form(name, font, resources, size, scaling, char_space, word_space) -> shows or None */
    PyObject *make_show;      /* pdfium_content.Show */
    PyObject *shows;          /* the list of shows */
} Interpreter;

/* an operator's error: its message (pdfium_content's wording), 1; or -1 with a Python error */
static int refuse(PyObject **message, const char *text) {
    *message = PyUnicode_FromString(text);
    return *message ? 1 : -1;
}

/* pdfium_content._number: the operand at ``index`` from the end (1: the last) if it is a float */
static int number_at(PyObject *operands, Py_ssize_t from_end, double *value) {
    Py_ssize_t n = PyList_GET_SIZE(operands);
    if (from_end > n) return 0;
    PyObject *item = PyList_GET_ITEM(operands, n - from_end);
    if (!PyFloat_Check(item)) return 0;
    *value = PyFloat_AS_DOUBLE(item);
    return 1;
}

/* pdfium_content._show: a Show of the items (a list of strings and numbers) when the operator
 * makes a PDFium text object. Returns 0, 1 with *message set, or -1. */
static int show(Interpreter *in, PyObject *items, PyObject **message) {
    Py_ssize_t n = PyList_GET_SIZE(items), strings = 0;
    int kerned = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(items, i);
        if (PyBytes_Check(item)) {
            if (PyBytes_GET_SIZE(item)) strings++;
        } else if (PyFloat_Check(item)) {
            kerned = 1;
        } else {
            return refuse(message, "a text operand that is neither a string nor a number");
        }
    }
    if (!strings || in->state.font == Py_None) return 0;
    PyObject *shown = PyTuple_New(strings);
    PyObject *all = PyList_AsTuple(items);
    if (shown == NULL || all == NULL) {
        Py_XDECREF(shown);
        Py_XDECREF(all);
        return -1;
    }
    for (Py_ssize_t i = 0, k = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(items, i);
        if (PyBytes_Check(item) && PyBytes_GET_SIZE(item)) {
            Py_INCREF(item);
            PyTuple_SET_ITEM(shown, k++, item);
        }
    }
    int leading = n > 0 && PyFloat_Check(PyList_GET_ITEM(items, 0));
    TextState *st = &in->state;
    PyObject *found = PyObject_CallFunction(in->make_show, "OOdOOddddOO", st->font, st->resources, st->size, shown, kerned ? Py_True : Py_False,
                                            st->scaling, st->char_space, st->word_space, in->carried, leading ? Py_True : Py_False, all);
    Py_DECREF(shown);
    Py_DECREF(all);
    if (found == NULL) return -1;
    int appended = PyList_Append(in->shows, found);
    Py_DECREF(found);
    if (appended < 0) return -1;
    in->carried = st->char_space * (st->scaling * 0.01);
    return 0;
}

static int is_name(PyObject *value) { return value != NULL && (PyUnicode_Check(value) || PyBytes_Check(value)); }

static PyObject *last(PyObject *operands) {
    Py_ssize_t n = PyList_GET_SIZE(operands);
    return n ? PyList_GET_ITEM(operands, n - 1) : NULL;
}

/* a Form XObject drawn here: its shows (form(...) in Python reads the form and its content),
 * added to the shows; None from form(...): another XObject */
static int draw_form(Interpreter *in, PyObject *name) {
    TextState *st = &in->state;
    PyObject *found = PyObject_CallFunction(in->form, "OOOdddd", name, st->font, st->resources, st->size, st->scaling, st->char_space, st->word_space);
    if (found == NULL) return -1;
    int result = 0;
    if (found != Py_None) {
        PyObject *extended = PyObject_CallMethod(in->shows, "extend", "O", found);
        if (extended == NULL) result = -1;
        Py_XDECREF(extended);
    }
    Py_DECREF(found);
    return result;
}

/* pdfium_content._operator for one operator and its operands. Returns 0, 1 with *message set
 * (the content is not read with certainty), or -1 with a Python error. */
static int interpret(Interpreter *in, int op, PyObject *operands, PyObject **message) {
    TextState *st = &in->state;
    double a, b;
    switch (op) {
    case OP_BT: case OP_TD_LOWER: case OP_TD_UPPER: case OP_TM: case OP_TSTAR:
        in->carried = 0.0;
        return 0;
    case OP_SAVE:
        if (in->depth == in->capacity) {
            Py_ssize_t capacity = in->capacity ? in->capacity * 2 : 16;
            TextState *grown = PyMem_Realloc(in->stack, (size_t)capacity * sizeof(TextState));
            if (grown == NULL) {
                PyErr_NoMemory();
                return -1;
            }
            in->stack = grown;
            in->capacity = capacity;
        }
        state_copy(&in->stack[in->depth++], st);
        return 0;
    case OP_RESTORE:
        if (in->depth) { /* PDFium ignores an unbalanced Q */
            state_clear(st);
            *st = in->stack[--in->depth]; /* the references move */
        }
        return 0;
    case OP_TF: {
        Py_ssize_t n = PyList_GET_SIZE(operands);
        if (n < 2 || !is_name(PyList_GET_ITEM(operands, n - 2))) return refuse(message, "Tf without a font name");
        if (!number_at(operands, 1, &a)) return refuse(message, "an operator without its number");
        PyObject *font = PyList_GET_ITEM(operands, n - 2);
        Py_INCREF(font);
        Py_INCREF(in->resources);
        state_clear(st);
        st->font = font;
        st->resources = in->resources;
        st->size = a;
        return 0;
    }
    case OP_TZ: case OP_TC: case OP_TW:
        if (!number_at(operands, 1, &a)) return refuse(message, "an operator without its number");
        *(op == OP_TZ ? &st->scaling : op == OP_TC ? &st->char_space : &st->word_space) = a;
        return 0;
    case OP_TJ_LOWER: case OP_QUOTE: {
        if (op == OP_QUOTE) in->carried = 0.0;
        PyObject *items = PyList_New(0);
        if (items == NULL) return -1;
        PyObject *item = last(operands);
        if (item != NULL && PyList_Append(items, item) < 0) {
            Py_DECREF(items);
            return -1;
        }
        int result = show(in, items, message);
        Py_DECREF(items);
        return result;
    }
    case OP_DQUOTE: {
        in->carried = 0.0;
        if (!number_at(operands, 3, &a) || !number_at(operands, 2, &b)) return refuse(message, "an operator without its number");
        st->word_space = a;
        st->char_space = b;
        PyObject *items = PyList_New(0);
        if (items == NULL) return -1;
        if (PyList_Append(items, last(operands)) < 0) {
            Py_DECREF(items);
            return -1;
        }
        int result = show(in, items, message);
        Py_DECREF(items);
        return result;
    }
    case OP_TJ_UPPER: {
        PyObject *items = last(operands);
        if (items == NULL || !PyList_Check(items)) return refuse(message, "TJ without an array");
        return show(in, items, message);
    }
    case OP_DO: {
        PyObject *name = last(operands);
        if (!is_name(name)) return refuse(message, "Do without a name");
        return draw_form(in, name);
    }
    case OP_INLINE:
        return refuse(message, "an inline image");
    case OP_GS: {
        PyObject *name = last(operands);
        if (!is_name(name)) return refuse(message, "an ExtGState that sets the font");
        PyObject *sets = PyObject_CallFunctionObjArgs(in->sets_font, name, NULL);
        if (sets == NULL) return -1;
        int truth = PyObject_IsTrue(sets);
        Py_DECREF(sets);
        if (truth < 0) return -1;
        return truth ? refuse(message, "an ExtGState that sets the font") : 0;
    }
    default:
        return 0;
    }
}

/* The operator's rules in ``interpret`` read its operands: BT, Td, TD, Tm, T*, q, Q and an
 * inline image's operators do not (most of a table's text objects are BT, Tm or Td before
 * their Tf and TJ). */
static int reads_operands(int op) {
    switch (op) {
    case OP_BT: case OP_TD_LOWER: case OP_TD_UPPER: case OP_TM: case OP_TSTAR: case OP_SAVE: case OP_RESTORE: case OP_INLINE:
        return 0;
    default:
        return 1;
    }
}

/* The operands from ``from`` up to the operator at sc->op_start, read again with their values
 * (a dry pass read them without error): operations' operand loop. A new list, or NULL. */
static PyObject *operands_between(Scanner *sc, Py_ssize_t from, Py_ssize_t to) {
    Scanner again = *sc;
    again.at = from;
    again.dry = 0;
    PyObject *operands = PyList_New(0);
    PyObject *array = NULL;
    if (operands == NULL) return NULL;
    while (again.at < to) {
        Token tok;
        int kind = next_token(&again, &tok);
        if (kind == T_OPERAND) {
            int appended = PyList_Append(array != NULL ? array : operands, tok.value);
            Py_DECREF(tok.value);
            if (appended < 0) goto fail;
        } else if (kind == T_OPEN_ARRAY) {
            array = PyList_New(0);
            if (array == NULL) goto fail;
        } else if (kind == T_CLOSE_ARRAY) {
            int appended = PyList_Append(operands, array);
            Py_CLEAR(array);
            if (appended < 0) goto fail;
        } else if (kind == T_OTHER) {
            if (PyList_Append(operands, Py_None) < 0) goto fail;
        } else if (kind == T_OP || kind == T_END) { /* the operator at ``to`` */
            Py_XDECREF(tok.value);
            break;
        } else { /* not expected: the dry pass read these bytes as operands */
            Py_XDECREF(tok.value);
            Py_XDECREF(tok.message);
            if (kind >= 0) PyErr_SetString(PyExc_RuntimeError, "content read otherwise the second time");
            goto fail;
        }
    }
    sc->buffer = again.buffer; /* the scratch buffer may have grown */
    sc->capacity = again.capacity;
    Py_XDECREF(array);
    return operands;
fail:
    sc->buffer = again.buffer;
    sc->capacity = again.capacity;
    Py_XDECREF(array);
    Py_DECREF(operands);
    return NULL;
}

/* shows(data, state, resources, sets_font, form, make_show) -> (list of shows, error message or
 * None): pdfium_content.text_shows over one content, the operators read in one dry pass (no
 * value made for the operands of an operator it does not act on) and interpreted as
 * pdfium_content._operator does. ``state``: (font, resources, size, scaling, char_space,
 * word_space) at the start. The message is the first error, of the tokens, of the operand
 * loop or of an operator, after every operator before it was interpreted. */
static PyObject *shows(PyObject *self, PyObject *args) {
    Py_buffer data;
    Interpreter in;
    PyObject *start;
    memset(&in, 0, sizeof(in));
    if (!PyArg_ParseTuple(args, "y*O!OOOO", &data, &PyTuple_Type, &start, &in.resources, &in.sets_font, &in.form, &in.make_show)) return NULL;
    if (!PyArg_ParseTuple(start, "OOdddd", &in.state.font, &in.state.resources, &in.state.size, &in.state.scaling, &in.state.char_space, &in.state.word_space)) {
        PyBuffer_Release(&data);
        return NULL;
    }
    Py_INCREF(in.state.font);
    Py_INCREF(in.state.resources);
    Scanner sc = {(const unsigned char *)data.buf, data.len, 0, NULL, 0, 1, 0, 0};
    PyObject *message = NULL;
    in.shows = PyList_New(0);
    if (in.shows == NULL) goto fail;
    Py_ssize_t operands_from = 0;
    int in_array = 0;
    for (;;) {
        Token tok;
        int kind = next_token(&sc, &tok);
        if (kind < 0) goto fail;
        if (kind == T_END) break;
        if (kind == T_ERROR) {
            if (tok.message == NULL) goto fail;
            message = tok.message;
            break;
        }
        if (kind == T_OPEN_ARRAY) {
            if (in_array) {
                message = PyUnicode_FromString("a nested array");
                if (message == NULL) goto fail;
                break;
            }
            in_array = 1;
        } else if (kind == T_CLOSE_ARRAY) {
            if (!in_array) {
                message = PyUnicode_FromString("an unbalanced array");
                if (message == NULL) goto fail;
                break;
            }
            in_array = 0;
        } else if (kind == T_OP) {
            if (in_array) {
                PyObject *op = PyUnicode_DecodeLatin1((const char *)sc.s + sc.op_start, sc.op_length, NULL);
                if (op == NULL) goto fail;
                message = PyUnicode_FromFormat("operator %U inside an array", op);
                Py_DECREF(op);
                if (message == NULL) goto fail;
                break;
            }
            int op = op_code(sc.s + sc.op_start, sc.op_length);
            if (op != OP_NONE) {
                /* an operator that reads no operand gets an empty list: its operands were read
                 * dry without error, and reading them again with values cannot fail otherwise */
                PyObject *operands = reads_operands(op) ? operands_between(&sc, operands_from, sc.op_start) : PyList_New(0);
                if (operands == NULL) goto fail;
                int done = interpret(&in, op, operands, &message);
                Py_DECREF(operands);
                if (done < 0) goto fail;
                if (done > 0) break;
            }
            operands_from = sc.at;
        }
    }
    PyObject *result = finish(in.shows, message);
    in.shows = NULL;
    message = NULL;
    if (result == NULL) goto fail;
    state_clear(&in.state);
    while (in.depth) state_clear(&in.stack[--in.depth]);
    PyMem_Free(in.stack);
    PyMem_Free(sc.buffer);
    PyBuffer_Release(&data);
    return result;
fail:
    Py_XDECREF(message);
    Py_XDECREF(in.shows);
    state_clear(&in.state);
    while (in.depth) state_clear(&in.stack[--in.depth]);
    PyMem_Free(in.stack);
    PyMem_Free(sc.buffer);
    PyBuffer_Release(&data);
    return NULL;
}

/* ---- the page's text objects in the order of its page objects (pdfium_missing) ---- */

/* PDFium's object functions (fpdf_edit.h), their addresses passed once to ``init_objects``
 * (pdf_content_native.py); the object types are PDFium's public FPDF_PAGEOBJ_* numbers,
 * checked there against pypdfium2's. */
typedef int (*count_objects_t)(void *);
typedef void *(*page_object_t)(void *, int);
typedef void *(*form_object_t)(void *, unsigned long);
typedef int (*object_type_t)(void *);
static count_objects_t page_count_objects, form_count_objects;
static page_object_t page_object;
static form_object_t form_object;
static object_type_t object_type;
enum { OBJECT_TEXT = 1, OBJECT_FORM = 5 };

static PyObject *init_objects(PyObject *self, PyObject *args) {
    unsigned long long addresses[5];
    if (!PyArg_ParseTuple(args, "KKKKK", &addresses[0], &addresses[1], &addresses[2], &addresses[3], &addresses[4])) return NULL;
    for (int i = 0; i < 5; i++) {
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
    Py_RETURN_NONE;
}

/* pdfium_missing._collect: the text objects of a page (form NULL) or of a form, a form's
 * inner ones where the form stands while ``depth`` is below ``max_depth``. 0, or -1. */
static int collect_text_objects(PyObject *found, void *page, void *form, int depth, int max_depth) {
    int count = form ? form_count_objects(form) : page_count_objects(page);
    for (int i = 0; i < count; i++) {
        void *object = form ? form_object(form, (unsigned long)i) : page_object(page, i);
        int kind = object_type(object);
        if (kind == OBJECT_TEXT) {
            PyObject *address = PyLong_FromVoidPtr(object);
            if (address == NULL) return -1;
            int appended = PyList_Append(found, address);
            Py_DECREF(address);
            if (appended < 0) return -1;
        } else if (kind == OBJECT_FORM && depth < max_depth) {
            if (collect_text_objects(found, NULL, object, depth + 1, max_depth) < 0) return -1;
        }
    }
    return 0;
}

/* text_object_addresses(page address, max_depth) -> the addresses of the page's text objects */
static PyObject *text_object_addresses(PyObject *self, PyObject *args) {
    unsigned long long page;
    int max_depth;
    if (!PyArg_ParseTuple(args, "Ki", &page, &max_depth)) return NULL;
    if (page_count_objects == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "_pdf_content.init_objects was not called");
        return NULL;
    }
    if (!page) {
        PyErr_SetString(PyExc_ValueError, "no page");
        return NULL;
    }
    PyObject *found = PyList_New(0);
    if (found == NULL) return NULL;
    if (collect_text_objects(found, (void *)(uintptr_t)page, NULL, 0, max_depth) < 0) {
        Py_DECREF(found);
        return NULL;
    }
    return found;
}

static PyMethodDef methods[] = {
    {"init_objects", init_objects, METH_VARARGS, "The addresses of the five PDFium page object functions, once."},
    {"text_object_addresses", text_object_addresses, METH_VARARGS, "The addresses of a page's text objects, forms' where they stand."},
    {"tokens", tokens, METH_VARARGS, "The tokens of a content stream and the error that ended them (None)."},
    {"operations", operations, METH_VARARGS, "The wanted operators with their operands and the error that ended them (None)."},
    {"shows", shows, METH_VARARGS, "pdfium_content.text_shows over one content: the shows and the error that ended them (None)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_pdf_content", "pdfium_content's tokenizer in C.", -1, methods};

PyMODINIT_FUNC PyInit__pdf_content(void) {
    memset(char_class, REGULAR, sizeof(char_class));
    const char *white = "\x00\t\n\x0c\r ";
    for (int i = 0; i < 6; i++) char_class[(unsigned char)white[i]] = WHITE;
    const char *delimiters = "()<>[]{}/%";
    for (const char *d = delimiters; *d; d++) char_class[(unsigned char)*d] = DELIMITER;
    kind_operand = PyUnicode_InternFromString("operand");
    kind_op = PyUnicode_InternFromString("op");
    kind_open = PyUnicode_InternFromString("[");
    kind_close = PyUnicode_InternFromString("]");
    kind_other = PyUnicode_InternFromString("other");
    if (!kind_operand || !kind_op || !kind_open || !kind_close || !kind_other) return NULL;
    return PyModule_Create(&module);
}

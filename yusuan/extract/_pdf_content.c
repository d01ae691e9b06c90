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
 * The Python reader stays the oracle (tests/unit/test_pdf_content_native.py,
 * benchmarks/content_tokens_equal.py: every fixture and corpus page).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
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
                tok->value = number_value(s, at, p);
                return tok->value ? T_OPERAND : -1;
            }
            p = at;
            while (p < n && char_class[s[p]] == REGULAR) p++;
            sc->at = p;
            Py_ssize_t length = p - at;
            if ((length == 4 && memcmp(s + at, "true", 4) == 0) || (length == 5 && memcmp(s + at, "false", 5) == 0) ||
                (length == 4 && memcmp(s + at, "null", 4) == 0)) {
                Py_INCREF(Py_None);
                tok->value = Py_None;
                return T_OPERAND;
            }
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
    Scanner sc = {(const unsigned char *)data.buf, data.len, 0, NULL, 0};
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
    Scanner sc = {(const unsigned char *)data.buf, data.len, 0, NULL, 0};
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

static PyMethodDef methods[] = {
    {"tokens", tokens, METH_VARARGS, "The tokens of a content stream and the error that ended them (None)."},
    {"operations", operations, METH_VARARGS, "The wanted operators with their operands and the error that ended them (None)."},
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

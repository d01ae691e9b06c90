/* A stable merge sort for the arrays of the layout loops (the extension yusuan.extract._layout_loops).
 *
 * The loops sorted with the C library's qsort: in glibc 2.36 a merge sort (stable) whose every
 * comparison is a call through a function pointer and whose every move is a memcpy of the
 * element's size. A page's characters come nearly in order (by top, then by x0 within a
 * line), and qsort does the same work on them as on any order. LAYOUT_STABLE_SORT defines a
 * sort for one element type with the comparison written inline: runs of 16 sorted by
 * insertion, then merged pairwise, a merge skipped where its two runs are already in order
 * (an ordered array costs one comparison per element and a run).
 *
 * It is stable, as glibc's merge sort is: for the same ``before`` test (a strict weak order:
 * "a must come before b") the two give the same order, ties in their order in the array; the
 * callers' tests end in a unique index, so no two elements tie at all. Where its scratch
 * cannot be allocated it sorts by insertion alone (stable too, quadratic): never an error.
 *
 *     LAYOUT_STABLE_SORT(sort_keyed, Keyed, a->key < b->key || (a->key == b->key && a->index < b->index))
 *     sort_keyed(keyed, count);
 *
 * ``before`` reads two ``const Type *`` named a and b. */
#ifndef YUSUAN_LAYOUT_SORT_H
#define YUSUAN_LAYOUT_SORT_H

#include <Python.h>
#include <string.h>

#define LAYOUT_SORT_RUN 16

#define LAYOUT_STABLE_SORT(name, Type, before)                                                            \
    static inline int name##_before(const Type *a, const Type *b) { return (before); }                    \
    /* items[start:end] by insertion: each element moved left past those it must come before */          \
    static void name##_insertion(Type *items, Py_ssize_t start, Py_ssize_t end) {                         \
        for (Py_ssize_t i = start + 1; i < end; i++) {                                                    \
            if (!name##_before(&items[i], &items[i - 1])) continue;                                       \
            Type moving = items[i];                                                                       \
            Py_ssize_t j = i;                                                                             \
            while (j > start && name##_before(&moving, &items[j - 1])) {                                  \
                items[j] = items[j - 1];                                                                  \
                j--;                                                                                      \
            }                                                                                             \
            items[j] = moving;                                                                            \
        }                                                                                                 \
    }                                                                                                     \
    /* items[start:middle] and items[middle:end], each sorted, into one: the left run copied to          \
     * scratch, an element of the right run taken first only when it must come before (stable) */       \
    static void name##_merge(Type *items, Type *scratch, Py_ssize_t start, Py_ssize_t middle, Py_ssize_t end) { \
        Py_ssize_t left = 0, left_end = middle - start, right = middle, out = start;                      \
        memcpy(scratch, items + start, (size_t)left_end * sizeof(Type));                                 \
        while (left < left_end && right < end) {                                                          \
            if (name##_before(&items[right], &scratch[left]))                                             \
                items[out++] = items[right++];                                                            \
            else                                                                                          \
                items[out++] = scratch[left++];                                                           \
        }                                                                                                 \
        while (left < left_end) items[out++] = scratch[left++];                                           \
    }                                                                                                     \
    static void name(Type *items, Py_ssize_t count) {                                                     \
        if (count < 2) return;                                                                            \
        Type *scratch = count > LAYOUT_SORT_RUN ? PyMem_Malloc((size_t)count * sizeof(Type)) : NULL;      \
        if (scratch == NULL) { /* one run, or no memory for the merges: insertion alone */               \
            name##_insertion(items, 0, count);                                                            \
            return;                                                                                       \
        }                                                                                                 \
        for (Py_ssize_t start = 0; start < count; start += LAYOUT_SORT_RUN)                               \
            name##_insertion(items, start, start + LAYOUT_SORT_RUN < count ? start + LAYOUT_SORT_RUN : count); \
        for (Py_ssize_t width = LAYOUT_SORT_RUN; width < count; width *= 2) {                             \
            for (Py_ssize_t start = 0; start + width < count; start += 2 * width) {                       \
                Py_ssize_t middle = start + width, end = middle + width < count ? middle + width : count;  \
                if (name##_before(&items[middle], &items[middle - 1]))                                    \
                    name##_merge(items, scratch, start, middle, end);                                     \
            }                                                                                             \
        }                                                                                                 \
        PyMem_Free(scratch);                                                                              \
    }

#endif

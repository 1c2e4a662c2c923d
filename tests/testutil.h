/*
 * tests/testutil.h - scratch directories and files for tests.
 * Every helper asserts on failure, so tests stay about behaviour.
 */
#ifndef CUSTOS_TESTS_TESTUTIL_H
#define CUSTOS_TESTS_TESTUTIL_H

#include <stddef.h>

/* New empty directory under $TMPDIR (caller frees the string). */
char *tu_mkdtemp(void);
/* Write LEN bytes of DATA to DIR/REL, creating parent directories. */
void tu_write(const char *dir, const char *rel, const void *data, size_t len);
/* Write a NUL-terminated string. */
void tu_write_str(const char *dir, const char *rel, const char *text);
/* Read DIR/REL into a new NUL-terminated buffer. */
char *tu_read(const char *dir, const char *rel, size_t *len);
/* rm -rf DIR (DIR must lie under $TMPDIR or /tmp). */
void tu_rmrf(const char *dir);
/* DIR/REL as a new string. */
char *tu_path(const char *dir, const char *rel);

#endif

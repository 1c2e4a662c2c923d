/*
 * tests/formats/test_container_corpus.c - container identification over
 * the skeleton corpus (tests/corpora/formats, container rows of
 * manifest.tsv) with container-signature-20260119.xml: the trigger comes
 * from the magic bytes (ZIP PK\3\4 -> x-fmt/263, OLE2 D0CF11E0 -> fmt/111)
 * and the expected PUID (or an acceptable one) must be among the matches.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "formats/container.h"

#define CORPUS CUSTOS_CORPORA "/formats"
#define SIGFILE CUSTOS_CORPORA \
	"/pronom/container-signature-20260119.xml"

static const char *trigger_of(const char *path)
{
	unsigned char m[8] = { 0 };
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = read(fd, m, sizeof(m));
	close(fd);
	if (n == 8 && memcmp(m, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
		return "fmt/111";
	if (n >= 4 && memcmp(m, "PK\x03\x04", 4) == 0)
		return "x-fmt/263";
	return NULL;
}

/* True if PUID is EXPECTED or listed in ACCEPTABLE ("a;b" or "a,b"). */
static bool wanted(const char *puid, const char *expected,
		   const char *acceptable)
{
	size_t n = strlen(puid);
	const char *p;

	if (strcmp(puid, expected) == 0)
		return true;
	for (p = strstr(acceptable, puid); p != NULL; p = strstr(p + 1, puid))
		if ((p == acceptable || strchr(",; ", p[-1])) &&
		    (p[n] == '\0' || strchr(",; ", p[n])))
			return true;
	return false;
}

/* Split a TSV line in place into at most MAX fields. */
static size_t split_tsv(char *line, char **f, size_t max)
{
	size_t n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	f[n++] = line;
	for (char *p = line; *p != '\0' && n < max; p++)
		if (*p == '\t') {
			*p = '\0';
			f[n++] = p + 1;
		}
	return n;
}

/* True if some signature of CS maps to PUID. */
static bool has_puid(const struct container_sigs *cs, const char *puid)
{
	size_t i, k;

	for (i = 0; i < container_sigs_count(cs); i++)
		for (k = 0; container_sigs_puids(cs, i)[k] != NULL; k++)
			if (strcmp(container_sigs_puids(cs, i)[k], puid) == 0)
				return true;
	return false;
}

static int check_row(const struct container_sigs *cs, char **f,
		     size_t *rows, size_t *ok)
{
	struct container_match m[16];
	struct custos_err err;
	char path[4096];
	const char *trig;
	int fd, n, i;

	snprintf(path, sizeof(path), "%s/%s", CORPUS, f[0]);
	trig = trigger_of(path);
	if (trig == NULL)
		return 0;
	(*rows)++;
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	n = container_identify(cs, fd, trig, m, 16, &err);
	close(fd);
	for (i = 0; i < n; i++)
		if (wanted(m[i].puid, f[3], f[4])) {
			(*ok)++;
			return 0;
		}
	printf("MISS %s expected %s got", f[0], f[3]);
	if (n < 0)
		printf(" error: %s", err.msg);
	for (i = 0; i < n; i++)
		printf(" %s", m[i].puid);
	printf("\n");
	return 0;
}

/* Run every container row whose expected PUID CS knows; *rows and *ok
 * count them. */
static void run_corpus(const struct container_sigs *cs, size_t *rows,
		       size_t *ok)
{
	char line[8192], *f[16];
	FILE *fp;

	fp = fopen(CORPUS "/manifest.tsv", "r");
	assert_non_null(fp);
	assert_non_null(fgets(line, sizeof(line), fp));     /* header */
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (split_tsv(line, f, 16) < 5 ||
		    strncmp(f[0], "skeleton/container/", 19) != 0 ||
		    !has_puid(cs, f[3]))
			continue;
		check_row(cs, f, rows, ok);
	}
	fclose(fp);
}

static void container_corpus__accuracy(void **state)
{
	struct container_sigs *cs;
	struct custos_err err;
	size_t rows = 0, ok = 0;

	(void)state;
	assert_int_equal(container_sigs_load(&cs, SIGFILE, &err), 0);
	run_corpus(cs, &rows, &ok);
	container_sigs_free(cs);
	printf("container skeletons: %zu of %zu identified (%.2f%%)\n", ok,
	       rows, rows ? 100.0 * (double)ok / (double)rows : 0.0);
	assert_true(rows >= 290);
	assert_true(ok * 100 >= rows * 99);
}

/* The built-in set alone finds every skeleton of the formats it covers
 * (DOC, XLS, PPT, MSG, OOXML, ODF, EPUB). */
static void container_corpus__builtin_accuracy(void **state)
{
	struct container_sigs *cs;
	struct custos_err err;
	size_t rows = 0, ok = 0;

	(void)state;
	assert_int_equal(container_sigs_builtin(&cs, &err), 0);
	run_corpus(cs, &rows, &ok);
	container_sigs_free(cs);
	printf("built-in set: %zu of %zu skeletons\n", ok, rows);
	assert_true(rows >= 25);
	assert_int_equal(ok, rows);
}

/* Each built-in signature maps to the PUIDs the published file gives the
 * signature with the same id. */
static void container_corpus__builtin_puids_agree(void **state)
{
	struct container_sigs *real, *mine;
	struct custos_err err;
	size_t i, k, j;

	(void)state;
	assert_int_equal(container_sigs_load(&real, SIGFILE, &err), 0);
	assert_int_equal(container_sigs_builtin(&mine, &err), 0);
	for (i = 0; i < container_sigs_count(mine); i++) {
		const char *const *p = container_sigs_puids(mine, i);

		for (k = 0; k < container_sigs_count(real); k++)
			if (container_sigs_id(real, k) ==
			    container_sigs_id(mine, i))
				break;
		if (k == container_sigs_count(real))
			fail_msg("built-in signature %d not in the file",
				 container_sigs_id(mine, i));
		for (j = 0; p[j] != NULL; j++)
			assert_string_equal(p[j],
					    container_sigs_puids(real, k)[j]);
		assert_null(container_sigs_puids(real, k)[j]);
	}
	container_sigs_free(real);
	container_sigs_free(mine);
}

/* The signature file loads completely: every signature has a PUID. */
static void container_corpus__loads_whole_file(void **state)
{
	struct container_sigs *cs;
	struct custos_err err;
	size_t i, n;

	(void)state;
	assert_int_equal(container_sigs_load(&cs, SIGFILE, &err), 0);
	n = container_sigs_count(cs);
	assert_int_equal(n, 310);
	for (i = 0; i < n; i++)
		assert_non_null(container_sigs_puids(cs, i)[0]);
	assert_string_equal(container_sigs_version(cs), "40");
	assert_true(container_is_trigger(cs, "fmt/111"));
	assert_true(container_is_trigger(cs, "fmt/189"));
	assert_true(container_is_trigger(cs, "x-fmt/263"));
	assert_false(container_is_trigger(cs, "fmt/40"));
	container_sigs_free(cs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(container_corpus__loads_whole_file),
		cmocka_unit_test(container_corpus__accuracy),
		cmocka_unit_test(container_corpus__builtin_accuracy),
		cmocka_unit_test(container_corpus__builtin_puids_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

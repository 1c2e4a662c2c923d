/*
 * audit/report/report_log.c - the event log as evidence: its hash chain check,
 * the RFC 9162 Merkle tree over the exact stored records (leaf i = the
 * record of the i-th event by row id), inclusion proofs of one event and
 * consistency proofs from the tree head an earlier report recorded.
 */
#include "audit/report/report_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "preserve/catalog/catalog_log_read.h"
#include "preserve/repo/repo.h"

struct leaves {
	struct merkle_hash *h;
	size_t n, cap;
	int failed;
};

static int add_leaf(void *arg, const char *record, size_t len)
{
	struct leaves *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		struct merkle_hash *h = reallocarray(l->h, cap, sizeof(*h));

		if (!h) {
			l->failed = 1;
			return 1;
		}
		l->h = h;
		l->cap = cap;
	}
	if (merkle_leaf(&l->h[l->n++], record, len) < 0) {
		l->failed = 1;
		return 1;
	}
	return 0;
}

int report_log_leaves(struct repo *r, struct merkle_hash **out, size_t *n,
		      struct custos_err *err)
{
	struct leaves l = { 0 };
	int rc = catalog_log_records(repo_catalog(r), add_leaf, &l, err);

	if (rc < 0) {
		free(l.h);
		return -1;
	}
	if (l.failed) {
		free(l.h);
		return err_set(err, CUSTOS_EINTERNAL, repo_root(r), "cannot hash the event log");
	}
	*out = l.h;
	*n = l.n;
	return 0;
}

int report_log_section(struct repo *r, json_t *rep, struct custos_err *err)
{
	struct merkle_hash *leaves = NULL, root;
	char hex[2 * MERKLE_HASH + 1];
	struct catalog_log_check chk;
	struct catalog_log_head head;
	size_t n = 0;

	if (catalog_log_check(repo_catalog(r), &chk, err) < 0 ||
	    catalog_log_head(repo_catalog(r), &head, err) < 0 ||
	    report_log_leaves(r, &leaves, &n, err) < 0)
		return -1;
	merkle_root(&root, leaves, n);
	free(leaves);
	merkle_hex(hex, &root);
	json_t *log = json_pack("{s:I, s:o, s:o}", "events", (json_int_t)head.events,
				"head_hash", rjson_str(head.hash[0] ? head.hash : NULL),
				"head_event", rjson_str(head.uuid[0] ? head.uuid : NULL));
	json_object_set_new(log, "hash_chain", json_pack("{s:b, s:I, s:s?, s:s}",
		"intact", chk.bad == 0, "broken_at_row", (json_int_t)chk.bad,
		"reason", chk.bad ? chk.why : NULL,
		"rule", "h_i = SHA-256(0x02 || h_i-1 || SHA-256(record_i)), h_0 = 64 zeros"));
	json_object_set_new(log, "merkle", json_pack("{s:I, s:s, s:s, s:s}",
		"tree_size", (json_int_t)n, "root", hex, "hash", "sha256",
		"leaf", "RFC 9162: SHA-256(0x00 || record) over each event's stored record,"
		" in row order"));
	return json_object_set_new(rep, "log", log);
}

/* Row index (0-based) of EVENT: its uuid or its row id. */
static int find_event(struct repo *r, const char *event, int64_t *index,
		      struct custos_err *err)
{
	int64_t found;

	if (catalog_log_position(repo_catalog(r), event, &found, index, err) < 0)
		return -1;
	if (found != 1)
		return err_set(err, CUSTOS_EUSAGE, NULL, "no event '%s' in the log", event);
	return 0;
}

static void print_path(FILE *to, const char *label, const struct merkle_hash *path,
		       size_t np)
{
	char hex[2 * MERKLE_HASH + 1];

	fprintf(to, "%s: %zu hashes\n", label, np);
	for (size_t i = 0; i < np; i++) {
		merkle_hex(hex, &path[i]);
		fprintf(to, "  %s\n", hex);
	}
}

static int prove(struct repo *r, const char *event, FILE *to, bool *ok,
		 struct custos_err *err)
{
	struct merkle_hash *leaves = NULL, root, path[MERKLE_MAX_PATH];
	char hex[2 * MERKLE_HASH + 1];
	int64_t index;
	size_t n = 0, np = 0;

	*ok = false;
	if (find_event(r, event, &index, err) < 0 ||
	    report_log_leaves(r, &leaves, &n, err) < 0)
		return -1;
	if (merkle_root(&root, leaves, n) < 0) {
		free(leaves);
		return err_set(err, CUSTOS_EINTERNAL, NULL, "cannot hash the log");
	}
	if (merkle_inclusion_proof(path, &np, leaves, n, (size_t)index, err) < 0) {
		free(leaves);
		return -1;
	}
	*ok = merkle_inclusion_verify(&leaves[index], (size_t)index, n, path, np, &root);
	fprintf(to, "event: %s\nleaf index: %" PRId64 " (row order)\ntree size: %zu\n", event,
		index, n);
	merkle_hex(hex, &leaves[index]);
	fprintf(to, "leaf hash: %s\n", hex);
	merkle_hex(hex, &root);
	fprintf(to, "root: %s\n", hex);
	print_path(to, "inclusion proof (RFC 9162 2.1.3)", path, np);
	fprintf(to, "%s\n", *ok ? "inclusion proof verified" : "inclusion proof FAILED");
	free(leaves);
	return 0;
}

/* The tree head recorded in DIR/report.json. */
static int old_head(const char *dir, size_t *size, struct merkle_hash *root,
		    struct custos_err *err)
{
	char path[4096];
	json_error_t je;
	json_t *rep, *m;
	int rc = 0;

	if ((size_t)snprintf(path, sizeof(path), "%s/report.json", dir) >= sizeof(path))
		return err_set(err, CUSTOS_ELIMIT, dir, "path too long: '%s'", dir);
	rep = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!rep)
		return err_set(err, CUSTOS_EFORMAT, path, "cannot read '%s': %s", path, je.text);
	m = rjson_get(rep, "log/merkle");
	if (!json_is_integer(json_object_get(m, "tree_size")) ||
	    json_integer_value(json_object_get(m, "tree_size")) < 0 ||
	    !json_is_string(json_object_get(m, "root")) ||
	    merkle_unhex(root, json_string_value(json_object_get(m, "root"))) < 0)
		rc = err_set(err, CUSTOS_EFORMAT, path, "no log tree head (log.merkle"
			     " tree_size and root) in '%s'", path);
	else
		*size = (size_t)json_integer_value(json_object_get(m, "tree_size"));
	json_decref(rep);
	return rc;
}

static int consistency(struct repo *r, const char *dir, FILE *to, bool *ok,
		       struct custos_err *err)
{
	struct merkle_hash *leaves = NULL, root, old, path[MERKLE_MAX_PATH];
	char hex[2 * MERKLE_HASH + 1];
	size_t m = 0, n = 0, np = 0;
	int rc = 0;

	*ok = false;
	if (old_head(dir, &m, &old, err) < 0 || report_log_leaves(r, &leaves, &n, err) < 0)
		return -1;
	merkle_root(&root, leaves, n);
	merkle_hex(hex, &old);
	fprintf(to, "earlier tree head: size %zu, root %s\n", m, hex);
	merkle_hex(hex, &root);
	fprintf(to, "current tree head: size %zu, root %s\n", n, hex);
	if (m > n) {
		fprintf(to, "consistency FAILED: the log has fewer events than the earlier report\n");
	} else if (m == 0) {
		*ok = true;   /* the empty log is a prefix of every log */
		fprintf(to, "the earlier log was empty: every log extends it\n");
	} else if ((rc = merkle_consistency_proof(path, &np, leaves, n, m, err)) == 0) {
		*ok = merkle_consistency_verify(m, n, &old, &root, path, np);
		print_path(to, "consistency proof (RFC 9162 2.1.4)", path, np);
		fprintf(to, "%s\n", *ok ? "consistency proof verified: the log only grew" :
			"consistency proof FAILED: the log was rewritten since the earlier report");
	}
	free(leaves);
	return rc;
}

int report_log_prove(struct repo *r, const char *event, FILE *to, bool *ok,
		     struct custos_err *err)
{
	int rc;

	*ok = false;
	if (catalog_snapshot_begin(repo_catalog(r), err) < 0)
		return -1;
	rc = prove(r, event, to, ok, err);
	catalog_snapshot_end(repo_catalog(r));
	return rc;
}

int report_log_consistency(struct repo *r, const char *dir, FILE *to, bool *ok,
			   struct custos_err *err)
{
	int rc;

	*ok = false;
	if (catalog_snapshot_begin(repo_catalog(r), err) < 0)
		return -1;
	rc = consistency(r, dir, to, ok, err);
	catalog_snapshot_end(repo_catalog(r));
	return rc;
}

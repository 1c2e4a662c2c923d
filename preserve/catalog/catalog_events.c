/*
 * preserve/catalog/catalog_events.c - the PREMIS event log: append-only rows,
 * each carrying the exact record bytes (compact JSON, sorted keys) and
 * h_i = SHA-256(0x02 || h_{i-1} || SHA-256(record_i)), h_0 = 64 zeros.
 * Verification never re-serialises: it hashes the stored bytes and checks
 * that the indexed columns agree with the record.
 */
#include "core/text.h"
#include "preserve/catalog/catalog_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#define VOCAB "http://id.loc.gov/vocabulary/preservation/"
#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static int unhex(unsigned char *raw, const char *hex, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		raw[i] = (unsigned char)v;
	}
	return 0;
}

/* h = SHA-256(0x02 || prev || SHA-256(record)), as hex. */
static int chain_hash(char out[65], const char *prev_hex, const char *record)
{
	unsigned char prev[32], inner[32], buf[65], h[32];
	unsigned int n;

	if (strlen(prev_hex) != 64 || unhex(prev, prev_hex, 32) < 0)
		return -1;
	if (!EVP_Digest(record, strlen(record), inner, &n, EVP_sha256(), NULL))
		return -1;
	buf[0] = 0x02;
	memcpy(buf + 1, prev, 32);
	memcpy(buf + 33, inner, 32);
	if (!EVP_Digest(buf, sizeof(buf), h, &n, EVP_sha256(), NULL))
		return -1;
	text_to_hex(out, h, 32);
	return 0;
}

void catalog_new_uuid(char out[37])
{
	unsigned char r[16];
	char hex[33];

	RAND_bytes(r, sizeof(r));
	r[6] = (r[6] & 0x0f) | 0x40;   /* version 4 */
	r[8] = (r[8] & 0x3f) | 0x80;   /* variant 1 */
	text_to_hex(hex, r, 16);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
		 hex + 16, hex + 20);
}

static void set_str(json_t *o, const char *key, const char *v)
{
	if (v)
		json_object_set_new(o, key, json_string(v));
}

/* The canonical record of an event: what is hashed and kept forever. */
static char *make_record(const struct catalog_event *e, const char *uuid,
			 const char *when)
{
	json_t *o = json_object();
	char *s, uri[128];

	if (!o)
		return NULL;
	set_str(o, "identifier", uuid);
	snprintf(uri, sizeof(uri), VOCAB "eventType/%s", e->type);
	set_str(o, "type", uri);
	set_str(o, "datetime", when);
	snprintf(uri, sizeof(uri), VOCAB "eventOutcome/%s", e->outcome);
	set_str(o, "outcome", uri);
	set_str(o, "detail", e->detail);
	set_str(o, "outcome_note", e->outcome_note);
	set_str(o, "object", e->object);
	if (e->version)
		json_object_set_new(o, "version", json_integer(e->version));
	set_str(o, "location", e->location);
	set_str(o, "related_event", e->related);
	set_str(o, "agent", "custos " CUSTOS_VERSION);
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
}

static int last_hash(struct catalog *c, char out[65], struct custos_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (catalog_stmt(c, STMT_EVENT_LAST,
			 "SELECT hash FROM events ORDER BY id DESC LIMIT 1", &st, err) < 0)
		return -1;
	rc = sqlite3_step(st);
	snprintf(out, 65, "%s", rc == SQLITE_ROW ?
		 (const char *)sqlite3_column_text(st, 0) : GENESIS);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return catalog_sqlerr(c, "reading the event log", err);
	return 0;
}

int catalog_event_add(struct catalog *c, const struct catalog_event *e,
		      char *uuid_out, struct custos_err *err)
{
	char uuid[37], when[32], prev[65], hash[65];
	sqlite3_stmt *st = NULL;
	char *record;
	int rc;

	if (e->uuid)
		snprintf(uuid, sizeof(uuid), "%s", e->uuid);
	else
		catalog_new_uuid(uuid);
	if (e->datetime)
		snprintf(when, sizeof(when), "%s", e->datetime);
	else
		catalog_now(when);
	if (last_hash(c, prev, err) < 0)
		return -1;
	record = make_record(e, uuid, when);
	if (!record)
		return err_nomem(err);
	if (chain_hash(hash, prev, record) < 0) {
		free(record);
		return err_set(err, CUSTOS_EINTERNAL, c->path, "cannot hash an event");
	}
	if (catalog_stmt(c, STMT_EVENT_ADD,
			 "INSERT INTO events(uuid, type, datetime, outcome, object,"
			 " version, location, record, prev_hash, hash)"
			 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", &st, err) < 0) {
		free(record);
		return -1;
	}
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, e->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, when, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, e->outcome, -1, SQLITE_STATIC);
	if (e->object)
		sqlite3_bind_text(st, 5, e->object, -1, SQLITE_STATIC);
	if (e->version)
		sqlite3_bind_int(st, 6, e->version);
	if (e->location)
		sqlite3_bind_text(st, 7, e->location, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, record, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 9, prev, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 10, hash, -1, SQLITE_TRANSIENT);
	rc = catalog_step_done(c, st, "appending an event", err);
	free(record);
	if (rc == 0 && uuid_out)
		memcpy(uuid_out, uuid, 37);
	return rc;
}

/* The columns an event row is indexed by must say what its record says. */
static const char *columns_disagree(sqlite3_stmt *st, const char *record)
{
	json_t *o = json_loads(record, 0, NULL);
	const char *why = NULL;
	const char *type = (const char *)sqlite3_column_text(st, 3);
	const char *rec_type;

	if (!o)
		return "its record is not valid JSON";
	rec_type = json_string_value(json_object_get(o, "type"));
	if (!rec_type || strlen(rec_type) < 3 || !type ||
	    strcmp(rec_type + strlen(rec_type) - strlen(type), type))
		why = "its type column differs from its record";
	else if (strcmp(json_string_value(json_object_get(o, "identifier")) ?: "",
			(const char *)sqlite3_column_text(st, 1)))
		why = "its identifier column differs from its record";
	json_decref(o);
	return why;
}

int catalog_log_verify(struct catalog *c, int64_t *count, int64_t *bad,
		       char *why, size_t whysize, struct custos_err *err)
{
	sqlite3_stmt *st = NULL;
	char prev[65] = GENESIS, h[65];
	int64_t expect_id = 0;
	int rc;

	*count = 0;
	*bad = 0;
	why[0] = '\0';
	if (sqlite3_prepare_v2(c->db, "SELECT id, uuid, record, type, prev_hash, hash"
			       " FROM events ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return catalog_sqlerr(c, "reading the event log", err);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *record = (const char *)sqlite3_column_text(st, 2);
		const char *stored_prev = (const char *)sqlite3_column_text(st, 4);
		const char *stored = (const char *)sqlite3_column_text(st, 5);
		const char *disagree = NULL;

		(*count)++;
		if (expect_id && id != expect_id + 1)
			snprintf(why, whysize, "events %lld to %lld are missing",
				 (long long)expect_id + 1, (long long)id - 1);
		else if (!record || !stored || !stored_prev || strcmp(stored_prev, prev))
			snprintf(why, whysize, "its previous hash does not match event %lld",
				 (long long)expect_id);
		else if (chain_hash(h, prev, record) < 0 || strcmp(h, stored))
			snprintf(why, whysize, "its record does not hash to its stored hash");
		else if ((disagree = columns_disagree(st, record)))
			snprintf(why, whysize, "%s", disagree);
		if (why[0]) {
			*bad = id;
			break;
		}
		snprintf(prev, sizeof(prev), "%s", stored);
		expect_id = id;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return catalog_sqlerr(c, "reading the event log", err);
	return 0;
}

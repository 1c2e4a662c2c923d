/*
 * audit/report/report_csv.c - findings.csv: one row per failure event in the
 * period, per open file-check finding and per repair (RFC 4180: every
 * field quoted, quotes doubled, CRLF line ends).
 */
#include "audit/report/report_int.h"

#include <stdlib.h>
#include <string.h>
#include "core/strbuf.h"

static void field(struct strbuf *b, json_t *v, bool last)
{
	const char *s = json_string_value(v);
	char num[32];

	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		s = num;
	}
	strbuf_add(b, "\"", 1);
	for (; s && *s; s++)
		strbuf_add(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
	strbuf_add(b, last ? "\"\r\n" : "\",", last ? 3 : 2);
}

static void rows(struct strbuf *b, json_t *arr, const char *kind, const char *const *keys,
		 size_t nkeys)
{
	json_t *v, *k = json_string(kind);
	size_t i;

	json_array_foreach(arr, i, v) {
		field(b, k, false);
		for (size_t j = 0; j < nkeys; j++)
			field(b, keys[j] ? json_object_get(v, keys[j]) : NULL, j + 1 == nkeys);
	}
	json_decref(k);
}

int report_write_csv(const char *dir, json_t *rep, struct custos_err *err)
{
	static const char *const ev[] = { "event", "datetime", "type", "object", "version",
					  "location", NULL, "detail", "outcome_note" };
	static const char *const rp[] = { "event", "datetime", "type", "object", "version",
					  "location", NULL, "detail", "related_event" };
	static const char *const fc[] = { NULL, "last_verified", NULL, "object", "version",
					  "location", "path", "state", NULL };
	struct strbuf b;
	int rc;

	strbuf_init(&b, REPORT_MAX_FILE);
	strbuf_addf(&b, "kind,event,datetime,type,object,version,location,path,detail,note\r\n");
	rows(&b, json_object_get(rep, "findings"), "finding", ev, 9);
	rows(&b, json_object_get(rep, "open_file_findings"), "file-check", fc, 9);
	rows(&b, json_object_get(rep, "repairs"), "repair", rp, 9);
	rc = strbuf_check(&b, err);
	if (rc == 0)
		rc = report_put(dir, "findings.csv", b.data ? b.data : "", b.len, err);
	strbuf_release(&b);
	return rc;
}

/*
 * audit/report/report_html.c - index.html: the report for a person, rendered
 * from report.json alone. One self-contained file (inline CSS, inline
 * SVG charts, no script, no external resource) that opens offline and
 * prints cleanly; every figure is the one in report.json.
 */
#include "audit/report/report_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/strbuf.h"

#define CSS \
	"body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;" \
	"color:#1a1a1a;padding:0 1em}h1{font-size:1.6em;margin-bottom:.2em}" \
	"h2{border-bottom:2px solid #345;padding-bottom:.2em;margin-top:2em}" \
	"table{border-collapse:collapse;width:100%;margin:.5em 0}" \
	"th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}" \
	"th{background:#eef2f5}td.n{text-align:right;font-variant-numeric:tabular-nums}" \
	".cards{display:flex;flex-wrap:wrap;gap:.6em}.card{border:1px solid #bbb;" \
	"border-radius:4px;padding:.5em .9em;min-width:8em}.card b{display:block;font-size:1.4em}" \
	".met{background:#dff0d8}.notmet{background:#f8d7da}.attest{background:#fff3cd}" \
	".na{background:#eee}code,.mono{font-family:ui-monospace,monospace;font-size:.9em;" \
	"word-break:break-all}small{color:#555}svg{max-width:100%}" \
	"@media print{body{margin:0;max-width:none;font-size:10pt}h2{break-after:avoid}" \
	"table,svg,.card{break-inside:avoid}a{color:inherit;text-decoration:none}}"

static void esc(struct strbuf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': strbuf_add(b, "&lt;", 4); break;
		case '>': strbuf_add(b, "&gt;", 4); break;
		case '&': strbuf_add(b, "&amp;", 5); break;
		case '"': strbuf_add(b, "&quot;", 6); break;
		case '\'': strbuf_add(b, "&#39;", 5); break;
		default: strbuf_add(b, s, 1);
		}
	}
}

/* A JSON value as text: strings as is, others compact. */
static void val(struct strbuf *b, json_t *v)
{
	char *s;

	if (!v || json_is_null(v)) {
		strbuf_addf(b, "&ndash;");
	} else if (json_is_string(v)) {
		esc(b, json_string_value(v));
	} else if ((s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY))) {
		esc(b, s);
		free(s);
	}
}

static void card(struct strbuf *b, const char *label, json_t *v)
{
	strbuf_addf(b, "<div class=\"card\"><b>");
	val(b, v);
	strbuf_addf(b, "</b>");
	esc(b, label);
	strbuf_addf(b, "</div>");
}

/* A table of the objects in ARR, columns KEYS headed HEADS. */
static void table(struct strbuf *b, json_t *arr, const char *const *keys,
		  const char *const *heads, size_t n, size_t limit)
{
	json_t *row;
	size_t i;

	if (!json_array_size(arr)) {
		strbuf_addf(b, "<p><small>none</small></p>\n");
		return;
	}
	strbuf_addf(b, "<table><tr>");
	for (size_t j = 0; j < n; j++) {
		strbuf_addf(b, "<th>");
		esc(b, heads[j]);
		strbuf_addf(b, "</th>");
	}
	strbuf_addf(b, "</tr>\n");
	json_array_foreach(arr, i, row) {
		if (i == limit)
			break;
		strbuf_addf(b, "<tr>");
		for (size_t j = 0; j < n; j++) {
			json_t *v = json_object_get(row, keys[j]);

			strbuf_addf(b, json_is_number(v) ? "<td class=\"n\">" : "<td>");
			val(b, v);
			strbuf_addf(b, "</td>");
		}
		strbuf_addf(b, "</tr>\n");
	}
	strbuf_addf(b, "</table>\n");
	if (json_array_size(arr) > limit)
		strbuf_addf(b, "<p><small>first %zu of %zu rows; all in report.json</small></p>\n",
			    limit, json_array_size(arr));
}

/* Horizontal bars: LABELKEY / VALUEKEY of up to 12 rows of ARR. */
static void bars(struct strbuf *b, json_t *arr, const char *labelkey,
		 const char *valuekey, const char *title)
{
	size_t n = json_array_size(arr) < 12 ? json_array_size(arr) : 12, i;
	json_int_t max = 1;
	json_t *row;

	if (!n) {
		strbuf_addf(b, "<p><small>%s: nothing to chart</small></p>\n", title);
		return;
	}
	json_array_foreach(arr, i, row)
		if (i < n && json_integer_value(json_object_get(row, valuekey)) > max)
			max = json_integer_value(json_object_get(row, valuekey));
	strbuf_addf(b, "<svg role=\"img\" aria-label=\"%s\" width=\"640\" height=\"%zu\" "
		    "viewBox=\"0 0 640 %zu\" xmlns=\"http://www.w3.org/2000/svg\">"
		    "<title>%s</title>\n", title, 22 * n + 8, 22 * n + 8, title);
	json_array_foreach(arr, i, row) {
		if (i == n)
			break;
		json_int_t v = json_integer_value(json_object_get(row, valuekey));
		long w = (long)(v * 400 / max);

		strbuf_addf(b, "<text x=\"0\" y=\"%zu\" font-size=\"12\">", 22 * i + 18);
		val(b, json_object_get(row, labelkey));
		strbuf_addf(b, "</text><rect x=\"170\" y=\"%zu\" width=\"%ld\" height=\"16\" "
			    "fill=\"#3a6ea5\"/><text x=\"%ld\" y=\"%zu\" font-size=\"12\">%lld</text>\n",
			    22 * i + 5, w < 1 ? 1 : w, 176 + w, 22 * i + 18, (long long)v);
	}
	strbuf_addf(b, "</svg>\n");
}

static void coverage_chart(struct strbuf *b, json_t *c)
{
	json_int_t all = rjson_int(c, "file_copies"), audit = rjson_int(c, "verified_by_audit"),
		   write = rjson_int(c, "verified_at_write");
	json_int_t rest = all - audit - write;
	long wa = all ? (long)(audit * 600 / all) : 0, ww = all ? (long)(write * 600 / all) : 0;

	if (!all) {
		strbuf_addf(b, "<p><small>coverage: no file copies to verify</small></p>\n");
		return;
	}

	strbuf_addf(b, "<svg role=\"img\" aria-label=\"coverage\" width=\"640\" height=\"64\" "
		    "viewBox=\"0 0 640 64\" xmlns=\"http://www.w3.org/2000/svg\"><title>coverage"
		    "</title><rect x=\"0\" y=\"4\" width=\"600\" height=\"24\" fill=\"#d9534f\"/>"
		    "<rect x=\"0\" y=\"4\" width=\"%ld\" height=\"24\" fill=\"#2e7d32\"/>"
		    "<rect x=\"%ld\" y=\"4\" width=\"%ld\" height=\"24\" fill=\"#8bc34a\"/>"
		    "<text x=\"0\" y=\"46\" font-size=\"12\">verified by an audit: %lld &#183; "
		    "verified when written: %lld &#183; not verified within the interval: %lld"
		    "</text></svg>\n", wa, wa, ww, (long long)audit, (long long)write,
		    (long long)rest);
}

static const char *status_class(const char *s)
{
	if (!strcmp(s, "met") || !strcmp(s, "evidenced"))
		return "met";
	if (!strcmp(s, "n/a"))
		return "na";
	if (!strcmp(s, "needs attestation") || !strcmp(s, "partly evidenced"))
		return "attest";
	return "notmet";
}

static void ndsa(struct strbuf *b, json_t *n)
{
	static const char *const areas[] = { "storage", "integrity", "control", "metadata",
					     "content" };

	strbuf_addf(b, "<h2 id=\"ndsa\">NDSA Levels of Digital Preservation 2.0</h2>\n"
		    "<p>Evidenced level: <b>%lld</b> (if every cell that needs a person's "
		    "attestation were attested: %lld). <small>", (long long)rjson_int(n, "level"),
		    (long long)rjson_int(n, "level_if_attested"));
	val(b, json_object_get(n, "method"));
	strbuf_addf(b, "</small></p>\n<table><tr><th>cell</th><th>level</th><th>status</th>"
		    "<th>requirement</th><th>evidence</th><th>missing</th></tr>\n");
	for (size_t a = 0; a < 5; a++) {
		json_t *ar = rjson_get(json_object_get(n, "areas"), areas[a]), *c;
		size_t i;

		strbuf_addf(b, "<tr><th colspan=\"6\">%s: level %lld</th></tr>\n", areas[a],
			    (long long)rjson_int(ar, "level"));
		json_array_foreach(json_object_get(ar, "cells"), i, c) {
			const char *st = json_string_value(json_object_get(c, "status"));

			strbuf_addf(b, "<tr class=\"%s\"><td>", status_class(st));
			val(b, json_object_get(c, "cell"));
			strbuf_addf(b, "</td><td class=\"n\">%lld</td><td>",
				    (long long)rjson_int(c, "level"));
			esc(b, st);
			strbuf_addf(b, "</td><td>");
			val(b, json_object_get(c, "requirement"));
			strbuf_addf(b, "</td><td class=\"mono\">");
			val(b, json_object_get(c, "evidence"));
			strbuf_addf(b, "</td><td>");
			val(b, json_object_get(c, "missing"));
			strbuf_addf(b, "</td></tr>\n");
		}
	}
	strbuf_addf(b, "</table>\n");
}

static void iso(struct strbuf *b, json_t *rep)
{
	json_t *m, *cts = json_object_get(rep, "coretrustseal");
	size_t i;

	strbuf_addf(b, "<h2 id=\"iso\">ISO 16363 metrics custos evidences</h2>\n<p><small>");
	val(b, rjson_get(rep, "iso16363/edition"));
	strbuf_addf(b, "</small></p>\n<table><tr><th>metric</th><th>status</th><th>title</th>"
		    "<th>evidence</th><th>gaps</th></tr>\n");
	json_array_foreach(rjson_get(rep, "iso16363/metrics"), i, m) {
		const char *st = json_string_value(json_object_get(m, "status"));

		strbuf_addf(b, "<tr class=\"%s\"><td>", status_class(st));
		val(b, json_object_get(m, "metric"));
		strbuf_addf(b, "</td><td>");
		esc(b, st);
		strbuf_addf(b, "</td><td>");
		val(b, json_object_get(m, "title"));
		strbuf_addf(b, "</td><td class=\"mono\">");
		val(b, json_object_get(m, "evidence"));
		strbuf_addf(b, "</td><td>");
		val(b, json_object_get(m, "gaps"));
		strbuf_addf(b, "</td></tr>\n");
	}
	strbuf_addf(b, "</table>\n<h2 id=\"cts\">CoreTrustSeal</h2>\n<p><b>");
	val(b, json_object_get(cts, "requirement"));
	strbuf_addf(b, "</b>: ");
	val(b, json_object_get(cts, "status"));
	strbuf_addf(b, ". ");
	val(b, json_object_get(cts, "summary"));
	strbuf_addf(b, "</p><p class=\"mono\">");
	val(b, json_object_get(cts, "evidence"));
	strbuf_addf(b, "</p><p>Gaps: ");
	val(b, json_object_get(cts, "gaps"));
	strbuf_addf(b, "</p>\n");
}

static void head(struct strbuf *b, json_t *rep)
{
	json_t *pol = rjson_get(rep, "policy/in_force");

	strbuf_addf(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width\">"
		    "<title>custos evidence report</title><style>");
	strbuf_add(b, CSS, strlen(CSS));
	strbuf_addf(b, "</style></head><body>\n<h1>Preservation evidence report</h1>\n"
		    "<p>Repository <code>");
	val(b, rjson_get(rep, "repository/path"));
	strbuf_addf(b, "</code> &#183; generated ");
	val(b, json_object_get(rep, "generated"));
	strbuf_addf(b, " by ");
	val(b, json_object_get(rep, "generator"));
	strbuf_addf(b, " &#183; period from ");
	if (json_is_string(rjson_get(rep, "period/since")))
		val(b, rjson_get(rep, "period/since"));
	else
		strbuf_addf(b, "the first record");
	strbuf_addf(b, " to ");
	val(b, rjson_get(rep, "period/until"));
	strbuf_addf(b, "<br>Policy in force: <b>");
	val(b, json_object_get(pol, "name"));
	strbuf_addf(b, "</b> version ");
	val(b, json_object_get(pol, "version"));
	strbuf_addf(b, " (sha256 <code>");
	val(b, json_object_get(pol, "sha256"));
	strbuf_addf(b, "</code>), in force since ");
	val(b, json_object_get(pol, "in_force_since"));
	strbuf_addf(b, "</p>\n<div class=\"cards\">");
	card(b, "objects", rjson_get(rep, "holdings/objects"));
	card(b, "versions", rjson_get(rep, "holdings/versions"));
	card(b, "files", rjson_get(rep, "holdings/files"));
	card(b, "bytes", rjson_get(rep, "holdings/bytes"));
	card(b, "copies", rjson_get(rep, "holdings/copies"));
	card(b, "% file copies verified within the interval", rjson_get(rep, "coverage/percent"));
	json_t *nf = json_integer((json_int_t)json_array_size(json_object_get(rep, "findings")));
	card(b, "findings in the period", nf);
	json_decref(nf);
	card(b, "NDSA level (evidenced)", rjson_get(rep, "ndsa/level"));
	strbuf_addf(b, "</div>\n");
}

#define TABLE(b, arr, keys, heads, limit) \
	table(b, arr, keys, heads, sizeof(keys) / sizeof(keys[0]), limit)

static void holdings(struct strbuf *b, json_t *rep)
{
	static const char *const lk[] = { "name", "type", "location", "region", "threat",
					  "media", "copies", "copies_ok", "files", "bytes" };
	static const char *const uk[] = { "object", "version", "copies_ok" };
	static const char *const uh[] = { "object", "version", "verified copies" };
	static const char *const hk[] = { "sha256", "name", "version", "in_force_from" };
	static const char *const fk[] = { "puid", "name", "files", "bytes", "at_risk",
					  "preferred" };

	strbuf_addf(b, "<h2 id=\"policy\">Policy history</h2>\n");
	TABLE(b, rjson_get(rep, "policy/history"), hk, hk, 100);
	strbuf_addf(b, "<h2 id=\"holdings\">Holdings and copies</h2>\n<p>The policy requires "
		    "%lld verified copies of every version; %lld of %lld versions have them.</p>\n",
		    (long long)rjson_int(rep, "holdings/copies_required"),
		    (long long)rjson_int(rep, "holdings/versions_meeting_policy"),
		    (long long)rjson_int(rep, "holdings/versions"));
	TABLE(b, rjson_get(rep, "holdings/locations"), lk, lk, 100);
	strbuf_addf(b, "<h3>Versions below the policy</h3>\n");
	TABLE(b, rjson_get(rep, "holdings/versions_below_policy"), uk, uh, 100);
	strbuf_addf(b, "<h2 id=\"formats\">Formats</h2>\n<p>%lld files unidentified; %lld "
		    "files in formats the policy marks at risk.</p>\n",
		    (long long)rjson_int(rep, "formats/unidentified_files"),
		    (long long)rjson_int(rep, "formats/at_risk_files"));
	bars(b, rjson_get(rep, "formats/by_puid"), "puid", "files", "files by format (PUID)");
	TABLE(b, rjson_get(rep, "formats/by_puid"), fk, fk, 200);
}

static void coverage(struct strbuf *b, json_t *rep)
{
	static const char *const nk[] = { "object", "version", "location", "path",
					  "last_verified", "reason" };
	json_t *c = json_object_get(rep, "coverage");

	strbuf_addf(b, "<h2 id=\"coverage\">Coverage</h2>\n<p><b>%lld of %lld</b> file copies "
		    "(%.2f%%) were verified within the policy interval (since ",
		    (long long)rjson_int(c, "verified_within_interval"),
		    (long long)rjson_int(c, "file_copies"),
		    json_real_value(json_object_get(c, "percent")));
	val(b, json_object_get(c, "interval_began"));
	strbuf_addf(b, "); %lld of %lld files have every copy verified. Oldest verification: ",
		    (long long)rjson_int(c, "files_all_copies_verified"),
		    (long long)rjson_int(c, "files"));
	val(b, json_object_get(c, "oldest_verification"));
	strbuf_addf(b, ".<br><small>");
	val(b, json_object_get(c, "method"));
	strbuf_addf(b, "</small></p>\n");
	coverage_chart(b, c);
	strbuf_addf(b, "<h3>Not verified within the interval, and why</h3>\n");
	TABLE(b, json_object_get(c, "not_checked"), nk, nk, 200);
}

static void findings(struct strbuf *b, json_t *rep)
{
	static const char *const fk[] = { "event", "datetime", "type", "outcome", "object",
					  "version", "location", "detail", "outcome_note" };
	static const char *const rk[] = { "event", "datetime", "type", "outcome", "object",
					  "version", "location", "related_event", "detail" };
	static const char *const ok[] = { "object", "version", "location", "path", "state",
					  "last_verified" };
	static const char *const ak[] = { "run", "started", "ended", "seconds", "files", "bytes",
					  "findings", "bytes_per_second", "budget_reached" };

	strbuf_addf(b, "<h2 id=\"findings\">Findings and repairs in the period</h2>\n");
	bars(b, json_object_get(rep, "findings_by_day"), "day", "findings",
	     "findings (failures and warnings) by day");
	strbuf_addf(b, "<h3>Failures and warnings (events with outcome fai or war)</h3>\n");
	TABLE(b, json_object_get(rep, "findings"), fk, fk, 500);
	strbuf_addf(b, "<h3>Files whose last check found a problem</h3>\n");
	TABLE(b, json_object_get(rep, "open_file_findings"), ok, ok, 500);
	strbuf_addf(b, "<h3>Repairs</h3>\n");
	TABLE(b, json_object_get(rep, "repairs"), rk, rk, 500);
	strbuf_addf(b, "<h3>Audit runs</h3>\n");
	TABLE(b, json_object_get(rep, "audit_runs"), ak, ak, 500);
}

static void log_section(struct strbuf *b, json_t *rep)
{
	json_t *l = json_object_get(rep, "log");

	strbuf_addf(b, "<h2 id=\"log\">Event log</h2>\n<p>%lld events; hash chain %s; head "
		    "hash <code>", (long long)rjson_int(l, "events"),
		    json_is_true(rjson_get(l, "hash_chain/intact")) ? "intact" : "<b>BROKEN</b>");
	val(b, json_object_get(l, "head_hash"));
	strbuf_addf(b, "</code>.<br>RFC 9162 Merkle tree head: size <b>%lld</b>, root <code>",
		    (long long)rjson_int(l, "merkle/tree_size"));
	val(b, rjson_get(l, "merkle/root"));
	strbuf_addf(b, "</code>.</p>\n<p>To check later that the log only grew: "
		    "<code>custos log consistency THIS_FOLDER</code>; to prove one event is in "
		    "the log: <code>custos log prove EVENT</code>. To check this folder: "
		    "<code>custos report verify THIS_FOLDER --pubkey KEY.pub</code> or "
		    "<code>sha256sum -c MANIFEST-sha256.txt</code> and <code>openssl pkeyutl "
		    "-verify -pubin -inkey KEY.pub -rawin -in MANIFEST-sha256.txt -sigfile "
		    "MANIFEST-sha256.txt.sig</code>.</p>\n");
}

int report_write_html(const char *dir, json_t *rep, struct custos_err *err)
{
	struct strbuf b;
	int rc;

	strbuf_init(&b, REPORT_MAX_FILE);
	head(&b, rep);
	coverage(&b, rep);
	findings(&b, rep);
	holdings(&b, rep);
	ndsa(&b, json_object_get(rep, "ndsa"));
	iso(&b, rep);
	log_section(&b, rep);
	strbuf_addf(&b, "</body></html>\n");
	rc = strbuf_check(&b, err);
	if (rc == 0)
		rc = report_put(dir, "index.html", b.data, b.len, err);
	strbuf_release(&b);
	return rc;
}

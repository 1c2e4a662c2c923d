/*
 * cli/problems_out.c - findings as text or JSON, the same for every command
 * that checks bags.
 */
#include "cli/problems_out.h"

#include "cli/cli.h"


static void text_items(FILE *to, const struct problems *r,
		       enum problem_severity sev)
{
	for (size_t i = 0; i < r->count; i++) {
		const struct problem *it = &r->items[i];

		if (it->severity != sev)
			continue;
		fprintf(to, "%s: %s [%s]\n", sev == PROBLEM_ERROR ? "error" : "warning",
			cli_text(it->message), it->code);
		if (it->expected || it->actual) {
			fprintf(to, "    expected %s\n", cli_text(it->expected ? it->expected : "-"));
			fprintf(to, "    actual   %s\n", cli_text(it->actual ? it->actual : "-"));
		}
	}
}

void problems_out_text(FILE *to, const struct problems *r)
{
	text_items(to, r, PROBLEM_ERROR);
	text_items(to, r, PROBLEM_WARNING);
	if (r->oom)
		fprintf(to, "error: out of memory: some findings were not recorded\n");
}

json_t *problems_out_json(const struct problems *r, enum problem_severity sev)
{
	json_t *arr = json_array();

	if (!arr)
		return NULL;
	for (size_t i = 0; i < r->count; i++) {
		const struct problem *it = &r->items[i];
		json_t *o;

		if (it->severity != sev)
			continue;
		/* names that are not UTF-8 are escaped, never dropped */
		o = json_pack("{s:s, s:o, s:o}", "code", it->code, "path",
			      cli_json_string(it->path ? it->path : ""), "message",
			      cli_json_string(it->message));
		if (!o)
			goto fail;
		if (it->expected)
			json_object_set_new(o, "expected", cli_json_string(it->expected));
		if (it->actual)
			json_object_set_new(o, "actual", cli_json_string(it->actual));
		if (json_array_append_new(arr, o) < 0)
			goto fail;
	}
	return arr;
fail:
	json_decref(arr);
	return NULL;
}

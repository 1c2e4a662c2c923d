/*
 * cli/cmd_audit.c - `custos audit`: verify the copies that are due (or
 * all, or one object's) within a budget, print every finding and a one-line
 * summary (or the JSON of cli.md), repair on request or by policy, and
 * send one notification per run when something was found.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/auditor/audit.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
#include "core/duration.h"

const char cmd_audit_usage[] =
	"usage: custos audit [--due | --all | --id ID] [--budget-bytes N]\n"
	"                    [--budget-time DURATION] [--rate BYTES/s] [--repair]\n"
	"                    [--json] [--notify CMD] [--jobs N] [-r REPO]\n"
	"\n"
	"Verify copies against the catalog and their own bag manifests: --due\n"
	"(the default) takes the copies last verified longer ago than the policy\n"
	"interval (and damaged ones), oldest first; --all every copy; --id one\n"
	"object's. A run stops when --budget-bytes or --budget-time is spent; the\n"
	"next run continues with the files not yet verified in the cycle. --rate\n"
	"caps the read speed. States: changed, missing, unexpected, moved,\n"
	"unreadable, storage-unavailable, tag-invalid. --repair (or policy repair\n"
	"mode auto) restores damaged files from a copy verified in this run and\n"
	"keeps the damaged ones under .custos-quarantine/ in their location.\n"
	"--notify CMD runs CMD (via /bin/sh) once, with the JSON summary on its\n"
	"standard input, when there are findings.\n"
	"\n"
	"exit: 0 all intact, 1 findings, 2 usage error, 3 could not finish\n"
	"(including a storage location that is unavailable)\n";

struct audit_cli {
	struct audit_opts o;
	const char *notify;
	int nsel;
};

static int parse_rate(uint64_t *out, const char *arg)
{
	char buf[64];
	size_t n = strlen(arg);

	if (n >= sizeof(buf))
		return cli_parse_size(out, "--rate", arg);
	memcpy(buf, arg, n + 1);
	if (n > 2 && !strcmp(buf + n - 2, "/s"))
		buf[n - 2] = '\0';
	if (cli_parse_size(out, "--rate", buf) < 0)
		return -1;
	if (*out == 0) {
		cli_errorf("--rate must be more than 0, not '%s'", arg);
		return -1;
	}
	return 0;
}

static int audit_option(void *arg, int opt, char *value)
{
	struct audit_cli *ac = arg;

	switch (opt) {
	case 'd': ac->o.select = AUDIT_DUE; ac->nsel++; break;
	case 'a': ac->o.select = AUDIT_ALL; ac->nsel++; break;
	case 'i': ac->o.select = AUDIT_ID; ac->o.id = value; ac->nsel++; break;
	case 'F': ac->o.repair = true; break;
	case 'N': ac->notify = value; break;
	case 'B':
		if (cli_parse_size(&ac->o.budget_bytes, "--budget-bytes", value) < 0)
			return CLI_EXIT_USAGE;
		break;
	case 'T':
		if (duration_parse(&ac->o.budget_seconds, value) < 0)
			return cli_usage_error(cmd_audit_usage, "--budget-time takes a duration "
					       "such as 30m, 2h or 90d, not '%s'", value);
		break;
	case 'R':
		if (parse_rate(&ac->o.rate, value) < 0)
			return CLI_EXIT_USAGE;
		break;
	case 'j':
		if (cli_parse_jobs(&ac->o.jobs, value) < 0)
			return CLI_EXIT_USAGE;
		break;
	}
	return 0;
}

static int parse(struct cli_ctx *ctx, struct audit_cli *ac, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "due", no_argument, NULL, 'd' },
		{ "all", no_argument, NULL, 'a' },
		{ "id", required_argument, NULL, 'i' },
		{ "budget-bytes", required_argument, NULL, 'B' },
		{ "budget-time", required_argument, NULL, 'T' },
		{ "rate", required_argument, NULL, 'R' },
		{ "repair", no_argument, NULL, 'F' },
		{ "notify", required_argument, NULL, 'N' },
		{ "jobs", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int rc;

	if ((rc = cli_parse(ctx, argc, argv, "j:", longopts, audit_option, ac)))
		return rc;
	if (ac->nsel > 1)
		return cli_usage_error(cmd_audit_usage,
				       "choose one of --due, --all and --id");
	if (optind < argc)
		return cli_usage_error(cmd_audit_usage, "unexpected argument '%s'",
				       argv[optind]);
	return 0;
}

static void print_text(const struct repo *r, const struct audit_result *res)
{
	for (size_t i = 0; i < res->nfindings; i++) {
		const struct audit_finding *f = &res->findings[i];

		printf("%s %s v%d ", location_name(repo_location(r, f->loc)), f->object,
		       f->version);
		printf("%s: %s", *f->path ? cli_text(f->path) : "(whole copy)",
		       audit_state_name(f->state));
		if (f->expected[0] || f->actual[0])
			printf(" (expected %s, actual %s)", f->expected[0] ? f->expected : "-",
			       f->actual[0] ? f->actual : "-");
		if (f->moved_to)
			printf(" -> %s", cli_text(f->moved_to));
		if (f->why)
			printf(": %s", cli_text(f->why));
		printf("%s\n", f->repaired ? " [repaired]" : "");
	}
	printf("audit run %lld: %llu copies, %llu files, %llu bytes in %.1f s; "
	       "%zu findings, %zu repaired, %llu files not checked%s\n",
	       (long long)res->run, (unsigned long long)res->copies,
	       (unsigned long long)res->files, (unsigned long long)res->bytes,
	       res->seconds, res->nfindings, res->nrepairs,
	       (unsigned long long)res->not_checked,
	       res->budget_reached ? "; budget reached, the next run continues" : "");
}

static int exit_code(const struct audit_result *res)
{
	if (res->unavailable)
		return CLI_EXIT_FAILED;
	return res->nfindings ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
}

static int notify(const struct audit_cli *ac, const struct repo *r,
		  const struct audit_result *res)
{
	json_t *j = audit_result_json(r, res);
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	struct custos_err err;
	int rc = 0;

	json_decref(j);
	err_clear(&err);
	if (!s || audit_notify(ac->notify, s, &err) < 0) {
		cli_errorf("%s", s ? err.msg : "out of memory");
		rc = -1;
	}
	free(s);
	return rc;
}

int cmd_audit(struct cli_ctx *ctx, int argc, char **argv)
{
	struct audit_cli ac = { .o = { .select = AUDIT_DUE } };
	struct audit_result res;
	struct custos_err err;
	struct repo *r;
	bool repair;
	int rc;

	if ((rc = parse(ctx, &ac, argc, argv)))
		return rc;
	/* Without repair an audit only reads storage: no repository lock, so
	 * a night-long audit does not hold up ingests. Repair takes the lock. */
	if ((rc = cli_open(ctx)))
		return rc;
	repair = ac.o.repair || repo_policy(ctx->repo)->repair == POLICY_REPAIR_AUTO;
	if (repair && (rc = cli_reopen_write(ctx)))
		return rc;
	r = ctx->repo;
	err_clear(&err);
	if (audit_run(r, &ac.o, &res, &err) < 0) {
		audit_result_release(&res);   /* it may hold partial results */
		return cli_fail(&err);
	}
	if (ctx->json)
		cli_print_json(audit_result_json(r, &res));
	else
		print_text(r, &res);
	for (size_t i = 0; i < res.nfindings; i++)
		if (repair && !res.findings[i].repaired &&
		    res.findings[i].state != AUDIT_UNAVAILABLE &&
		    res.findings[i].state != AUDIT_UNEXPECTED)
			cli_errorf("LOSS: %s v%d '%s' in location '%s' could not be"
				   " repaired: %s", res.findings[i].object,
				   res.findings[i].version, res.findings[i].path,
				   location_name(repo_location(r, res.findings[i].loc)),
				   res.findings[i].why ? res.findings[i].why : "?");
	rc = exit_code(&res);
	if (res.nfindings && ac.notify && notify(&ac, r, &res) < 0)
		rc = CLI_EXIT_FAILED;
	audit_result_release(&res);
	return rc;
}

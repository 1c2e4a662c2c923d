/*
 * cli/cmd_backup.c - `custos backup DEST`: a consistent copy of the catalog
 * (the database's online backup, while others may write) at DEST, with
 * its SHA-256, recorded as an event (preserve/repo/backup.h).
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
#include "preserve/repo/backup.h"
#include "preserve/repo/repo.h"

const char cmd_backup_usage[] =
	"usage: custos backup DEST [-r REPO] [--json]\n"
	"\n"
	"Write a consistent copy of the catalog to DEST (a new file), taken while\n"
	"other custos processes may go on writing, made durable, with its SHA-256\n"
	"printed and recorded as a PREMIS creation event. The policy setting\n"
	"[catalog] backup = yes does this after every writing command, into every\n"
	"storage location (.custos-log/catalog/TIME-EVENTS/custos.db).\n";

int cmd_backup(struct cli_ctx *ctx, int argc, char **argv)
{
	struct custos_err err;
	const char *shown;
	char sha[65];
	uint64_t size = 0;
	int rc;

	if ((rc = cli_parse(ctx, argc, argv, NULL, NULL, NULL, NULL)))
		return rc;
	if (optind + 1 != argc)
		return cli_usage_error(cmd_backup_usage, "backup takes one DEST");
	if ((rc = cli_open(ctx)))
		return rc;
	err_clear(&err);
	if (repo_backup_file(ctx->repo, argv[optind], sha, &size, &err) < 0)
		return cli_fail(&err);
	if (ctx->json)
		return cli_print_json(json_pack("{s:o, s:s, s:I}", "backup",
						cli_json_string(argv[optind]), "sha256", sha,
						"bytes", (json_int_t)size)) < 0 ? CLI_EXIT_FAILED :
										 CLI_EXIT_OK;
	shown = cli_text(argv[optind]);   /* valid until the next cli_text */
	printf("%s  %s\ncatalog backed up to '%s' (%" PRIu64 " bytes)\n", sha,
	       shown, shown, size);
	return CLI_EXIT_OK;
}

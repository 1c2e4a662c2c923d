/*
 * cli/commands.c - the command table: name, handler, what it needs (a
 * repository to read or write, --json, --quiet), usage, summary.
 */
#include "cli/commands.h"

#include <string.h>

const struct command custos_commands[] = {
	{ "audit", cmd_audit, CMD_REPO_READ | CMD_LOGS | CMD_JSON, cmd_audit_usage,
	  "verify every copy (due, all, one object) within a budget; repair" },
	{ "backup", cmd_backup, CMD_REPO_WRITE | CMD_JSON, cmd_backup_usage,
	  "write a consistent copy of the catalog, recorded as an event" },
	{ "bag", cmd_bag, CMD_JSON, cmd_bag_usage, "make a BagIt 1.0 bag from a directory" },
	{ "export", cmd_export, CMD_REPO_WRITE | CMD_JSON, cmd_export_usage,
	  "write an object out as a bag (directory, zip, tar, tar.gz)" },
	{ "identify", cmd_identify, CMD_JSON, cmd_identify_usage,
	  "identify file formats (PRONOM) without a repository" },
	{ "ingest", cmd_ingest, CMD_REPO_WRITE | CMD_JSON | CMD_QUIET, cmd_ingest_usage,
	  "deposit directories, files, archives or bags" },
	{ "init", cmd_init, CMD_JSON, cmd_init_usage, "create a repository under a policy" },
	{ "keygen", cmd_keygen, CMD_JSON, cmd_keygen_usage,
	  "make an Ed25519 key pair for signing reports" },
	{ "log", cmd_log, CMD_REPO_READ | CMD_JSON, cmd_log_usage,
	  "the PREMIS event log; 'log verify' checks its hash chain" },
	{ "ls", cmd_ls, CMD_REPO_READ | CMD_JSON, cmd_ls_usage, "list the objects and their status" },
	{ "policy", cmd_policy, CMD_JSON, cmd_policy_usage,
	  "check a preservation policy file and explain it" },
	{ "rebuild", cmd_rebuild, CMD_REPO_WRITE | CMD_QUIET | CMD_JSON, cmd_rebuild_usage,
	  "make the catalog anew from the storage locations alone" },
	{ "recover", cmd_recover, CMD_REPO_WRITE | CMD_JSON, cmd_recover_usage,
	  "finish or roll back interrupted ingests and replications" },
	{ "report", cmd_report, CMD_REPO_READ | CMD_JSON, cmd_report_usage,
	  "evidence report for auditors; 'report verify' checks one" },
	{ "show", cmd_show, CMD_REPO_READ | CMD_JSON, cmd_show_usage,
	  "one object: files, digests, formats, copies, events" },
	{ "validate", cmd_validate, CMD_JSON | CMD_QUIET, cmd_validate_usage,
	  "check a bag (directory or .zip/.tar/.tar.gz) against RFC 8493" },
};

const unsigned custos_command_count =
	sizeof(custos_commands) / sizeof(custos_commands[0]);

const struct command *command_find(const char *name)
{
	for (unsigned i = 0; i < custos_command_count; i++)
		if (strcmp(custos_commands[i].name, name) == 0)
			return &custos_commands[i];
	return NULL;
}

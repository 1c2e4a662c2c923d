/*
 * cli/commands.c - the command table: name, handler, usage, summary.
 */
#include "cli/commands.h"

#include <string.h>

const struct command custos_commands[] = {
	{ "audit", cmd_audit, cmd_audit_usage,
	  "verify every copy (due, all, one object) within a budget; repair" },
	{ "bag", cmd_bag, cmd_bag_usage, "make a BagIt 1.0 bag from a directory" },
	{ "export", cmd_export, cmd_export_usage,
	  "write an object out as a bag (directory, zip, tar, tar.gz)" },
	{ "identify", cmd_identify, cmd_identify_usage,
	  "identify file formats (PRONOM) without a repository" },
	{ "ingest", cmd_ingest, cmd_ingest_usage,
	  "deposit directories, files, archives or bags" },
	{ "init", cmd_init, cmd_init_usage, "create a repository under a policy" },
	{ "keygen", cmd_keygen, cmd_keygen_usage,
	  "make an Ed25519 key pair for signing reports" },
	{ "log", cmd_log, cmd_log_usage,
	  "the PREMIS event log; 'log verify' checks its hash chain" },
	{ "ls", cmd_ls, cmd_ls_usage, "list the objects and their status" },
	{ "policy", cmd_policy, cmd_policy_usage,
	  "check a preservation policy file and explain it" },
	{ "recover", cmd_recover, cmd_recover_usage,
	  "finish or roll back interrupted ingests and replications" },
	{ "report", cmd_report, cmd_report_usage,
	  "evidence report for auditors; 'report verify' checks one" },
	{ "show", cmd_show, cmd_show_usage,
	  "one object: files, digests, formats, copies, events" },
	{ "validate", cmd_validate, cmd_validate_usage,
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

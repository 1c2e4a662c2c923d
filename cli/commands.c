/*
 * cli/commands.c - the command table: name, handler, usage, summary.
 */
#include "cli/commands.h"

#include <string.h>

const struct command custos_commands[] = {
	{ "bag", cmd_bag, cmd_bag_usage, "make a BagIt 1.0 bag from a directory" },
	{ "identify", cmd_identify, cmd_identify_usage,
	  "identify file formats (PRONOM) without a repository" },
	{ "policy", cmd_policy, cmd_policy_usage,
	  "check a preservation policy file and explain it" },
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

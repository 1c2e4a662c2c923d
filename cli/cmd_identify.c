/*
 * cli/cmd_identify.c - `custos identify` (placeholder until formats/ lands).
 */
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"

const char cmd_identify_usage[] =
	"usage: custos identify PATH... [--json] [--signatures FILE] "
	"[--container-signatures FILE]\n";

int cmd_identify(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_errorf("identify is not implemented yet");
	return CLI_EXIT_FAILED;
}

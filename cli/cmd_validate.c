/* cli/cmd_validate.c - placeholder */
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
const char cmd_validate_usage[] = "usage: custos validate\n";
int cmd_validate(int argc, char **argv)
{
	(void)argc; (void)argv;
	return CLI_EXIT_FAILED;
}

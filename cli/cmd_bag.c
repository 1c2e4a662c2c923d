/* cli/cmd_bag.c - placeholder */
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
const char cmd_bag_usage[] = "usage: custos bag\n";
int cmd_bag(int argc, char **argv)
{
	(void)argc; (void)argv;
	return CLI_EXIT_FAILED;
}

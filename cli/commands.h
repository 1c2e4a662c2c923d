/*
 * cli/commands.h - the one table of custos subcommands.
 * To add a command: write cli/cmd_NAME.c with cmd_NAME(argc, argv) and a
 * usage string, declare both here, add a row to cli/commands.c, add the
 * file to cli/CMakeLists.txt; tests/cli runs --help for every row.
 */
#ifndef CUSTOS_CLI_COMMANDS_H
#define CUSTOS_CLI_COMMANDS_H

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);  /* returns an enum cli_exit */
	const char *usage;                 /* full --help text */
	const char *summary;               /* one line for `custos --help` */
};

extern const struct command custos_commands[];
extern const unsigned custos_command_count;

const struct command *command_find(const char *name);

int cmd_audit(int argc, char **argv);
int cmd_bag(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_recover(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_identify(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_keygen(int argc, char **argv);

/* `custos log prove` / `custos log consistency` (cli/cmd_report.c): call
 * with cmd_log's own ARGC/ARGV; the word prove/consistency, the EVENT or
 * report folder and -r/--pubkey may appear in any order. */
int report_cmd_log_prove(int argc, char **argv);
int report_cmd_log_consistency(int argc, char **argv);

extern const char cmd_audit_usage[];
extern const char cmd_bag_usage[];
extern const char cmd_export_usage[];
extern const char cmd_init_usage[];
extern const char cmd_ingest_usage[];
extern const char cmd_log_usage[];
extern const char cmd_ls_usage[];
extern const char cmd_recover_usage[];
extern const char cmd_show_usage[];
extern const char cmd_validate_usage[];
extern const char cmd_identify_usage[];
extern const char cmd_policy_usage[];
extern const char cmd_report_usage[];
extern const char cmd_keygen_usage[];

#endif

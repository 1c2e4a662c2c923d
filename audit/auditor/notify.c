/*
 * audit/auditor/notify.c - --notify CMD: one message per run, not one per file.
 * CMD runs through /bin/sh -c with the JSON summary on its standard input.
 */
#include "audit/auditor/audit.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/fileio.h"

int audit_notify(const char *cmd, const char *summary, struct custos_err *err)
{
	int fds[2], status;
	pid_t pid;
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;

	if (pipe(fds) < 0)
		return err_sys(err, NULL, "cannot run the notify command '%s'", cmd);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return err_sys(err, NULL, "cannot run the notify command '%s'", cmd);
	}
	if (pid == 0) {
		dup2(fds[0], STDIN_FILENO);
		close(fds[0]);
		close(fds[1]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	sigaction(SIGPIPE, &ign, &old);     /* a command that ignores stdin */
	(void)fio_write_all(fds[1], summary, strlen(summary), "notify", NULL);
	(void)fio_write_all(fds[1], "\n", 1, "notify", NULL);
	close(fds[1]);
	sigaction(SIGPIPE, &old, NULL);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_sys(err, NULL, "cannot wait for the notify command '%s'", cmd);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return err_set(err, CUSTOS_EIO, NULL,
			       "the notify command '%s' failed (status %d)", cmd,
			       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}

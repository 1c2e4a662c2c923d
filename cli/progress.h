/*
 * cli/progress.h - a progress bar on stderr while long work runs, only
 * when stderr is a terminal (never in --json mode or when piped).
 */
#ifndef CUSTOS_CLI_PROGRESS_H
#define CUSTOS_CLI_PROGRESS_H

#include "core/progress.h"

struct progress_display;

/* Start showing P (labelled LABEL) if stderr is a terminal and !QUIET;
 * returns NULL otherwise (and then nothing is shown). */
struct progress_display *progress_display_start(struct progress *p,
						const char *label, int quiet);
/* Stop and erase the bar. NULL ok. */
void progress_display_stop(struct progress_display *d);

#endif

/*
 * cli/report_out.h - printing a preserve/report as text lines or as the
 * JSON arrays of spec/cli.md ({"code","path","message","expected","actual"}).
 */
#ifndef CUSTOS_CLI_REPORT_OUT_H
#define CUSTOS_CLI_REPORT_OUT_H

#include <stdio.h>
#include <jansson.h>
#include "preserve/report.h"

/* "error: MESSAGE [code]" / "warning: ..." lines, errors first. */
void report_out_text(FILE *to, const struct report *r);

/* New JSON array of the items of severity SEV (NULL on OOM). */
json_t *report_out_json(const struct report *r, enum report_severity sev);

#endif

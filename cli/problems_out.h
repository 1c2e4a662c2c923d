/*
 * cli/problems_out.h - printing a problem list (preserve/bagit/problems.h) as text lines or as the
 * JSON arrays of docs/cli.md ({"code","path","message","expected","actual"}).
 */
#ifndef CUSTOS_CLI_PROBLEMS_OUT_H
#define CUSTOS_CLI_PROBLEMS_OUT_H

#include <stdio.h>
#include <jansson.h>
#include "preserve/bagit/problems.h"

/* "error: MESSAGE [code]" / "warning: ..." lines, errors first. */
void problems_out_text(FILE *to, const struct problems *r);

/* New JSON array of the items of severity SEV (NULL on OOM). */
json_t *problems_out_json(const struct problems *r, enum problem_severity sev);

#endif

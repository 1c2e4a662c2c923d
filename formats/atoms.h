/*
 * formats/atoms.h - byte-pattern atoms: parsing of fragment text and of the
 * bracket forms, and matching (internal to formats/).
 */
#ifndef CUSTOS_FORMATS_ATOMS_H
#define CUSTOS_FORMATS_ATOMS_H

#include "formats/sigmodel.h"

/* Parse the bracket expression at *PP ('[' ... ']') into OUT, advancing
 * *PP past ']'. 0, or -1 with a reason in WHY. */
int sig_parse_bracket(struct arena *a, const char **pp, struct sig_atom *out,
		      char *why, size_t whylen);
/* A literal atom of N bytes (copied). 0, or -1 on OOM / bad N. */
int sig_atom_literal(struct arena *a, const unsigned char *bytes, size_t n,
		     struct sig_atom *out);
/* The any-byte atom (??). */
int sig_atom_anyset(struct arena *a, struct sig_atom *out);

#endif

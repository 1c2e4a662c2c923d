/*
 * preserve/bagit/bagpath.h - file paths as BagIt writes them (RFC 8493 sec. 2.1.3).
 * Only %, CR and LF are percent-encoded; every other byte is literal
 * ("data/%7Efoo" names a file called "%7Efoo"). A path that would leave
 * the bag is refused here, before anything is opened.
 */
#ifndef CUSTOS_PRESERVE_BAGIT_BAGPATH_H
#define CUSTOS_PRESERVE_BAGIT_BAGPATH_H

#include "core/relpath.h"

/* Decode %25, %0A, %0D (either case) in RAW into a new string (*out,
 * caller frees). Other '%' sequences stay literal. 0, or -1 on OOM. */
int bagpath_decode(char **out, const char *raw);

/* Encode %, CR, LF of PATH into a new string. 0, or -1 on OOM. */
int bagpath_encode(char **out, const char *path);

/* True if PATH ("data/x/.DS_Store") names a file operating systems make
 * on their own and copy tools often drop (.DS_Store, Thumbs.db, ...). */
int bagpath_is_system_file(const char *path);

#endif

/*
 * preserve/storage/location_int.h - what a storage backend implements. One
 * backend is one file (location_fs.c now; an S3 one next).
 */
#ifndef CUSTOS_PRESERVE_STORAGE_LOCATION_INT_H
#define CUSTOS_PRESERVE_STORAGE_LOCATION_INT_H

#include "preserve/storage/location.h"

struct location_ops {
	int (*create)(struct location *l, struct custos_err *err);
	int (*check)(struct location *l, struct custos_err *err);
	int (*begin)(struct location *l, const char *dest, const char *txid,
		     struct location_txn **out, struct custos_err *err);
	int (*txn_create)(struct location_txn *t, const char *relpath,
			  struct location_file **out, struct custos_err *err);
	int (*txn_commit)(struct location_txn *t, struct custos_err *err);
	void (*txn_abort)(struct location_txn *t);
	void (*txn_free)(struct location_txn *t);
	int (*discard_stage)(struct location *l, const char *txid,
			     struct custos_err *err);
	int (*file_write)(struct location_file *f, const void *buf, size_t len,
			  struct custos_err *err);
	long long (*file_read)(struct location_file *f, void *buf, size_t len,
			       struct custos_err *err);
	int (*file_close)(struct location_file *f, struct custos_err *err);
	int (*open_read)(struct location *l, const char *relpath,
			 struct location_file **out, struct custos_err *err);
	int (*stat)(struct location *l, const char *relpath, uint64_t *size,
		    struct custos_err *err);
	int (*list)(struct location *l, const char *prefix, location_list_fn fn,
		    void *arg, struct custos_err *err);
	int (*remove)(struct location *l, const char *relpath,
		      struct custos_err *err);
	int (*exists)(struct location *l, const char *relpath,
		      struct custos_err *err);
	int (*txn_place)(struct location_txn *t, const char *staged,
			 const char *relpath, struct custos_err *err);
	int (*keep)(struct location *l, const char *relpath,
		    const char *keep_as, struct custos_err *err);
	void (*free)(struct location *l);
};

struct location {
	const struct location_ops *ops;
	char *name;
	char *where;
	void *impl;
};

/* Every backend file and transaction starts with this. */
struct location_file { const struct location_ops *ops; };
struct location_txn { const struct location_ops *ops; };

int location_fs_open(struct location *l, const struct location_config *cfg,
		     struct custos_err *err);
int location_s3_open(struct location *l, const struct location_config *cfg,
		     struct custos_err *err);

/* True if RELPATH is canonical and stays below the root. */
int location_path_ok(const char *relpath);

#endif

/*
 * preserve/storage/s3/s3_stream.h - one S3 object written or read as a stream, with
 * memory bounded by one part (writing) or one range (reading), whatever
 * the object's size.
 */
#ifndef CUSTOS_PRESERVE_STORAGE_S3_S3_STREAM_H
#define CUSTOS_PRESERVE_STORAGE_S3_S3_STREAM_H

#include <stddef.h>

#include "core/err.h"
#include "preserve/storage/s3/s3_client.h"

struct s3_writer;
struct s3_reader;

/* Start writing KEY (nothing is sent until a part is full or close). */
int s3_writer_open(struct s3_writer **out, struct s3_client *c,
		   const char *key, struct custos_err *err);
int s3_writer_write(struct s3_writer *w, const void *buf, size_t len,
		    struct custos_err *err);
/* Store what was written (one PUT, or complete the multipart upload) and
 * free W; on failure nothing is left stored under an upload. */
int s3_writer_close(struct s3_writer *w, struct custos_err *err);

/* Give up: nothing written is stored (a multipart upload is aborted);
 * frees W. NULL ok. */
void s3_writer_abort(struct s3_writer *w);

/* Open KEY for reading: 0, 1 if it does not exist, -1. */
int s3_reader_open(struct s3_reader **out, struct s3_client *c,
		   const char *key, struct custos_err *err);
/* Up to LEN bytes; 0 at the end, -1 on error. */
long long s3_reader_read(struct s3_reader *r, void *buf, size_t len,
			 struct custos_err *err);
void s3_reader_free(struct s3_reader *r);   /* NULL ok */

#endif

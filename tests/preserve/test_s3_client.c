/*
 * tests/preserve/test_s3_client.c - the S3 client against a scripted
 * HTTP server on 127.0.0.1: retries on 5xx are bounded, what is signed and
 * sent (real payload SHA-256, Content-MD5, sorted query), a server that
 * does not answer is storage unavailable, a missing bucket says so.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "preserve/storage/s3/s3_client.h"
#include "preserve/storage/s3/s3_store.h"

#define MAX_REQ 8

struct server {
	int fd;
	int port;
	const char *const *answers;   /* one full HTTP answer per request */
	int nanswers;
	int seen;
	char req[MAX_REQ][8192];
	pthread_t th;
};

/* Read one request (headers and Content-Length body) into BUF. */
static void read_request(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	long body = -1;
	char *end = NULL;

	while (len + 1 < cap) {
		ssize_t n = read(fd, buf + len, cap - 1 - len);

		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (!end && (end = strstr(buf, "\r\n\r\n"))) {
			char *cl = strcasestr(buf, "content-length:");

			body = cl && cl < end ? strtol(cl + 15, NULL, 10) : 0;
		}
		if (end && (long)(len - (size_t)(end + 4 - buf)) >= body)
			break;
	}
	buf[len] = '\0';
}

static void *serve(void *arg)
{
	struct server *s = arg;

	for (int i = 0; i < s->nanswers; i++) {
		int c = accept(s->fd, NULL, NULL);

		if (c < 0)
			break;
		read_request(c, s->req[i], sizeof(s->req[i]));
		s->seen++;
		if (write(c, s->answers[i], strlen(s->answers[i])) < 0)
			i = s->nanswers;
		close(c);
	}
	return NULL;
}

static void server_start(struct server *s, const char *const *answers, int n)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);

	memset(s, 0, sizeof(*s));
	s->answers = answers;
	s->nanswers = n;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s->fd >= 0);
	assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s->fd, 8), 0);
	assert_int_equal(getsockname(s->fd, (struct sockaddr *)&a, &alen), 0);
	s->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&s->th, NULL, serve, s), 0);
}

static void server_stop(struct server *s)
{
	pthread_join(s->th, NULL);
	close(s->fd);
}

static struct s3_client *client_for(int port)
{
	char ep[64];
	struct s3_client_config cfg = { "offsite", ep, "bkt", "us-east-1",
					"AKTEST", "secret-never-sent", NULL };
	struct s3_client *c = NULL;
	struct custos_err err;

	snprintf(ep, sizeof(ep), "http://127.0.0.1:%d", port);
	assert_int_equal(s3_client_new(&c, &cfg, &err), 0);
	return c;
}

#define BUSY "HTTP/1.1 503 Slow Down\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
#define OK "HTTP/1.1 200 OK\r\nETag: \"abc\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"

static void s3_client__retries_then_succeeds(void **state)
{
	static const char *const answers[] = { BUSY, BUSY, OK };
	const struct s3_kv q[] = { { "uploadId", "u 1" }, { "partNumber", "2" } };
	struct s3_request rq = { .method = "PUT", .key = "p/obj-1/v1/data/a b.txt",
				 .query = q, .nquery = 2, .body = "hello",
				 .body_len = 5, .content_md5 = 1 };
	struct s3_response resp = { .body.max = 4096 };
	struct custos_err err;
	struct server s;
	struct s3_client *c;

	(void)state;
	server_start(&s, answers, 3);
	c = client_for(s.port);
	assert_int_equal(s3_client_do(c, &rq, &resp, &err), 0);
	assert_int_equal(resp.status, 200);
	assert_string_equal(resp.etag, "\"abc\"");
	server_stop(&s);
	assert_int_equal(s.seen, 3);
	/* path style, key encoded, query sorted and encoded */
	assert_non_null(strstr(s.req[2], "PUT /bkt/p/obj-1/v1/data/a%20b.txt?"
			       "partNumber=2&uploadId=u%201 HTTP/1.1\r\n"));
	assert_non_null(strstr(s.req[2], "x-amz-content-sha256: 2cf24dba5fb0a30e"
			       "26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\r\n"));
	assert_non_null(strstr(s.req[2], "content-md5: XUFAKrxLKna5cZ2REBfFkg==\r\n"));
	assert_non_null(strstr(s.req[2], "Authorization: AWS4-HMAC-SHA256 "
			       "Credential=AKTEST/"));
	assert_non_null(strstr(s.req[2], "SignedHeaders=content-md5;host;"
			       "x-amz-content-sha256;x-amz-date, Signature="));
	assert_null(strstr(s.req[2], "Expect:"));
	assert_null(strstr(s.req[2], "secret-never-sent"));
	assert_non_null(strstr(s.req[2], "\r\n\r\nhello"));
	s3_buf_release(&resp.body);
	s3_client_free(c);
}

static void s3_client__retries_are_bounded(void **state)
{
	static const char *const answers[] = { BUSY, BUSY, BUSY, BUSY, BUSY, OK };
	struct s3_request rq = { .method = "GET", .key = "k" };
	struct s3_response resp = { .body.max = 4096 };
	struct custos_err err;
	struct server s;
	struct s3_client *c;

	(void)state;
	server_start(&s, answers, 6);
	c = client_for(s.port);
	assert_int_equal(s3_client_do(c, &rq, &resp, &err), 0);
	assert_int_equal(resp.status, 503);       /* the last answer, given up */
	assert_int_equal(s.seen, 5);
	/* let the server thread end: one more request gets the OK */
	assert_int_equal(s3_client_do(c, &rq, &resp, &err), 0);
	assert_int_equal(resp.status, 200);
	server_stop(&s);
	s3_buf_release(&resp.body);
	s3_client_free(c);
}

static void s3_client__no_answer_is_unavailable(void **state)
{
	struct s3_request rq = { .method = "HEAD", .key = NULL };
	struct s3_response resp = { .body.max = 4096 };
	struct custos_err err;
	struct server s;
	struct s3_client *c;

	(void)state;
	server_start(&s, NULL, 0);        /* a port that is then closed */
	server_stop(&s);
	c = client_for(s.port);
	assert_int_equal(s3_client_do(c, &rq, &resp, &err), -1);
	assert_int_equal(err.code, CUSTOS_EIO);
	assert_non_null(strstr(err.msg, "storage location 'offsite' is unavailable"));
	s3_buf_release(&resp.body);
	s3_client_free(c);
}

static void s3_client__missing_bucket(void **state)
{
	static const char *const answers[] = {
		"HTTP/1.1 404 Not Found\r\nContent-Length: 73\r\nConnection: close\r\n\r\n"
		"<Error><Code>NoSuchBucket</Code><BucketName>bkt</BucketName></Error>\n"
		"    ",
	};
	struct s3_request rq = { .method = "GET", .key = "k" };
	struct s3_response resp = { .body.max = 4096 };
	struct custos_err err;
	struct server s;
	struct s3_client *c;

	(void)state;
	server_start(&s, answers, 1);
	c = client_for(s.port);
	assert_int_equal(s3_client_do(c, &rq, &resp, &err), 0);
	server_stop(&s);
	assert_int_equal(resp.status, 404);
	assert_string_equal(resp.code, "NoSuchBucket");
	assert_int_equal(s3_client_fail(c, &rq, &resp, &err), -1);
	assert_int_equal(err.code, CUSTOS_EIO);
	assert_non_null(strstr(err.msg, "bucket 'bkt' does not exist"));
	s3_buf_release(&resp.body);
	s3_client_free(c);
}

/* A plain PUT's ETag is the MD5 of what was stored: a different one fails
 * the upload ("hello" is 5d41402abc4b2a76b9719d911017c592). */
static void s3_client__put_etag_checked(void **state)
{
	static const char *const answers[] = {
		"HTTP/1.1 200 OK\r\nETag: \"5d41402abc4b2a76b9719d911017c592\"\r\n"
		"Content-Length: 0\r\nConnection: close\r\n\r\n",
		"HTTP/1.1 200 OK\r\nETag: \"00000000000000000000000000000000\"\r\n"
		"Content-Length: 0\r\nConnection: close\r\n\r\n",
	};
	struct custos_err err;
	struct server s;
	struct s3_client *c;

	(void)state;
	server_start(&s, answers, 2);
	c = client_for(s.port);
	assert_int_equal(s3_store_put(c, "k", "hello", 5, &err), 0);
	assert_int_equal(s3_store_put(c, "k", "hello", 5, &err), -1);
	assert_non_null(strstr(err.msg, "stored other bytes for 'k'"));
	server_stop(&s);
	s3_client_free(c);
}

static void s3_client__no_credentials(void **state)
{
	struct s3_client_config cfg = { "offsite", "http://127.0.0.1:9", "bkt",
					NULL, NULL, NULL, NULL };
	struct s3_request rq = { .method = "HEAD" };
	struct s3_response resp = { .body.max = 4096 };
	struct s3_client *c = NULL;
	struct custos_err err;

	(void)state;
	assert_int_equal(s3_client_new(&c, &cfg, &err), 0);
	assert_int_equal(s3_client_do(c, &rq, &resp, &err), -1);
	assert_int_equal(err.code, CUSTOS_EUSAGE);
	assert_non_null(strstr(err.msg, "AWS_ACCESS_KEY_ID"));
	s3_client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(s3_client__retries_then_succeeds),
		cmocka_unit_test(s3_client__retries_are_bounded),
		cmocka_unit_test(s3_client__no_answer_is_unavailable),
		cmocka_unit_test(s3_client__missing_bucket),
		cmocka_unit_test(s3_client__put_etag_checked),
		cmocka_unit_test(s3_client__no_credentials),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

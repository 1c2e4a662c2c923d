/*
 * preserve/storage/s3/s3_client.c - S3 requests over libcurl. Each request is signed
 * here (SigV4, header form, with the body's real SHA-256), sent on an easy
 * handle from a small pool, and retried with exponential backoff when the
 * network fails or the server answers 5xx/429 (S3_ATTEMPTS in all).
 */
#include "preserve/storage/s3/s3_client.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "core/ckd.h"
#include "core/strbuf.h"

#define S3_ATTEMPTS 5           /* tries per request */
#define S3_BACKOFF_MS 200       /* first wait; doubles each retry */
#define S3_POOL 16              /* idle easy handles kept */
#define S3_URL_MAX (64u << 10)

struct s3_client {
	char *name;
	char *origin;        /* "http://host:port" */
	char *host;          /* "host:port": the Host header */
	char *base;          /* canonical path of the bucket: "/b" or "" */
	char *bucket;
	char *region;
	char *access, *secret, *token;
	char *where;
	pthread_mutex_t lock;
	CURL *pool[S3_POOL];
	size_t npool;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static int curl_ok;

static void curl_init_once(void)
{
	curl_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

void s3_buf_release(struct s3_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Split ENDPOINT into origin, host and path; virtual-host style when the
 * host starts with "BUCKET." (https://BUCKET.s3.REGION.amazonaws.com). */
static int parse_endpoint(struct s3_client *c, const char *ep)
{
	const char *hs = strstr(ep, "://"), *slash;
	size_t blen = strlen(c->bucket);
	char *path;

	if (!hs)
		return -1;
	hs += 3;
	slash = strchr(hs, '/');
	if (!slash)
		slash = hs + strlen(hs);
	c->origin = strndup(ep, (size_t)(slash - ep));
	c->host = strndup(hs, (size_t)(slash - hs));
	path = strdup(slash);
	if (!c->origin || !c->host || !path) {
		free(path);
		return -1;
	}
	while (*path && path[strlen(path) - 1] == '/')
		path[strlen(path) - 1] = '\0';
	if (!strncmp(c->host, c->bucket, blen) && c->host[blen] == '.') {
		c->base = path;                     /* virtual-host style */
	} else {
		if (asprintf(&c->base, "%s/%s", path, c->bucket) < 0)
			c->base = NULL;
		free(path);
	}
	return c->base ? 0 : -1;
}

int s3_client_new(struct s3_client **out, const struct s3_client_config *cfg,
		  struct custos_err *err)
{
	struct s3_client *c = calloc(1, sizeof(*c));

	pthread_once(&curl_once, curl_init_once);
	if (!curl_ok) {
		free(c);
		return err_set(err, CUSTOS_EINTERNAL, NULL,
			       "libcurl did not start");
	}
	if (!c)
		return err_nomem(err);
	pthread_mutex_init(&c->lock, NULL);
	c->name = strdup(cfg->name);
	c->bucket = strdup(cfg->bucket);
	c->region = strdup(cfg->region ? cfg->region : "us-east-1");
	c->access = dup_or_null(cfg->access_key);
	c->secret = dup_or_null(cfg->secret_key);
	c->token = dup_or_null(cfg->session_token);
	if (!c->name || !c->bucket || !c->region ||
	    (cfg->access_key && !c->access) || (cfg->secret_key && !c->secret) ||
	    (cfg->session_token && !c->token)) {
		s3_client_free(c);
		return err_nomem(err);
	}
	if (parse_endpoint(c, cfg->endpoint) < 0 ||
	    asprintf(&c->where, "s3://%s at %s", c->bucket, cfg->endpoint) < 0) {
		c->where = NULL;
		s3_client_free(c);
		return err_set(err, CUSTOS_EUSAGE, NULL,
			       "location '%s': bad endpoint '%s'", cfg->name,
			       cfg->endpoint);
	}
	*out = c;
	return 0;
}

static void wipe_free(char *s)
{
	if (s)
		memset(s, 0, strlen(s));
	free(s);
}

void s3_client_free(struct s3_client *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->npool; i++)
		curl_easy_cleanup(c->pool[i]);
	pthread_mutex_destroy(&c->lock);
	free(c->name);
	free(c->origin);
	free(c->host);
	free(c->base);
	free(c->bucket);
	free(c->region);
	free(c->access);
	wipe_free(c->secret);
	wipe_free(c->token);
	free(c->where);
	free(c);
}

const char *s3_client_name(const struct s3_client *c)
{
	return c->name;
}

const char *s3_client_where(const struct s3_client *c)
{
	return c->where;
}

static CURL *handle_take(struct s3_client *c)
{
	CURL *h = NULL;

	pthread_mutex_lock(&c->lock);
	if (c->npool)
		h = c->pool[--c->npool];
	pthread_mutex_unlock(&c->lock);
	if (h)
		curl_easy_reset(h);
	else
		h = curl_easy_init();
	return h;
}

static void handle_give(struct s3_client *c, CURL *h)
{
	pthread_mutex_lock(&c->lock);
	if (c->npool < S3_POOL) {
		c->pool[c->npool++] = h;
		h = NULL;
	}
	pthread_mutex_unlock(&c->lock);
	if (h)
		curl_easy_cleanup(h);
}

/* ---- one attempt ---------------------------------------------------- */

struct upload {
	const unsigned char *p;
	size_t left;
};

static size_t read_body(char *dst, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t want = size * n, k = want < u->left ? want : u->left;

	memcpy(dst, u->p, k);
	u->p += k;
	u->left -= k;
	return k;
}

static size_t write_body(char *src, size_t size, size_t n, void *arg)
{
	struct s3_buf *b = arg;
	size_t len = size * n;

	if (len > b->cap - b->len) {
		size_t need = 0, ncap = b->cap ? b->cap : 4096;
		unsigned char *g;

		if (ckd_add_size(&need, b->len, len) || need > b->max) {
			b->overflow = 1;
			return 0;
		}
		while (ncap < need)
			ncap = ncap > b->max / 2 ? b->max : ncap * 2;
		g = realloc(b->data, ncap);
		if (!g) {
			b->overflow = 1;
			return 0;
		}
		b->data = g;
		b->cap = ncap;
	}
	memcpy(b->data + b->len, src, len);
	b->len += len;
	return len;
}

static int header_is(const char *line, size_t n, const char *name,
		     const char **val)
{
	size_t k = strlen(name);

	if (n <= k || strncasecmp(line, name, k) || line[k] != ':')
		return 0;
	*val = line + k + 1;
	while (**val == ' ')
		(*val)++;
	return 1;
}

static size_t read_header(char *line, size_t size, size_t n, void *arg)
{
	struct s3_response *r = arg;
	size_t len = size * n, vlen;
	const char *v;
	char tmp[160];

	if (len >= sizeof(tmp))
		return len;
	memcpy(tmp, line, len);
	tmp[len] = '\0';
	tmp[strcspn(tmp, "\r\n")] = '\0';
	if (header_is(tmp, strlen(tmp), "etag", &v)) {
		vlen = strlen(v);
		if (vlen < sizeof(r->etag))
			memcpy(r->etag, v, vlen + 1);
	} else if (header_is(tmp, strlen(tmp), "content-length", &v)) {
		r->length = strtoull(v, NULL, 10);
		if (!r->have_total)
			r->total = r->length;
	} else if (header_is(tmp, strlen(tmp), "content-range", &v)) {
		const char *slash = strchr(v, '/');

		if (slash && isdigit((unsigned char)slash[1])) {
			r->total = strtoull(slash + 1, NULL, 10);
			r->have_total = 1;
		}
	}
	return len;
}

/* The canonical (and sent) path of RQ's key. NULL on OOM. */
static char *request_path(const struct s3_client *c, const struct s3_request *rq)
{
	char *enc, *path = NULL;

	if (!rq->key)
		return strdup(*c->base ? c->base : "/");
	enc = s3_uri_encode(rq->key, 1);
	if (enc && asprintf(&path, "%s/%s", c->base, enc) < 0)
		path = NULL;
	free(enc);
	return path;
}

static void amz_now(char out[17])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

#define MAX_HEADERS 16

/* Sign RQ now and put the headers into *LIST. */
static int sign_request(struct s3_client *c, const struct s3_request *rq,
			const char *path, const char *payload_hash,
			const char *md5, struct curl_slist **list)
{
	struct s3_kv h[MAX_HEADERS];
	size_t n = 0;
	char date[17], *auth, *line;
	int ok = 0;
	struct s3_sigv4_input in = {
		rq->method, path, rq->query, rq->nquery, h, 0, payload_hash,
		date, c->region, "s3", c->access, c->secret,
	};

	amz_now(date);
	h[n++] = (struct s3_kv){ "host", c->host };
	h[n++] = (struct s3_kv){ "x-amz-content-sha256", payload_hash };
	h[n++] = (struct s3_kv){ "x-amz-date", date };
	if (md5)
		h[n++] = (struct s3_kv){ "content-md5", md5 };
	if (c->token)
		h[n++] = (struct s3_kv){ "x-amz-security-token", c->token };
	for (size_t i = 0; i < rq->nheaders && n < MAX_HEADERS; i++)
		h[n++] = rq->headers[i];
	in.nheaders = n;
	if (!(auth = s3_sigv4_authorization(&in)))
		return -1;
	for (size_t i = 0; i <= n; i++) {
		struct curl_slist *g;

		if (asprintf(&line, "%s: %s", i < n ? h[i].name : "Authorization",
			     i < n ? h[i].value : auth) < 0)
			break;
		g = curl_slist_append(*list, line);
		free(line);
		if (!g)
			break;
		*list = g;
		if (i == n)
			ok = 1;
	}
	free(auth);
	for (size_t i = 0; ok && i < 2; i++) {
		const char *off = i ? "Content-Type:" : "Expect:";
		struct curl_slist *g = curl_slist_append(*list, off);

		if (!g)
			ok = 0;
		else
			*list = g;
	}
	return ok ? 0 : -1;    /* the caller frees *list either way */
}

static void set_method(CURL *h, const struct s3_request *rq, struct upload *u)
{
	if (!strcmp(rq->method, "HEAD")) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	} else if (!strcmp(rq->method, "PUT")) {
		curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(h, CURLOPT_READFUNCTION, read_body);
		curl_easy_setopt(h, CURLOPT_READDATA, u);
		curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE,
				 (curl_off_t)rq->body_len);
	} else if (!strcmp(rq->method, "POST")) {
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->body ? rq->body : "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)rq->body_len);
	} else if (strcmp(rq->method, "GET")) {
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, rq->method);
	}
}

static void resp_reset(struct s3_response *r)
{
	r->status = 0;
	r->etag[0] = r->code[0] = '\0';
	r->length = r->total = 0;
	r->have_total = 0;
	r->body.len = 0;
	r->body.overflow = 0;
}

/* One attempt: CURLE_OK and a status, or a curl error. */
static CURLcode attempt(struct s3_client *c, CURL *h, const char *url,
			const struct s3_request *rq, struct curl_slist *hl,
			struct s3_response *resp, char *ebuf)
{
	struct upload u = { rq->body, rq->body_len };
	CURLcode cc;

	resp_reset(resp);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp->body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, read_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, resp);
	set_method(h, rq, &u);
	ebuf[0] = '\0';
	cc = curl_easy_perform(h);
	if (cc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
	(void)c;
	return cc;
}

static void find_code(struct s3_response *r)
{
	const char *p, *e;

	if (!r->body.data || r->body.len == 0 || r->body.len >= r->body.cap)
		return;
	r->body.data[r->body.len] = '\0';
	p = strstr((const char *)r->body.data, "<Code>");
	if (!p)
		return;
	p += 6;
	e = strstr(p, "</Code>");
	if (e && (size_t)(e - p) < sizeof(r->code)) {
		memcpy(r->code, p, (size_t)(e - p));
		r->code[e - p] = '\0';
	}
}

static int retryable(CURLcode cc, long status)
{
	if (cc != CURLE_OK)
		return cc != CURLE_WRITE_ERROR && cc != CURLE_OUT_OF_MEMORY;
	return status >= 500 || status == 429;
}

static void backoff(int attempt_no)
{
	long ms = (long)S3_BACKOFF_MS << attempt_no;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static char *request_url(const struct s3_client *c, const char *path,
			 const struct s3_request *rq)
{
	char *q = s3_sigv4_query(rq->query, rq->nquery), *url = NULL;

	if (q && asprintf(&url, "%s%s%s%s", c->origin, path, *q ? "?" : "",
			  q) < 0)
		url = NULL;
	free(q);
	return url;
}

char *s3_client_url(const struct s3_client *c, const char *key)
{
	struct s3_request rq = { .method = "GET", .key = key };
	char *path = request_path(c, &rq), *url = path ?
		request_url(c, path, &rq) : NULL;

	free(path);
	return url;
}

static int unavailable(struct s3_client *c, const struct s3_request *rq,
		       CURLcode cc, const char *ebuf, struct custos_err *err)
{
	return err_set(err, CUSTOS_EIO, rq->key,
		       "storage location '%s' is unavailable: %s %s/%s: %s",
		       c->name, rq->method, c->where, rq->key ? rq->key : "",
		       *ebuf ? ebuf : curl_easy_strerror(cc));
}

int s3_client_do(struct s3_client *c, const struct s3_request *rq,
		 struct s3_response *resp, struct custos_err *err)
{
	char hash[65], md5[25], ebuf[CURL_ERROR_SIZE];
	char *path = NULL, *url = NULL;
	CURL *h = NULL;
	CURLcode cc = CURLE_OK;
	int rc = -1;

	if (!c->access || !c->secret)
		return err_set(err, CUSTOS_EUSAGE, NULL,
			       "no S3 credentials for location '%s': set "
			       "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
			       "name a credentials file in the policy", c->name);
	s3_sha256_hex(rq->body ? rq->body : "", rq->body_len, hash);
	if (rq->content_md5)
		s3_md5_base64(rq->body ? rq->body : "", rq->body_len, md5);
	if (!(path = request_path(c, rq)) || !(url = request_url(c, path, rq)) ||
	    !(h = handle_take(c))) {
		err_nomem(err);
		goto out;
	}
	for (int i = 0; i < S3_ATTEMPTS; i++) {
		struct curl_slist *hl = NULL;

		if (i)
			backoff(i - 1);
		if (sign_request(c, rq, path, hash, rq->content_md5 ? md5 : NULL,
				 &hl) < 0) {
			curl_slist_free_all(hl);
			err_nomem(err);
			goto out;
		}
		cc = attempt(c, h, url, rq, hl, resp, ebuf);
		curl_slist_free_all(hl);
		if (resp->body.overflow)
			break;
		if (!retryable(cc, resp->status))
			break;
	}
	if (resp->body.overflow) {
		err_set(err, CUSTOS_ELIMIT, rq->key,
			"location '%s': the answer to %s '%s' is larger than "
			"expected (%zu bytes)", c->name, rq->method,
			rq->key ? rq->key : "", resp->body.max);
		goto out;
	}
	if (cc != CURLE_OK) {
		unavailable(c, rq, cc, ebuf, err);
		goto out;
	}
	find_code(resp);
	rc = 0;
out:
	if (h)
		handle_give(c, h);
	free(path);
	free(url);
	return rc;
}

int s3_client_fail(struct s3_client *c, const struct s3_request *rq,
		   const struct s3_response *resp, struct custos_err *err)
{
	const char *key = rq->key ? rq->key : "";

	if (!strcmp(resp->code, "NoSuchBucket") ||
	    (resp->status == 404 && !rq->key))
		return err_set(err, CUSTOS_EIO, NULL,
			       "storage location '%s' is unavailable: bucket '%s' "
			       "does not exist at %s", c->name, c->bucket,
			       c->origin);
	if (resp->status == 403 || resp->status == 401)
		return err_set(err, CUSTOS_EIO, key,
			       "storage location '%s' is unavailable: %s refused "
			       "the credentials or access to '%s' (%ld %s)",
			       c->name, c->where, key, resp->status,
			       *resp->code ? resp->code : "Forbidden");
	return err_set(err, CUSTOS_EIO, key,
		       "storage location '%s': %s '%s' failed with HTTP %ld%s%s",
		       c->name, rq->method, key, resp->status,
		       *resp->code ? " " : "", resp->code);
}

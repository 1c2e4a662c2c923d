/*
 * tests/preserve/test_sigv4.c - SigV4 signing against the published AWS
 * examples (S3 developer guide "Examples: Signature Calculations" and the
 * SigV4 test suite's get-vanilla cases), plus percent-encoding and the
 * path-style / virtual-host-style URLs of preserve/s3_client.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "preserve/storage/s3/s3_client.h"
#include "preserve/storage/s3/s3_sigv4.h"

#define EMPTY_SHA "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define S3_KEY "AKIAIOSFODNN7EXAMPLE"
#define S3_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define SUITE_KEY "AKIDEXAMPLE"
#define SUITE_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

static void check_auth(const struct s3_sigv4_input *in, const char *want)
{
	char *auth = s3_sigv4_authorization(in);

	assert_non_null(auth);
	assert_string_equal(auth, want);
	free(auth);
}

/* S3 guide: GET Object with a Range header. */
static void sigv4__s3_get_object(void **state)
{
	const struct s3_kv h[] = {
		{ "Host", "examplebucket.s3.amazonaws.com" },
		{ "Range", "bytes=0-9" },
		{ "x-amz-content-sha256", EMPTY_SHA },
		{ "x-amz-date", "20130524T000000Z" },
	};
	struct s3_sigv4_input in = {
		"GET", "/test.txt", NULL, 0, h, 4, EMPTY_SHA,
		"20130524T000000Z", "us-east-1", "s3", S3_KEY, S3_SECRET,
	};

	(void)state;
	check_auth(&in, "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/"
		   "20130524/us-east-1/s3/aws4_request, SignedHeaders=host;"
		   "range;x-amz-content-sha256;x-amz-date, Signature="
		   "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

/* S3 guide: PUT Object, a key that needs encoding, a real payload hash. */
static void sigv4__s3_put_object(void **state)
{
	const char *body = "Welcome to Amazon S3.";
	char hash[65];
	const struct s3_kv h[] = {
		{ "date", "Fri, 24 May 2013 00:00:00 GMT" },
		{ "host", "examplebucket.s3.amazonaws.com" },
		{ "x-amz-content-sha256", hash },
		{ "x-amz-date", "20130524T000000Z" },
		{ "x-amz-storage-class", "REDUCED_REDUNDANCY" },
	};
	char *uri = s3_uri_encode("/test$file.text", 1);
	struct s3_sigv4_input in = {
		"PUT", uri, NULL, 0, h, 5, hash, "20130524T000000Z",
		"us-east-1", "s3", S3_KEY, S3_SECRET,
	};

	(void)state;
	s3_sha256_hex(body, strlen(body), hash);
	assert_string_equal(hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b"
			    "4b4e99e42034a8b803f8b072");
	assert_string_equal(uri, "/test%24file.text");
	check_auth(&in, "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/"
		   "20130524/us-east-1/s3/aws4_request, SignedHeaders=date;"
		   "host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
		   "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1"
		   "b5971af0ece108bd");
	free(uri);
}

/* S3 guide: GET Bucket (list objects), query parameters given unsorted. */
static void sigv4__s3_list_objects(void **state)
{
	const struct s3_kv q[] = { { "prefix", "J" }, { "max-keys", "2" } };
	const struct s3_kv h[] = {
		{ "x-amz-date", "20130524T000000Z" },
		{ "host", "examplebucket.s3.amazonaws.com" },
		{ "x-amz-content-sha256", EMPTY_SHA },
	};
	struct s3_sigv4_input in = {
		"GET", "/", q, 2, h, 3, EMPTY_SHA, "20130524T000000Z",
		"us-east-1", "s3", S3_KEY, S3_SECRET,
	};

	(void)state;
	check_auth(&in, "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/"
		   "20130524/us-east-1/s3/aws4_request, SignedHeaders=host;"
		   "x-amz-content-sha256;x-amz-date, Signature="
		   "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

/* SigV4 test suite: get-vanilla and get-vanilla-query-order-key-case. */
static void sigv4__suite_get_vanilla(void **state)
{
	const struct s3_kv h[] = {
		{ "Host", "example.amazonaws.com" },
		{ "X-Amz-Date", "20150830T123600Z" },
	};
	const struct s3_kv q[] = { { "Param2", "value2" }, { "Param1", "value1" } };
	struct s3_sigv4_input in = {
		"GET", "/", NULL, 0, h, 2, EMPTY_SHA, "20150830T123600Z",
		"us-east-1", "service", SUITE_KEY, SUITE_SECRET,
	};

	(void)state;
	check_auth(&in, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/"
		   "us-east-1/service/aws4_request, SignedHeaders=host;"
		   "x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372"
		   "ff2a2260956d9b8aae1d763fbf31");
	in.query = q;
	in.nquery = 2;
	check_auth(&in, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/"
		   "us-east-1/service/aws4_request, SignedHeaders=host;"
		   "x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b79"
		   "9221646efd99d3219ec94cdf2500");
}

/* SigV4 test suite: get-header-value-trim (canonical request text). */
static void sigv4__suite_header_trim(void **state)
{
	const struct s3_kv h[] = {
		{ "Host", "example.amazonaws.com" },
		{ "My-Header1", " value1" },
		{ "My-Header2", " \"a   b   c\"" },
		{ "X-Amz-Date", "20150830T123600Z" },
	};
	struct s3_sigv4_input in = {
		"GET", "/", NULL, 0, h, 4, EMPTY_SHA, "20150830T123600Z",
		"us-east-1", "service", SUITE_KEY, SUITE_SECRET,
	};
	char *creq = s3_sigv4_canonical_request(&in);

	(void)state;
	assert_non_null(creq);
	assert_string_equal(creq, "GET\n/\n\nhost:example.amazonaws.com\n"
			    "my-header1:value1\nmy-header2:\"a b c\"\n"
			    "x-amz-date:20150830T123600Z\n\n"
			    "host;my-header1;my-header2;x-amz-date\n" EMPTY_SHA);
	free(creq);
}

static void sigv4__encoding(void **state)
{
	const struct s3_kv q[] = {
		{ "uploads", NULL }, { "prefix", "obj 1/v1/dat\xc3\xa4+" },
		{ "continuation-token", "a/b=c" }, { "list-type", "2" },
	};
	char *e = s3_uri_encode("obj-1/v1/data/a b~_.-\xc3\xbc*", 1);
	char *qs = s3_sigv4_query(q, 4);

	(void)state;
	assert_string_equal(e, "obj-1/v1/data/a%20b~_.-%C3%BC%2A");
	assert_string_equal(qs, "continuation-token=a%2Fb%3Dc&list-type=2&"
			    "prefix=obj%201%2Fv1%2Fdat%C3%A4%2B&uploads=");
	free(e);
	free(qs);
}

static void sigv4__md5(void **state)
{
	char b64[25];

	(void)state;
	s3_md5_base64("", 0, b64);
	assert_string_equal(b64, "1B2M2Y8AsgTpgAmY7PhCfg==");
}

static void check_url(const char *endpoint, const char *key, const char *want)
{
	struct s3_client_config cfg = { "offsite", endpoint, "my-bucket",
					NULL, "AK", "SK", NULL };
	struct s3_client *c = NULL;
	struct custos_err err;
	char *url;

	assert_int_equal(s3_client_new(&c, &cfg, &err), 0);
	url = s3_client_url(c, key);
	assert_non_null(url);
	assert_string_equal(url, want);
	free(url);
	s3_client_free(c);
}

static void sigv4__addressing(void **state)
{
	(void)state;
	check_url("http://127.0.0.1:7480", "p/obj-1/v1/data/a b.txt",
		  "http://127.0.0.1:7480/my-bucket/p/obj-1/v1/data/a%20b.txt");
	check_url("http://127.0.0.1:7480/", NULL,
		  "http://127.0.0.1:7480/my-bucket");
	check_url("https://gw.example.org/s3/", "k",
		  "https://gw.example.org/s3/my-bucket/k");
	check_url("https://my-bucket.s3.eu-west-1.amazonaws.com", "obj-1/v1/x",
		  "https://my-bucket.s3.eu-west-1.amazonaws.com/obj-1/v1/x");
	check_url("https://my-bucket.s3.eu-west-1.amazonaws.com", NULL,
		  "https://my-bucket.s3.eu-west-1.amazonaws.com/");
	/* a host that merely starts with the bucket's name: path style */
	check_url("https://my-bucket-archive.example.org", "k",
		  "https://my-bucket-archive.example.org/my-bucket/k");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sigv4__s3_get_object),
		cmocka_unit_test(sigv4__s3_put_object),
		cmocka_unit_test(sigv4__s3_list_objects),
		cmocka_unit_test(sigv4__suite_get_vanilla),
		cmocka_unit_test(sigv4__suite_header_trim),
		cmocka_unit_test(sigv4__encoding),
		cmocka_unit_test(sigv4__md5),
		cmocka_unit_test(sigv4__addressing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

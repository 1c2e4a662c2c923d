/*
 * cli/cmd_keygen.c - `custos keygen --out PREFIX`: an Ed25519 key pair
 * for signing reports (PREFIX.pem private, mode 0600; PREFIX.pub public).
 */
#include <stdio.h>

#include "audit/report/sign.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"

const char cmd_keygen_usage[] =
	"usage: custos keygen --out PREFIX [--json]\n"
	"\n"
	"Make an Ed25519 key pair for signing reports: PREFIX.pem (the private\n"
	"key, PKCS#8 PEM, readable only by you) and PREFIX.pub (the public key,\n"
	"PEM, to give to auditors). Neither file may exist. The same keys can be\n"
	"made with: openssl genpkey -algorithm ed25519 -out PREFIX.pem &&\n"
	"openssl pkey -in PREFIX.pem -pubout -out PREFIX.pub\n";

int cmd_keygen(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	struct custos_err err;
	int rc;

	if ((rc = cli_parse(ctx, argc, argv, NULL, longopts, cli_keep_value, &out)))
		return rc;
	if (!out || optind != argc)
		return cli_usage_error(cmd_keygen_usage, "keygen takes --out PREFIX only");
	err_clear(&err);
	if (sign_keygen(out, &err) < 0)
		return cli_fail(&err);
	if (ctx->json) {
		char pem[4096], pub[4096];

		snprintf(pem, sizeof(pem), "%s.pem", out);
		snprintf(pub, sizeof(pub), "%s.pub", out);
		cli_print_json(json_pack("{s:o, s:o}", "private_key", cli_json_string(pem),
					 "public_key", cli_json_string(pub)));
	} else {
		printf("wrote '%s.pem' (private key, keep it secret) and '%s.pub' (public key)\n",
		       out, out);
	}
	return CLI_EXIT_OK;
}

/* selfsigned.c — a throw-away certificate (see selfsigned.h). */
#include "lib/selfsigned.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <sys/stat.h>

static int add_ext(X509 *x, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return -1;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? 0 : -1;
}

int selfsigned_write(const char *cert_path, const char *key_path)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *name;
	FILE *f = NULL;
	int rc = -1;

	if (!key || !x || !X509_set_version(x, 2) || !ASN1_INTEGER_set(X509_get_serialNumber(x), 1) ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), -3600) || !X509_gmtime_adj(X509_getm_notAfter(x), 86400) ||
	    !X509_set_pubkey(x, key))
		goto out;
	name = X509_get_subject_name(x);
	if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"127.0.0.1", -1, -1, 0) ||
	    !X509_set_issuer_name(x, name))
		goto out;
	if (add_ext(x, NID_basic_constraints, "critical,CA:TRUE") < 0 ||
	    add_ext(x, NID_key_usage, "critical,digitalSignature,keyCertSign") < 0 ||
	    add_ext(x, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost") < 0 ||
	    add_ext(x, NID_subject_key_identifier, "hash") < 0 || !X509_sign(x, key, EVP_sha256()))
		goto out;
	if (!(f = fopen(key_path, "w")) || chmod(key_path, 0600) ||
	    !PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) || fclose(f)) {
		f = NULL;
		goto out;
	}
	if (!(f = fopen(cert_path, "w")) || !PEM_write_X509(f, x) || fclose(f)) {
		f = NULL;
		goto out;
	}
	f = NULL;
	rc = 0;
out:
	if (f)
		fclose(f);
	X509_free(x);
	EVP_PKEY_free(key);
	return rc;
}

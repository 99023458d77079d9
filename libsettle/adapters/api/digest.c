/* digest.c — SHA-256 of a request with OpenSSL (see digest.h). */
#include "adapters/api/digest.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

void api_request_digest(const char *method, const char *path, const char *body, size_t body_len, char out[65])
{
	unsigned char md[32];
	unsigned int n = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	/* The NULs keep ("GET", "/ab") and ("GE", "T/ab") apart. */
	if (!c || !EVP_DigestInit_ex(c, EVP_sha256(), NULL) || !EVP_DigestUpdate(c, method, strlen(method) + 1) ||
	    !EVP_DigestUpdate(c, path, strlen(path) + 1) || !EVP_DigestUpdate(c, body, body_len) ||
	    !EVP_DigestFinal_ex(c, md, &n) || n != 32)
		memset(md, 0, sizeof md); /* cannot happen short of OOM; a zero digest only ever mismatches */
	EVP_MD_CTX_free(c);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

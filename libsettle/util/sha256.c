/*
 * sha256.c — one-shot SHA-256 through OpenSSL's EVP interface.
 */
#include "util/sha256.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>

static EVP_MD *md;
static pthread_once_t md_once = PTHREAD_ONCE_INIT;

/* Fetched once: EVP_sha256() makes OpenSSL 3 look the algorithm up again
 * on every digest, which the ledger writer pays per journal entry. */
static void fetch_md(void)
{
	md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

void sha256(const void *data, size_t len, unsigned char out[32])
{
	unsigned int n = 0;

	pthread_once(&md_once, fetch_md);
	/* EVP_Digest fails only when OpenSSL cannot allocate its context; a
	 * seal computed from garbage would be worse than stopping. */
	if (!md || EVP_Digest(data, len, out, &n, md, NULL) != 1 || n != 32)
		abort();
}

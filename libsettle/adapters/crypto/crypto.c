/* crypto.c — OpenSSL EVP AES-256-GCM and RAND_bytes. */
#include "adapters/crypto/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#include "adapters/config/config.h"

int crypto_key_from_hex(const char *hex, struct data_key *key, struct settle_err *err)
{
	if (strlen(hex) != 2 * CRYPTO_KEY_LEN)
		return err_set(err, SETTLE_EX_CONFIG, "data key must be %d hex digits", 2 * CRYPTO_KEY_LEN);
	for (int i = 0; i < CRYPTO_KEY_LEN; i++) {
		unsigned v = 0;

		for (int j = 0; j < 2; j++) {
			char c = hex[2 * i + j];

			v <<= 4;
			if (c >= '0' && c <= '9')
				v |= (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v |= (unsigned)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				v |= (unsigned)(c - 'A' + 10);
			else
				return err_set(err, SETTLE_EX_CONFIG, "data key has a non-hex character");
		}
		key->k[i] = (unsigned char)v;
	}
	return 0;
}

int crypto_load_key(const struct config *cfg, struct data_key *key, struct settle_err *err)
{
	char hex[129];
	int64_t id = 1;
	int rc;

	if (config_get_int(cfg, "crypto", "key_id", 1, 1, 65535, &id, err) < 0)
		return -1;
	key->id = (int)id;
	rc = config_secret(cfg, "crypto", "data_key", hex, sizeof hex, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(err, SETTLE_EX_CONFIG,
			       "%s: no data key: set [crypto] data_key_file, the credential crypto.data_key or "
			       "SETTLE_CRYPTO_DATA_KEY",
			       config_path(cfg));
	rc = crypto_key_from_hex(hex, key, err);
	OPENSSL_cleanse(hex, sizeof hex);
	return rc;
}

void crypto_key_wipe(struct data_key *key)
{
	OPENSSL_cleanse(key, sizeof *key);
}

int crypto_load_keyring(const struct config *cfg, struct data_keyring *ring, struct settle_err *err)
{
	char hex[129];
	int64_t id = 0;
	int rc;

	memset(ring, 0, sizeof *ring);
	if (crypto_load_key(cfg, &ring->current, err) < 0)
		return -1;
	rc = config_secret(cfg, "crypto", "previous_data_key", hex, sizeof hex, err);
	if (rc == 1) {
		rc = config_get_int(cfg, "crypto", "previous_key_id", 0, 1, 65535, &id, err);
		if (rc == 0 && id == 0)
			rc = err_set(err, SETTLE_EX_CONFIG, "%s: [crypto] previous_data_key is set: set previous_key_id too",
				     config_path(cfg));
		if (rc == 0 && id == ring->current.id)
			rc = err_set(err, SETTLE_EX_CONFIG, "%s: [crypto] previous_key_id is key_id (%d): a rotation needs a new id",
				     config_path(cfg), ring->current.id);
		if (rc == 0)
			rc = crypto_key_from_hex(hex, &ring->previous, err);
		ring->previous.id = (int)id;
		ring->has_previous = rc == 0;
	}
	OPENSSL_cleanse(hex, sizeof hex);
	if (rc < 0) {
		crypto_keyring_wipe(ring);
		return -1;
	}
	return 0;
}

void crypto_keyring_wipe(struct data_keyring *ring)
{
	OPENSSL_cleanse(ring, sizeof *ring);
}

static int unhex(const char *hex, unsigned char *out, size_t cap, size_t *n)
{
	size_t len = strlen(hex);

	if (len % 2 || len / 2 > cap)
		return -1;
	for (size_t i = 0; i < len / 2; i++) {
		int hi = OPENSSL_hexchar2int((unsigned char)hex[2 * i]), lo = OPENSSL_hexchar2int((unsigned char)hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	*n = len / 2;
	return 0;
}

int crypto_open_hex(const struct data_keyring *ring, int64_t key_id, const char *aad, const char *hex, char *out,
		    size_t cap, const char *what_, struct settle_err *err)
{
	unsigned char sealed[1024];
	size_t sealed_len = 0, plain_len = 0;
	const struct data_key *key = NULL;
	int rc;

	if (!ring)
		return err_set(err, SETTLE_EX_CONFIG, "%s: [crypto] data_key_file is needed to read it", what_);
	if (key_id == 0)
		key_id = 1;
	if (key_id == (ring->current.id ? ring->current.id : 1))
		key = &ring->current;
	else if (ring->has_previous && key_id == ring->previous.id)
		key = &ring->previous;
	if (!key)
		return err_set(err, SETTLE_EX_CONFIG, "%s is sealed under key id %lld: neither [crypto] key_id nor "
			       "previous_key_id", what_, (long long)key_id);
	if (unhex(hex, sealed, sizeof sealed, &sealed_len) < 0 || sealed_len <= CRYPTO_OVERHEAD ||
	    sealed_len - CRYPTO_OVERHEAD + 1 > cap)
		return err_set(err, SETTLE_EX_DATAERR, "%s: the stored value is not ciphertext", what_);
	rc = crypto_open(key, aad, sealed, sealed_len, out, &plain_len, err);
	OPENSSL_cleanse(sealed, sizeof sealed);
	if (rc < 0)
		return err_prefix(err, "%s", what_);
	out[plain_len] = '\0';
	return 0;
}

int crypto_seal(const struct data_key *key, const char *aad, const void *plain, size_t len, unsigned char *out,
		size_t *out_len, struct settle_err *err)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0, ok;

	if (!ctx)
		return err_set(err, SETTLE_EX_OSERR, "crypto: out of memory");
	out[0] = 1;
	ok = RAND_bytes(out + 1, 12) == 1 && EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key->k, out + 1) == 1 &&
	     EVP_EncryptUpdate(ctx, NULL, &n, (const unsigned char *)aad, (int)strlen(aad)) == 1 &&
	     EVP_EncryptUpdate(ctx, out + CRYPTO_OVERHEAD, &n, plain, (int)len) == 1 &&
	     EVP_EncryptFinal_ex(ctx, out + CRYPTO_OVERHEAD + n, &n) == 1 &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, out + 13) == 1;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		return err_set(err, SETTLE_EX_SOFTWARE, "crypto: encryption failed");
	*out_len = len + CRYPTO_OVERHEAD;
	return 0;
}

int crypto_open(const struct data_key *key, const char *aad, const unsigned char *sealed, size_t len, char *out,
		size_t *out_len, struct settle_err *err)
{
	EVP_CIPHER_CTX *ctx;
	int n = 0, m = 0, ok;

	if (len < CRYPTO_OVERHEAD || sealed[0] != 1)
		return err_set(err, SETTLE_EX_DATAERR, "crypto: %s is not a sealed value", aad);
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return err_set(err, SETTLE_EX_OSERR, "crypto: out of memory");
	ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key->k, sealed + 1) == 1 &&
	     EVP_DecryptUpdate(ctx, NULL, &n, (const unsigned char *)aad, (int)strlen(aad)) == 1 &&
	     EVP_DecryptUpdate(ctx, (unsigned char *)out, &n, sealed + CRYPTO_OVERHEAD,
			       (int)(len - CRYPTO_OVERHEAD)) == 1 &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, (void *)(uintptr_t)(sealed + 13)) == 1 &&
	     EVP_DecryptFinal_ex(ctx, (unsigned char *)out + n, &m) == 1;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok) {
		/* GCM writes the plaintext before the tag is checked: never
		 * leave unauthenticated (or other-column) data in out. */
		OPENSSL_cleanse(out, len - CRYPTO_OVERHEAD + 1);
		out[0] = '\0';
		return err_set(err, SETTLE_EX_DATAERR, "crypto: %s does not decrypt with this key", aad);
	}
	out[n + m] = '\0';
	*out_len = (size_t)(n + m);
	return 0;
}

int public_id(char *buf, size_t len, const char *prefix, struct settle_err *err)
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789"; /* 32, no 0/o/1/l */
	unsigned char raw[20];
	size_t pl = strlen(prefix);

	if (len < pl + 21)
		return err_set(err, SETTLE_EX_SOFTWARE, "public id buffer too small");
	if (RAND_bytes(raw, sizeof raw) != 1)
		return err_set(err, SETTLE_EX_OSERR, "no random bytes for an id");
	memcpy(buf, prefix, pl);
	for (size_t i = 0; i < sizeof raw; i++)
		buf[pl + i] = alphabet[raw[i] & 31];
	buf[pl + 20] = '\0';
	return 0;
}

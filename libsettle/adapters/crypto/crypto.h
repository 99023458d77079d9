/*
 * crypto.h — AES-256-GCM for sensitive personal data at rest (leaders'
 * account and resident numbers), and unguessable public ids.
 *
 * Rule: ciphertext layout is version(1) || nonce(12) || tag(16) || data;
 * the column name is bound as additional data, so a value copied into
 * another column does not decrypt.
 */
#ifndef SETTLE_ADAPTERS_CRYPTO_H
#define SETTLE_ADAPTERS_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"

#define CRYPTO_KEY_LEN 32
#define CRYPTO_OVERHEAD (1 + 12 + 16)

struct config;

struct data_key {
	unsigned char k[CRYPTO_KEY_LEN];
	int id; /* [crypto] key_id: stored beside what it sealed (0 reads as 1) */
};

/* The current key and, while a rotation runs, the one before it. */
struct data_keyring {
	struct data_key current, previous;
	int has_previous;
};

/* The key is 64 hex digits in the secret [crypto] data_key; its id is
 * [crypto] key_id (default 1). */
int crypto_load_key(const struct config *cfg, struct data_key *key, struct settle_err *err);
/* The current key and the secret [crypto] previous_data_key with
 * [crypto] previous_key_id, when set (the id must then differ). */
int crypto_load_keyring(const struct config *cfg, struct data_keyring *ring, struct settle_err *err);
void crypto_keyring_wipe(struct data_keyring *ring);
/* Opens what the database holds as HEX(ciphertext), sealed under key id
 * key_id (0 reads as 1): the key is picked from the ring (the current one,
 * or the previous one while a rotation runs). out gets the clear text, NUL
 * ended; what_ names the row in errors ("leader L account"). 78 when the
 * ring lacks that key, 65 when the text is not ciphertext or fails to open. */
int crypto_open_hex(const struct data_keyring *ring, int64_t key_id, const char *aad, const char *hex, char *out,
		    size_t cap, const char *what_, struct settle_err *err);
int crypto_key_from_hex(const char *hex, struct data_key *key, struct settle_err *err);
void crypto_key_wipe(struct data_key *key);

/* out must hold len + CRYPTO_OVERHEAD bytes. */
int crypto_seal(const struct data_key *key, const char *aad, const void *plain, size_t len, unsigned char *out,
		size_t *out_len, struct settle_err *err);
/* out must hold len - CRYPTO_OVERHEAD + 1 bytes; it is NUL-terminated. */
int crypto_open(const struct data_key *key, const char *aad, const unsigned char *sealed, size_t len, char *out,
		size_t *out_len, struct settle_err *err);

/* "pay_" + 20 base32 characters from the OS's random source. */
int public_id(char *buf, size_t len, const char *prefix, struct settle_err *err);

#endif

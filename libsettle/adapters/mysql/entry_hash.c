/*
 * entry_hash.c — SHA-256 over domain/seal.c's encodings.
 */
#include "adapters/mysql/entry_hash.h"

#include <stdlib.h>

#include "util/sha256.h"

int entry_hash_hex(struct seal_entry *e, char hex[SEAL_HEX_LEN], struct settle_err *err)
{
	unsigned char stack[4096], *buf = stack, h[SEAL_HASH_LEN];
	size_t len = seal_entry_encode(e, stack, sizeof stack);

	/* An entry of the writer's shape (<= 16 postings) always fits; one
	 * inserted by other means may not. */
	if (len > sizeof stack) {
		if (!(buf = malloc(len)))
			return err_set(err, SETTLE_EX_OSERR, "out of memory");
		seal_entry_encode(e, buf, len);
	}
	sha256(buf, len, h);
	if (buf != stack)
		free(buf);
	seal_hex(h, hex);
	return 0;
}

void block_hash_hex(const struct seal_block *b, char hex[SEAL_HEX_LEN])
{
	unsigned char buf[1024], h[SEAL_HASH_LEN];
	size_t len = seal_block_encode(b, buf, sizeof buf);

	/* Every field is bounded (hex hashes, numbers, a timestamp). */
	if (len > sizeof buf)
		abort();
	sha256(buf, len, h);
	seal_hex(h, hex);
}

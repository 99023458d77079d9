/* webhook_redact.c — see webhook_redact.h. */
#include "adapters/pg/webhook_redact.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "domain/card_mask.h"

#define MAX_DEPTH 32 /* the PGs' bodies are three levels deep */

/* The members that carry a card number in the PGs' bodies: Toss
 * card.number, NicePay card.cardNum (and the spellings of their kin). */
static int is_card_field(const char *parent, const char *k)
{
	return (!strcmp(k, "number") && parent && !strcmp(parent, "card")) || !strcmp(k, "cardNum") ||
	       !strcmp(k, "cardNumber") || !strcmp(k, "cardNo");
}

/* Replaces what may not be kept under v (the member named parent); the
 * count of values replaced. */
static int scrub(json_t *v, const char *parent, int depth)
{
	const char *k;
	json_t *m;
	size_t i;
	int n = 0;

	if (depth > MAX_DEPTH)
		return 0;
	if (json_is_array(v)) {
		json_array_foreach(v, i, m)
			n += scrub(m, parent, depth + 1);
		return n;
	}
	if (!json_is_object(v))
		return 0;
	json_object_foreach(v, k, m) {
		if (json_is_string(m) && ((!strcmp(k, "secret") && json_string_length(m) > 0) ||
					  (is_card_field(parent, k) && !card_number_keepable(json_string_value(m))))) {
			json_object_set_new(v, k, json_null());
			n++;
		} else {
			n += scrub(m, k, depth + 1);
		}
	}
	return n;
}

int webhook_redact(const char *body, size_t len, char **out)
{
	json_t *root = json_loadb(body, len, 0, NULL);
	int rc = 0;

	*out = NULL;
	if (!root)
		return 0;
	if (scrub(root, NULL, 0) > 0) {
		*out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (!*out)
			rc = -1;
	}
	json_decref(root);
	return rc;
}

/* fake_ledger.c — the ledger repository in memory (adapters/mysql/ledger_repo.c
 * over ledger_store): every entry must pass journal_check, and an entry key
 * posted twice (before, or within the batch) is a duplicate. Entries are
 * kept whole so tests assert accounts, amounts and keys. */
#include <stdio.h>
#include <string.h>

#include "fakes/fakes.h"

static int posted(const struct fake_store *s, const char *key)
{
	for (size_t i = 0; i < s->db.n_entries; i++)
		if (!strcmp(s->db.entries[i].key, key))
			return 1;
	return 0;
}

static int post(void *self, struct uow *tx, const char *const *keys, const struct journal_entry *entries, size_t n,
		const char *now, struct settle_err *err)
{
	struct fake_store *s = self;

	(void)tx;
	if (n == 0)
		return 0;
	if (fake_store_write(s, "ledger.post", err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (journal_check(&entries[i], err) < 0)
			return err_prefix(err, "refusing to write %s", keys[i]);
	if (s->fail_next_post > 0) {
		s->fail_next_post--;
		return err_set(err, SETTLE_EX_DATAERR, "journal entry already posted (%s%s)", keys[0],
			       n > 1 ? " or another of the batch" : "");
	}
	if (s->db.n_entries + n > FAKE_MAX_ENTRIES)
		return err_set(err, SETTLE_EX_SOFTWARE, "fake: journal full");
	/* The whole statement fails on one duplicate: check first, then write. */
	for (size_t i = 0; i < n; i++) {
		int dup = posted(s, keys[i]);

		for (size_t j = 0; j < i; j++)
			dup |= !strcmp(keys[j], keys[i]);
		if (dup)
			return err_set(err, SETTLE_EX_DATAERR, "journal entry already posted (%s%s)", keys[0],
				       n > 1 ? " or another of the batch" : "");
	}
	for (size_t i = 0; i < n; i++) {
		struct fake_entry_row *row = &s->db.entries[s->db.n_entries++];

		snprintf(row->key, sizeof row->key, "%s", keys[i]);
		row->entry = entries[i];
		snprintf(row->at, sizeof row->at, "%s", now);
	}
	return 0;
}

void fake_ledger_repo(struct ledger_repo *out, struct fake_store *s)
{
	*out = (struct ledger_repo){.self = s, .post = post};
}

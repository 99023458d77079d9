/* fake_sellers.c — the sellers repository in memory (adapters/mysql/sellers_repo.c):
 * lock reads the row (the account only when asked), save writes the
 * registration columns and stamps seller_reg_at on SENDING. */
#include <stdio.h>
#include <string.h>

#include "fakes/fakes.h"

static int lock(void *self, struct uow *tx, int64_t id, int with_account, struct seller_rec *out,
		struct settle_err *err)
{
	struct fake_store *s = self;

	(void)tx;
	(void)err;
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < s->db.n_leaders; i++)
		if (s->db.leaders[i].rec.id == id) {
			*out = s->db.leaders[i].rec;
			if (!with_account)
				seller_rec_wipe(out);
			return 1;
		}
	return 0;
}

static int save(void *self, struct uow *tx, const struct seller_rec *r, const char *now, struct settle_err *err)
{
	struct fake_store *s = self;

	(void)tx;
	if (fake_store_write(s, "sellers.save", err) < 0)
		return -1;
	for (size_t i = 0; i < s->db.n_leaders; i++) {
		struct fake_leader_row *l = &s->db.leaders[i];

		if (l->rec.id != r->id)
			continue;
		l->rec.reg = r->reg;
		l->rec.attempt = r->attempt;
		memcpy(l->rec.ref, r->ref, sizeof l->rec.ref);
		memcpy(l->rec.seller_id, r->seller_id, sizeof l->rec.seller_id);
		memcpy(l->rec.seller_status, r->seller_status, sizeof l->rec.seller_status);
		memcpy(l->rec.code, r->code, sizeof l->rec.code);
		memcpy(l->rec.message, r->message, sizeof l->rec.message);
		memcpy(l->rec.next_check_at, r->next_check_at, sizeof l->rec.next_check_at);
		if (r->reg == SELLER_REG_SENDING)
			snprintf(l->reg_at, sizeof l->reg_at, "%s", now);
		return 0;
	}
	return err_set(err, SETTLE_EX_DATAERR, "fake sellers: no leader %lld", (long long)r->id);
}

void fake_sellers_repo(struct sellers_repo *out, struct fake_store *s)
{
	*out = (struct sellers_repo){.self = s, .lock = lock, .save = save};
}

struct fake_leader_row *fake_leader_add(struct fake_store *s, const char *leader_id, int complete)
{
	struct fake_leader_row *l;

	if (s->db.n_leaders >= FAKE_MAX_LEADERS)
		return NULL;
	l = &s->db.leaders[s->db.n_leaders++];
	memset(l, 0, sizeof *l);
	l->rec.id = ++s->db.next_id;
	snprintf(l->rec.leader_id, sizeof l->rec.leader_id, "%s", leader_id);
	l->rec.kind = LEADER_INDIVIDUAL;
	snprintf(l->rec.name, sizeof l->rec.name, "Leader %s", leader_id);
	snprintf(l->rec.email, sizeof l->rec.email, "%s@example.com", leader_id);
	if (complete)
		snprintf(l->rec.phone, sizeof l->rec.phone, "01012345678");
	snprintf(l->rec.bank_code, sizeof l->rec.bank_code, "004");
	snprintf(l->rec.account, sizeof l->rec.account, "12345678901");
	snprintf(l->rec.holder, sizeof l->rec.holder, "Leader %s", leader_id);
	return l;
}

struct fake_leader_row *fake_leader(struct fake_store *s, const char *leader_id)
{
	for (size_t i = 0; i < s->db.n_leaders; i++)
		if (!strcmp(s->db.leaders[i].rec.leader_id, leader_id))
			return &s->db.leaders[i];
	return NULL;
}

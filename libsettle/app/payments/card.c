/*
 * card.c — the card a payment used, as the PG reported it (issue 14):
 * settle-watch counts failures and payments per card. Only a truncated
 * number is kept (domain/card_mask.h); a PG that sends more than PCI DSS
 * allows gets NULL stored and a warning that names the payment and
 * nothing of the number, so a full number reaches neither the database
 * nor the log.
 */
#include "app/payments/internal.h"
#include "domain/card_mask.h"
#include "util/log.h"

int pay_keep_card(const struct pay_ctx *c, struct uow *tx, const struct payment_rec *p, const struct pg_payment *pg,
		  struct settle_err *err)
{
	const struct payments_repo *pr = c->r.payments;
	const char *number, *issuer;

	if (!pg || (!pg->card_number[0] && !pg->card_issuer[0]))
		return 0;
	number = card_number_keepable(pg->card_number) ? pg->card_number : NULL;
	issuer = card_issuer_keepable(pg->card_issuer) ? pg->card_issuer : NULL;
	if (pg->card_number[0] && !number)
		log_kv(LOG_WARN, "payment.card_not_kept", "payment", p->public_id, "why",
		       "the PG's card number is not truncated as PCI DSS requires; stored none", (char *)NULL);
	if (pg->card_issuer[0] && !issuer)
		log_kv(LOG_WARN, "payment.card_issuer_not_kept", "payment", p->public_id, "why",
		       "the PG's card issuer code is not 1-16 letters or digits; stored none", (char *)NULL);
	if (!number && !issuer)
		return 0;
	return pr->set_card(pr->self, tx, p->id, number, issuer, err);
}

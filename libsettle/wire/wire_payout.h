/*
 * wire_payout.h — builds payout-send's context from settle.conf: the
 * banks by name ([toss-payouts] base_url, secret_key_file,
 * security_key_file, time-outs; [bulk-file] outbox_dir), the payees with
 * the data key ([crypto] data_key_file), [payout] batch and lease.
 */
#ifndef SETTLE_WIRE_PAYOUT_H
#define SETTLE_WIRE_PAYOUT_H

#include "adapters/bank/registry.h"
#include "adapters/crypto/crypto.h"
#include "app/payouts/payouts.h"
#include "app/payouts/register.h"
#include "cli/cli.h"

#define WIRE_BANKS_MAX 4

struct payout_wiring {
	struct payout_ctx ctx;
	struct uow_port uow;
	struct payouts_repo payouts;
	struct claims_port claims;
	struct ledger_repo ledger;
	struct outbox_port outbox;
	struct payees_port *payees;
	struct data_keyring keys; /* the data key, and the one before while a rotation runs */
	int have_key;
	struct bank_directory banks;
	size_t n_banks;
	const char *bank_names[WIRE_BANKS_MAX];
	struct bank_settings bank_settings[WIRE_BANKS_MAX];
	char owner[64];
	/* --register-sellers: the leaders' seller registrations */
	struct seller_reg_ctx reg_ctx;
	struct sellers_repo *sellers;
	struct seller_registry *registry;
};

/* Opens the seller registry of [payout] channel into w->reg_ctx (for
 * payout-send --register-sellers). 0, or -1 with err (EX_CONFIG when the
 * channel registers no sellers or is not configured). */
int wire_payout_open_registry(struct cli *cli, struct payout_wiring *w, struct settle_err *err);

extern const struct cli_wiring payout_wiring;

#endif

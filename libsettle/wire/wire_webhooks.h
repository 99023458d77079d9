/*
 * wire_webhooks.h — pay-webhookd put together: the payments wiring (the
 * database, the PGs), the webhook events repository, the keys that verify
 * signed notifications, and the HTTP routes on the daemon base
 * (adapters/httpd):
 *
 *   POST /webhooks/toss          Toss DEPOSIT_CALLBACK, PAYMENT_STATUS_CHANGED
 *   POST /webhooks/nicepay       NicePay notification (answered "OK", text/html)
 *   POST /webhooks/toss-payouts  Toss payouts v2 payout.changed (signed)
 *   GET  /healthz
 *
 * Receiving (the check and the store, before the answer) runs on a pool
 * of database connections, one per HTTP thread, so a PG's retry storm is
 * answered in parallel; acting (after the answer) runs on the program's own
 * connection, one event at a time.
 */
#ifndef SETTLE_WIRE_WEBHOOKS_H
#define SETTLE_WIRE_WEBHOOKS_H

#include "cli/cli.h"

/* Reads [webhookd] and serves until SIGTERM. 0, or -1 with err. */
int webhookd_serve(struct cli *cli, struct settle_err *err);

extern const struct cli_wiring webhooks_wiring;

#endif

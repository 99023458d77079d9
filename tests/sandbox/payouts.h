/*
 * payouts.h — the sandbox's Toss payouts v2 (research/pg-apis.md T8): the
 * security key tests share, and the two entry points sandbox.c routes to.
 *
 * The key is $SETTLE_SANDBOX_PAYOUTS_KEY (64 hex digits) when set, else
 * SANDBOX_PAYOUTS_SECURITY_KEY.
 */
#ifndef SANDBOX_PAYOUTS_H
#define SANDBOX_PAYOUTS_H

#define SANDBOX_PAYOUTS_SECURITY_KEY "5a0bd1e3c4f2a6978b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f40"

struct sbx_req;
struct sbx_resp;

/* /v2/payouts and /v2/sellers/{id} (after a /toss prefix, if any). */
void payouts_handle(struct sbx_req *rq, struct sbx_resp *rs);
/* /_sandbox/payouts/… */
void payouts_control(struct sbx_req *rq, struct sbx_resp *rs);

#endif

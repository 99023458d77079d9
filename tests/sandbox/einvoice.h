/*
 * einvoice.h — the sandbox's e-invoice provider in the shape of Popbill
 * and its LinkHub token service (research/tax.md §8): the credentials
 * tests and the demo share, and the entry point sandbox.c routes to.
 */
#ifndef SANDBOX_EINVOICE_H
#define SANDBOX_EINVOICE_H

#define SANDBOX_LINKHUB_LINK_ID "SETTLE_SANDBOX"
/* base64 of 32 bytes, as LinkHub SecretKeys are */
#define SANDBOX_LINKHUB_SECRET "c2V0dGxlLXNhbmRib3gtbGlua2h1Yi1zZWNyZXQta2V5IQ=="

struct sbx_req;
struct sbx_resp;

/* /linkhub/{ServiceID}/Token, /popbill/Taxinvoice…, /_sandbox/einvoice/… */
void einvoice_handle(struct sbx_req *rq, struct sbx_resp *rs);

#endif

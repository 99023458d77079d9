/* print_refund_policy.h — how a refund's policy amount was reached, for
 * people (a few lines) and in JSON. */
#ifndef SETTLE_CLI_PRINT_REFUND_POLICY_H
#define SETTLE_CLI_PRINT_REFUND_POLICY_H

#include <jansson.h>
#include <stdio.h>

#include "app/payments/refund_by_policy.h"

void print_refund_how(FILE *out, const struct policy_refund_how *how);
/* A new object (the caller owns it); NULL when out of memory. */
json_t *refund_how_json(const struct policy_refund_how *how);

#endif

/* print_payment.h — how payments and refunds look on a terminal and in JSON. */
#ifndef SETTLE_CLI_PRINT_PAYMENT_H
#define SETTLE_CLI_PRINT_PAYMENT_H

#include <jansson.h>
#include <stdio.h>

#include "domain/payment.h"
#include "domain/refund.h"

/* New JSON objects (the caller owns them); NULL when out of memory. */
json_t *payment_json(const struct payment_rec *p);
json_t *refund_json(const struct refund_rec *r);
/* One line per payment for tables; header first. Every text is escaped. */
void print_payment_header(FILE *out);
void print_payment_row(FILE *out, const struct payment_rec *p);

#endif

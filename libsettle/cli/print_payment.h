/* print_payment.h — how payments and refunds look on a terminal and in JSON. */
#ifndef SETTLE_CLI_PRINT_PAYMENT_H
#define SETTLE_CLI_PRINT_PAYMENT_H

#include <stdio.h>

#include "domain/payment.h"
#include "domain/refund.h"

void print_payment_json(FILE *out, const struct payment_rec *p);
void print_refund_json(FILE *out, const struct refund_rec *r);
/* One line per payment for tables; header first. */
void print_payment_header(FILE *out);
void print_payment_row(FILE *out, const struct payment_rec *p);

#endif

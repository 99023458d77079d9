/*
 * payments_config.h — what the payments programs read from settle.conf:
 * [payments], [breaker], [toss], [nicepay], [study], into the fields of a
 * struct payments_wiring, from one table of keys.
 *
 * Rule: a key is one row {section, key, default, min, max, field}; the
 * messages name file, line and key (config_get_int's).
 */
#ifndef SETTLE_WIRE_PAYMENTS_CONFIG_H
#define SETTLE_WIRE_PAYMENTS_CONFIG_H

#include "wire/wire_payments.h"

struct config;

/* Settings (app defaults first), PG and Study URLs and time-outs, the PG
 * secrets. The Study token is read where the Study port is built. */
int payments_config_read(const struct config *cfg, struct payments_wiring *w, struct settle_err *err);

#endif

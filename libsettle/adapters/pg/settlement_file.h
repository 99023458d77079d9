/*
 * settlement_file.h — the settlement file downloaded from a PG's console
 * (CSV, UTF-8, a BOM allowed) behind ports/pg_settlements.h.
 *
 * The columns, in this order, are the settlement API's own field names
 * (research/pg-apis.md T10), one record a line:
 *
 *   soldDate,paidOutDate,paymentKey,transactionKey,orderId,method,currency,
 *   amount,fee,supplyAmount,vat,payOutAmount
 *
 * Amounts are whole minor units, a cancel's negative ("-50000"); orderId,
 * method, supplyAmount and vat may be empty.
 *
 * Rule: the file is one answer. A wrong header, a malformed field, an
 * amount that does not add up (payOutAmount ≠ amount − fee) refuses the
 * whole file with "FILE:LINE: what", before any record is used.
 */
#ifndef SETTLE_ADAPTERS_PG_SETTLEMENT_FILE_H
#define SETTLE_ADAPTERS_PG_SETTLEMENT_FILE_H

#include "domain/err.h"
#include "ports/pg_settlements.h"

/* pg names whose records these are ("toss"). NULL with err when out of
 * memory. Free with port->destroy(port->self). */
struct pg_settlements_port *settlement_file_new(const char *path, const char *pg, struct settle_err *err);

#endif

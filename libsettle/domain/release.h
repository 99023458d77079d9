/*
 * domain/release.h — when a completed pod's escrow may be released: once
 * hold_days business days (Korea time) have passed since the day it
 * completed. A completion on 2026-11-20 (KST) with 7 days is releasable
 * from 2026-11-27 00:00 KST on.
 */
#ifndef SETTLE_DOMAIN_RELEASE_H
#define SETTLE_DOMAIN_RELEASE_H

#include <stdint.h>

#include "domain/err.h"

/* The first instant (µs since the epoch, UTC) at which an escrow of a pod
 * completed at completed_us may be released. */
int64_t release_due_us(int64_t completed_us, int hold_days);

/* The latest completion instant (exclusive) whose hold has passed at
 * now_us: a pod completed before it may be released now. */
int64_t release_cutoff_us(int64_t now_us, int hold_days);

/* The KST business date of an instant, "YYYY-MM-DD". */
void kst_date(int64_t us, char out[11]);

/* Days since 1970-01-01 of a proleptic Gregorian date; -1 when invalid. */
int64_t civil_days(int y, int m, int d);

#endif

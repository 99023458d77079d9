/*
 * domain/order.h — when a pod takes a new order: its status, its fee, and
 * its capacity counted both by the Study Service and by settle's own live
 * places.
 */
#ifndef SETTLE_DOMAIN_ORDER_H
#define SETTLE_DOMAIN_ORDER_H

#include <stdint.h>

#include "domain/err.h"

/* The pod as an order sees it. */
struct order_pod {
	const char *pod_id, *status, *currency;
	int64_t fee;
	int capacity, participants;
};

/* Refuses a pod that is not OPEN, is free, or has an invalid fee. */
int order_pod_accepts(const struct order_pod *pod, struct settle_err *err);

/* Refuses when the places settle holds (live_places) or the Study
 * Service's count has reached the capacity. */
int order_pod_has_place(const struct order_pod *pod, int64_t live_places, struct settle_err *err);

#endif

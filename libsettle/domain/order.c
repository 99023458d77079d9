/* order.c — the rules of taking an order for a pod (see order.h). */
#include "domain/order.h"

#include <string.h>

#include "domain/money.h"

int order_pod_accepts(const struct order_pod *pod, struct settle_err *err)
{
	if (!strcmp(pod->status, "FULL"))
		return err_set(err, SETTLE_EX_DATAERR, "pod %s is full", pod->pod_id);
	if (strcmp(pod->status, "OPEN"))
		return err_set(err, SETTLE_EX_DATAERR, "pod %s is %s; it takes no new participants", pod->pod_id,
			       pod->status);
	if (pod->fee == 0)
		return err_set(err, SETTLE_EX_DATAERR, "pod %s is free; there is nothing to pay", pod->pod_id);
	if (pod->fee < 0 || !currency_known(pod->currency))
		return err_set(err, SETTLE_EX_DATAERR, "pod %s has an invalid fee %lld %s", pod->pod_id,
			       (long long)pod->fee, pod->currency);
	return 0;
}

int order_pod_has_place(const struct order_pod *pod, int64_t live_places, struct settle_err *err)
{
	int64_t taken = live_places > pod->participants ? live_places : pod->participants;

	if (taken >= pod->capacity)
		return err_set(err, SETTLE_EX_DATAERR, "pod %s is full (%lld of %d places taken)", pod->pod_id,
			       (long long)taken, pod->capacity);
	return 0;
}

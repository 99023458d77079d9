/* fake_refund_terms.c — the refund terms port in memory (see fake_refund_terms.h). */
#include "fakes/fake_refund_terms.h"

#include <stdio.h>
#include <string.h>

static int pod(void *self, struct uow *tx, const char *pod_id, struct pod_terms *out, struct settle_err *err)
{
	struct fake_refund_terms *f = self;

	(void)tx;
	(void)err;
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < f->n_pods; i++)
		if (!strcmp(f->pods[i].pod_id, pod_id)) {
			*out = f->pods[i].t;
			return 1;
		}
	return 0;
}

static int versions(void *self, struct uow *tx, const char *name, struct policy_versions *out, struct settle_err *err)
{
	struct fake_refund_terms *f = self;

	(void)tx;
	(void)err;
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < f->n_named; i++)
		if (!strcmp(f->named[i].name, name))
			*out = f->named[i].vs;
	return 0;
}

static int record(void *self, struct uow *tx, int64_t refund_id, const struct refund_basis_rec *b,
		  struct settle_err *err)
{
	struct fake_refund_terms *f = self;

	(void)tx;
	if (f->n_recorded == sizeof f->recorded / sizeof f->recorded[0])
		return err_set(err, SETTLE_EX_SOFTWARE, "fake refund terms: full");
	f->recorded[f->n_recorded].refund_id = refund_id;
	f->recorded[f->n_recorded].basis = b->basis;
	snprintf(f->recorded[f->n_recorded].policy, sizeof f->recorded[0].policy, "%s", b->policy ? b->policy : "");
	snprintf(f->recorded[f->n_recorded].from, sizeof f->recorded[0].from, "%s", b->policy_from ? b->policy_from : "");
	snprintf(f->recorded[f->n_recorded].reason, sizeof f->recorded[0].reason, "%s",
		 b->override_reason ? b->override_reason : "");
	f->recorded[f->n_recorded].policy_amount = b->policy_amount;
	f->n_recorded++;
	return 0;
}

void fake_refund_terms_port(struct refund_terms_repo *out, struct fake_refund_terms *f)
{
	*out = (struct refund_terms_repo){.self = f, .pod = pod, .versions = versions, .record = record};
}

void fake_refund_terms_pod(struct fake_refund_terms *f, const char *pod_id, const char *starts_on, const char *ends_on,
			   const char *policy)
{
	size_t i = f->n_pods++;

	snprintf(f->pods[i].pod_id, sizeof f->pods[i].pod_id, "%s", pod_id);
	snprintf(f->pods[i].t.starts_on, sizeof f->pods[i].t.starts_on, "%s", starts_on);
	snprintf(f->pods[i].t.ends_on, sizeof f->pods[i].t.ends_on, "%s", ends_on);
	snprintf(f->pods[i].t.policy, sizeof f->pods[i].t.policy, "%s", policy ? policy : "");
}

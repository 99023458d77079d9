/*
 * fake_refund_terms.h — an in-memory refund terms port: a few pods' dates
 * and policies, named policy versions, and the bases recorded, for the
 * app tests of refund by policy. Mirrors adapters/mysql/refund_terms_repo.c:
 * pod returns 1/0, versions of an unknown name is n == 0.
 */
#ifndef SETTLE_TESTS_FAKE_REFUND_TERMS_H
#define SETTLE_TESTS_FAKE_REFUND_TERMS_H

#include "ports/refund_terms.h"

struct fake_refund_terms {
	struct {
		char pod_id[65];
		struct pod_terms t;
	} pods[8];
	size_t n_pods;
	struct {
		char name[POLICY_NAME_MAX + 1];
		struct policy_versions vs;
	} named[4];
	size_t n_named;
	struct {
		int64_t refund_id;
		enum refund_basis basis;
		char policy[POLICY_NAME_MAX + 1], from[11], reason[201];
		int64_t policy_amount;
	} recorded[16];
	size_t n_recorded;
};

void fake_refund_terms_port(struct refund_terms_repo *out, struct fake_refund_terms *f);
void fake_refund_terms_pod(struct fake_refund_terms *f, const char *pod_id, const char *starts_on, const char *ends_on,
			   const char *policy);

#endif

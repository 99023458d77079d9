/* fake_pods.c — settle's copy of the pods in memory (adapters/mysql/pods_repo.c):
 * refresh_and_lock upserts the copy (the lock is the unit of work's);
 * leader_of reads it. */
#include <stdio.h>
#include <string.h>

#include "fakes/fakes.h"

static int refresh_and_lock(void *self, struct uow *tx, const struct study_pod *pod, const char *now,
			    struct settle_err *err)
{
	struct fake_store *s = self;
	struct fake_pod_row *row = NULL;

	(void)tx;
	if (fake_store_write(s, "pods.refresh", err) < 0)
		return -1;
	for (size_t i = 0; i < s->db.n_pods; i++)
		if (!strcmp(s->db.pods[i].pod.pod_id, pod->pod_id))
			row = &s->db.pods[i];
	if (!row) {
		if (s->db.n_pods >= FAKE_MAX_PODS)
			return err_set(err, SETTLE_EX_SOFTWARE, "fake: pods table full");
		row = &s->db.pods[s->db.n_pods++];
	}
	row->pod = *pod;
	snprintf(row->refreshed_at, sizeof row->refreshed_at, "%s", now);
	return 0;
}

static int leader_of(void *self, struct uow *tx, const char *pod_id, char *leader_id, size_t len,
		     struct settle_err *err)
{
	struct fake_store *s = self;

	(void)tx, (void)err;
	for (size_t i = 0; i < s->db.n_pods; i++)
		if (!strcmp(s->db.pods[i].pod.pod_id, pod_id)) {
			snprintf(leader_id, len, "%s", s->db.pods[i].pod.leader_id);
			return 1;
		}
	return 0;
}

void fake_pods_repo(struct pods_repo *out, struct fake_store *s)
{
	*out = (struct pods_repo){.self = s, .refresh_and_lock = refresh_and_lock, .leader_of = leader_of};
}

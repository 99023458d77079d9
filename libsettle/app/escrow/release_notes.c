/*
 * release_notes.c — the leader's notice of an escrow release (issue 14):
 * one note per pod a unit of work releases, not one per escrow, with the
 * pod, what was released and from how many participants.
 *
 * The key names the pod and the first escrow (lowest id) the unit
 * released for it: an escrow is released once, so a re-run of the unit
 * (a deadlock, a crash before commit) derives the same key and the note
 * exists once. A unit takes the rest of its pods' due escrows with its
 * batch (release.c), so a pod gets one note per run; a later release of
 * the same pod (an escrow whose dispute was resolved, one another runner
 * held, more than a batch's worth, the rest of a pod after a unit lost to
 * another runner walked on from elsewhere) gets its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/escrow/escrow.h"
#include "app/notify/note.h"
#include "domain/money.h"

static int by_pod_then_id(const void *a, const void *b)
{
	const struct release_row *x = *(const struct release_row *const *)a, *y = *(const struct release_row *const *)b;
	int c = strcmp(x->e.pod_id, y->e.pod_id);

	return c ? c : (x->e.id > y->e.id) - (x->e.id < y->e.id);
}

int escrow_release_notes(const struct release_row *rows, size_t n, const char *now, const struct release_row **scratch,
			 struct outbox_note *notes, size_t *n_notes, struct settle_err *err)
{
	*n_notes = 0;
	for (size_t i = 0; i < n; i++)
		scratch[i] = &rows[i];
	qsort(scratch, n, sizeof *scratch, by_pod_then_id);
	for (size_t i = 0; i < n;) {
		const struct release_row *first = scratch[i];
		int64_t total = 0;
		size_t j = i;

		for (; j < n && !strcmp(scratch[j]->e.pod_id, first->e.pod_id); j++)
			if (i64_add(&total, total, scratch[j]->e.released) < 0)
				return err_set(err, SETTLE_EX_DATAERR, "pod %s: the released total overflows",
					       first->e.pod_id);
		{
			struct outbox_note *no = &notes[(*n_notes)++];
			char ref[OUTBOX_KEY_MAX];

			snprintf(ref, sizeof ref, "%s:%s", first->e.pod_id, first->e.public_id);
			note_init(no, "escrow.released", ref, "leader", first->leader_id);
			note_fact(no, "pod", "%s", first->e.pod_id);
			note_money(no, "amount", total, first->e.currency);
			note_fact(no, "participants", "%zu", j - i);
			note_fact(no, "at", "%s", now);
		}
		i = j;
	}
	return 0;
}

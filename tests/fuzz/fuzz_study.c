/*
 * fuzz_study.c — what the Study Service answers (adapters/study): a pod,
 * a page of completions, a participation confirm. Byte 0 picks the call,
 * byte 1 the HTTP status (as fuzz_pg.c), the rest is the body.
 */
#include "fuzz/fuzz.h"

#include <stdlib.h>

#include "adapters/study/study_http.h"

static const long statuses[] = {200, 201, 400, 404, 409, 429, 500, 503, 0};

int fuzz_study(const uint8_t *data, size_t size)
{
	struct settle_err err = {0};
	struct http_response resp;
	struct study_completion done[16];
	struct study_pod pod;
	char cursor[256];
	size_t n;

	if (size < 2)
		return 0;
	resp = (struct http_response){.status = statuses[data[1] % (sizeof statuses / sizeof statuses[0])]};
	resp.body = fuzz_cstr(data + 2, size - 2);
	if (!resp.body)
		return 0;
	resp.body_len = size - 2;
	resp.body_cap = size - 1;
	switch (data[0] % 3) {
	case 0:
		(void)study_parse_pod(resp.body, resp.body_len, &pod, &err);
		(void)study_classify_pod(&resp, "pod-algo-101", &pod, &err);
		break;
	case 1:
		(void)study_classify_completions(&resp, done, sizeof done / sizeof done[0], &n, cursor, sizeof cursor,
						 &err);
		break;
	default:
		(void)study_classify_confirm(&resp, "pod-algo-101", &err);
		break;
	}
	free(resp.body);
	return 0;
}

FUZZ_MAIN(fuzz_study)

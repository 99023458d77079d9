/*
 * fuzz_settlement_file.c — a PG settlement file downloaded from the
 * console (adapters/pg/settlement_file.c): the file listed over a period
 * wide enough to take every record, each record read in full.
 */
#include "fuzz/fuzz.h"

#include <unistd.h>

#include "adapters/pg/settlement_file.h"

static int take(void *arg, const struct recon_record *r, struct settle_err *err)
{
	size_t *n = arg;

	(void)err;
	*n += (size_t)r->kind + 1;
	return 0;
}

int fuzz_settlement_file(const uint8_t *data, size_t size)
{
	struct settle_err err = {0};
	struct pg_settlements_port *p;
	char path[256];
	size_t n = 0;

	if (fuzz_file("settlement.csv", data, size, path, sizeof path) < 0)
		return 0;
	p = settlement_file_new(path, "toss", &err);
	if (p) {
		(void)p->list(p->self, "2000-01-01", "2099-12-31", take, &n, &err);
		p->destroy(p->self);
	}
	unlink(path);
	return 0;
}

FUZZ_MAIN(fuzz_settlement_file)

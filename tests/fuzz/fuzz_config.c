/*
 * fuzz_config.c — settle.conf (adapters/config via inih) from any bytes:
 * the file as config_load reads it, then the typed getters the programs use.
 */
#include "fuzz/fuzz.h"

#include <unistd.h>

#include "adapters/config/config.h"

int fuzz_config(const uint8_t *data, size_t size)
{
	struct settle_err err = {0};
	struct config *cfg = NULL;
	char path[256];
	int64_t v;

	if (fuzz_file("conf", data, size, path, sizeof path) < 0)
		return 0;
	if (config_load(&cfg, path, &err) == 0) {
		(void)config_get(cfg, "database", "name");
		(void)config_get_or(cfg, "payments", "currency", "KRW");
		(void)config_get_int(cfg, "settlement", "fee_bps", 0, 0, 10000, &v, &err);
		(void)config_get_int(cfg, "database", "port", 3306, 1, 65535, &v, &err);
		config_free(cfg);
	}
	unlink(path);
	return 0;
}

FUZZ_MAIN(fuzz_config)

/* etc/settle.conf.example lists every key settle knows, commented out,
 * and nothing else: uncommented, it loads. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapters/config/config.h"
#include "lib/testdb.h"

Test(adapters_config_example, lists_every_known_key_and_loads_uncommented)
{
	char path[512], line[1024], out[128], section[64] = "";
	char *seen = calloc(512, 1);
	FILE *in = fopen(test_repo_file("etc/settle.conf.example", path, sizeof path), "r"), *o;
	struct config *cfg;
	struct settle_err err = {0};
	size_t n = 0;

	cr_assert(in && seen);
	while (config_known_key(n))
		n++;
	cr_assert_lt(n, 512);
	snprintf(out, sizeof out, "/tmp/settle-example-%d.conf", (int)getpid());
	o = fopen(out, "w");
	cr_assert_not_null(o);
	while (fgets(line, sizeof line, in)) {
		char key[64];

		if (line[0] == '[')
			sscanf(line, "[%63[^]]]", section);
		/* "; key = value": a commented key; its value is not checked
		 * here (paths, secrets), only that the key is known. */
		if (sscanf(line, "; %63[a-z0-9_] = ", key) == 1 && strstr(line, " = ")) {
			char full[160];

			snprintf(full, sizeof full, "%s.%s", section, key);
			for (size_t i = 0; i < n; i++)
				if (!strcmp(config_known_key(i), full))
					seen[i] = 1;
			fprintf(o, "%s = x\n", key);
		} else if (line[0] == '[') {
			fputs(line, o);
		}
	}
	fclose(in);
	fclose(o);
	for (size_t i = 0; i < n; i++)
		cr_assert(seen[i], "etc/settle.conf.example does not list %s", config_known_key(i));
	cr_assert_eq(config_load(&cfg, out, &err), 0, "the example names a key settle does not know: %s", err.msg);
	config_free(cfg);
	unlink(out);
	free(seen);
}

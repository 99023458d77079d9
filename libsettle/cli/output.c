/* output.c — terminal-safe text and jansson output for cmd/. */
#include "cli/output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/err.h"
#include "util/termsafe.h"

const char *cli_esc(const char *s)
{
	static char ring[16][1024];
	static unsigned next;
	char *buf = ring[next++ % 16];

	return term_escape(buf, sizeof ring[0], s ? s : "");
}

json_t *cli_json_string(const char *s)
{
	json_t *j;
	char *buf;
	size_t len;

	if (!s)
		return json_null();
	j = json_string(s);
	if (j)
		return j;
	/* Not UTF-8 (jansson refuses it): show the bytes as a terminal would. */
	len = strlen(s) * 4 + 1;
	buf = malloc(len);
	if (!buf)
		return NULL;
	j = json_string(term_escape(buf, len, s));
	free(buf);
	return j;
}

json_t *cli_json_text(const char *s)
{
	return s && *s ? cli_json_string(s) : json_null();
}

int cli_json_print(json_t *j, struct settle_err *err)
{
	if (!j)
		return err_set(err, SETTLE_EX_SOFTWARE, "out of memory building JSON");
	json_dumpf(j, stdout, JSON_COMPACT);
	putchar('\n');
	json_decref(j);
	return 0;
}

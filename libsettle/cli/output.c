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

json_t *cli_json_str(const char *s)
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
	return s && *s ? cli_json_str(s) : json_null();
}

/* jansson writes U+0080–U+009F (C1 controls: CSI, OSC …) as raw UTF-8,
 * which a terminal may act on. Their encoding (C2 80–C2 9F) can only occur
 * inside a JSON string, so writing each as \u00XX keeps the document. */
static void put_json(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9F) {
			printf("\\u%04x", (unsigned char)s[1]);
			s++;
		} else {
			putchar(*s);
		}
	}
}

int cli_json_print(json_t *j, struct settle_err *err)
{
	char *text;

	if (!j)
		return err_set(err, SETTLE_EX_SOFTWARE, "out of memory building JSON");
	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!text)
		return err_set(err, SETTLE_EX_SOFTWARE, "out of memory writing JSON");
	put_json(text);
	putchar('\n');
	free(text);
	return 0;
}

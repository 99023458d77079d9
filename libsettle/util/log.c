/*
 * log.c — key=value event lines on stderr. Values with spaces, quotes or
 * '=' are put in quotes with escapes so a line always parses back.
 */
#include "util/log.h"
#include "util/termsafe.h"
#include "domain/utf8.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static char program_name[64] = "settle";
static enum log_level current_level = LOG_INFO;

void log_init(const char *program, enum log_level level)
{
	const char *slash = program ? strrchr(program, '/') : NULL;

	snprintf(program_name, sizeof program_name, "%s", slash ? slash + 1 : program ? program : "settle");
	current_level = level;
}

void log_set_level(enum log_level level)
{
	current_level = level;
}

enum log_level log_get_level(void)
{
	return current_level;
}

int log_key_is_secret(const char *key)
{
	static const char *const words[] = {"password", "secret", "token", "authorization", "account_number",
					    "rrn", "card", "credential"};

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcasestr(key, words[i]))
			return 1;
	return 0;
}

/* Quoted when a value holds a separator or anything a terminal would
 * interpret; inside quotes, control characters and bytes that are not
 * UTF-8 become \xNN (util/termsafe.h), so one event stays one safe line. */
static void put_value(FILE *out, const char *v)
{
	if (!v) {
		fputs("-", out);
		return;
	}
	if (*v && !strpbrk(v, " \t\"=\\\n\r") && !term_needs_escape(v)) {
		fputs(v, out);
		return;
	}
	fputc('"', out);
	for (const char *end = v + strlen(v); *v;) {
		uint32_t cp;
		int n = utf8_decode(v, (size_t)(end - v), &cp);

		if (n > 0 && !utf8_is_control(cp)) {
			if (*v == '"' || *v == '\\')
				fputc('\\', out);
			fwrite(v, 1, (size_t)n, out);
			v += n;
			continue;
		}
		/* Byte by byte, as term_escape does: a C1 control is two bytes. */
		if (*v == '\n' || *v == '\r')
			fputs("\\n", out);
		else
			fprintf(out, "\\x%02x", (unsigned char)*v);
		v++;
	}
	fputc('"', out);
}

void log_kv(enum log_level level, const char *event, ...)
{
	static const char *const names[] = {"error", "warn", "info", "debug"};
	char line[4096];
	FILE *out;
	struct timespec ts;
	struct tm tm;
	char when[40];
	va_list ap;

	if (level > current_level)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
	out = fmemopen(line, sizeof line - 2, "w");
	if (!out)
		return;
	fprintf(out, "ts=%s.%03ldZ prog=%s pid=%d level=%s event=", when, ts.tv_nsec / 1000000, program_name,
		(int)getpid(), names[level]);
	put_value(out, event);
	va_start(ap, event);
	for (;;) {
		const char *k = va_arg(ap, const char *);
		const char *v;

		if (!k)
			break;
		v = va_arg(ap, const char *);
		fprintf(out, " %s=", k);
		put_value(out, log_key_is_secret(k) ? "[redacted]" : v);
	}
	va_end(ap);
	fclose(out);
	line[sizeof line - 2] = '\0';
	/* One write per line so concurrent processes do not interleave. */
	size_t n = strlen(line);
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, n) < 0)
		return;
}

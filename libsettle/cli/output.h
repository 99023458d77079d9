/*
 * output.h — what programs write on stdout: human text made terminal-safe,
 * and JSON built with jansson (never by hand).
 *
 * Rule: a value that came from input or from the database is printed
 * through cli_esc (text) or cli_json_text (JSON); JSON is one compact
 * document per line.
 */
#ifndef SETTLE_CLI_OUTPUT_H
#define SETTLE_CLI_OUTPUT_H

#include <jansson.h>

/* s escaped for a terminal (util/termsafe.h), in one of a ring of static
 * buffers: up to 16 may be used in one printf. Long values are cut. */
const char *cli_esc(const char *s);

/* A JSON string of s, or JSON null when s is NULL or empty. Bytes that are
 * not UTF-8 are written as \xNN text, as on a terminal. */
json_t *cli_json_text(const char *s);
/* The same, but "" stays a string. */
json_t *cli_json_str(const char *s);

/* Writes j compactly on stdout with a newline and releases it. Returns 0,
 * or -1 with err set when j is NULL (out of memory while building it). */
struct settle_err;
int cli_json_print(json_t *j, struct settle_err *err);

#endif

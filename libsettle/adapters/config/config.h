/*
 * config.h — settle.conf (INI, parsed by inih) and secrets.
 *
 * Rule: the file is checked strictly — an unknown section or key, a
 * malformed line or a bad value is a one-line error naming file, line and
 * key. Secrets never live in the file itself: they come from a file named
 * by `<key>_file`, from $CREDENTIALS_DIRECTORY/<section>.<key>, or from the
 * environment variable SETTLE_<SECTION>_<KEY>. A secret file named in the
 * config that group or others may read is refused, naming file and mode.
 * A line may be up to 16 KiB long (a long path or URL).
 */
#ifndef SETTLE_ADAPTERS_CONFIG_H
#define SETTLE_ADAPTERS_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"

#define CONFIG_DEFAULT_PATH "/etc/settle/settle.conf"

struct config;

/* Finds the file (explicit path, else $SETTLE_CONFIG, else the default),
 * parses and validates it. */
int config_load(struct config **out, const char *explicit_path, struct settle_err *err);
void config_free(struct config *cfg);
const char *config_path(const struct config *cfg);

/* NULL when absent. */
const char *config_get(const struct config *cfg, const char *section, const char *key);
const char *config_get_or(const struct config *cfg, const char *section, const char *key, const char *dflt);
/* Integer with bounds; absent -> dflt. Error names file, line and key. */
int config_get_int(const struct config *cfg, const char *section, const char *key, int64_t dflt, int64_t min,
		   int64_t max, int64_t *out, struct settle_err *err);

/*
 * Reads a secret into buf (trailing newline removed). Looks for, in order:
 * [section] <key>_file = PATH; $CREDENTIALS_DIRECTORY/<section>.<key>;
 * $SETTLE_<SECTION>_<KEY>. Returns 1 when found, 0 when nowhere (buf ""),
 * -1 on error (unreadable file, too long, empty).
 */
int config_secret(const struct config *cfg, const char *section, const char *key, char *buf, size_t len,
		  struct settle_err *err);

/* The i-th key settle knows, "section.key"; NULL past the last (for the
 * test that etc/settle.conf.example lists them all). */
const char *config_known_key(size_t i);

/* The systemd credential $CREDENTIALS_DIRECTORY/<name> alone: 1 read,
 * 0 absent (no directory, or no such credential), -1 error. */
int config_credential(const char *name, char *buf, size_t len, struct settle_err *err);

#endif

/*
 * map.h — a small string-keyed hash map for the sandbox's stores.
 *
 * Rule: the map copies keys and owns its values; smap_free() and
 * smap_clear() hand every value to the free function given at init.
 * It does no locking: callers hold the store's mutex.
 */
#ifndef SANDBOX_MAP_H
#define SANDBOX_MAP_H

#include <stddef.h>

struct smap_entry {
	struct smap_entry *next;
	void *value;
	char key[];
};

struct smap {
	struct smap_entry **buckets;
	size_t nbuckets;
	size_t count;
	void (*free_value)(void *value); /* NULL: values are not owned */
};

int smap_init(struct smap *m, void (*free_value)(void *value));
void *smap_get(const struct smap *m, const char *key);
/* Inserts or replaces (the old value is freed). 0, or -1 when out of memory
 * (the value is then NOT taken: the caller still owns it). */
int smap_put(struct smap *m, const char *key, void *value);
void smap_clear(struct smap *m);
void smap_free(struct smap *m);

/* Visits every entry; stops early when fn returns non-zero. */
void smap_each(const struct smap *m, int (*fn)(const char *key, void *value, void *arg), void *arg);

#endif

/*
 * map.c — chained hash map with FNV-1a, doubled when the load passes 1.
 *
 * Rule: a failed grow is not an error; the map just stays slower.
 */
#include "map.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

int smap_init(struct smap *m, void (*free_value)(void *value))
{
	m->nbuckets = 64;
	m->count = 0;
	m->free_value = free_value;
	m->buckets = calloc(m->nbuckets, sizeof *m->buckets);
	return m->buckets ? 0 : -1;
}

static struct smap_entry **slot(const struct smap *m, const char *key)
{
	return &m->buckets[hash(key) & (m->nbuckets - 1)];
}

void *smap_get(const struct smap *m, const char *key)
{
	for (struct smap_entry *e = *slot(m, key); e; e = e->next)
		if (!strcmp(e->key, key))
			return e->value;
	return NULL;
}

static void grow(struct smap *m)
{
	size_t n = m->nbuckets * 2;
	struct smap_entry **nb = calloc(n, sizeof *nb);

	if (!nb)
		return;
	for (size_t i = 0; i < m->nbuckets; i++) {
		struct smap_entry *e = m->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			e->next = nb[hash(e->key) & (n - 1)];
			nb[hash(e->key) & (n - 1)] = e;
		}
	}
	free(m->buckets);
	m->buckets = nb;
	m->nbuckets = n;
}

int smap_put(struct smap *m, const char *key, void *value)
{
	struct smap_entry **s = slot(m, key), *e;
	size_t klen;

	for (e = *s; e; e = e->next) {
		if (strcmp(e->key, key))
			continue;
		if (m->free_value && e->value != value)
			m->free_value(e->value);
		e->value = value;
		return 0;
	}
	klen = strlen(key);
	e = malloc(sizeof *e + klen + 1);
	if (!e)
		return -1;
	memcpy(e->key, key, klen + 1);
	e->value = value;
	e->next = *s;
	*s = e;
	if (++m->count > m->nbuckets)
		grow(m);
	return 0;
}

void smap_clear(struct smap *m)
{
	for (size_t i = 0; i < m->nbuckets; i++) {
		struct smap_entry *e = m->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			if (m->free_value)
				m->free_value(e->value);
			free(e);
		}
		m->buckets[i] = NULL;
	}
	m->count = 0;
}

void smap_free(struct smap *m)
{
	if (!m->buckets)
		return;
	smap_clear(m);
	free(m->buckets);
	m->buckets = NULL;
}

void smap_each(const struct smap *m, int (*fn)(const char *key, void *value, void *arg), void *arg)
{
	for (size_t i = 0; i < m->nbuckets; i++)
		for (struct smap_entry *e = m->buckets[i]; e; e = e->next)
			if (fn(e->key, e->value, arg))
				return;
}

/* sql_rows.c — multi-row statement text (see sql_rows.h). */
#include "adapters/mysql/sql_rows.h"

#include <stdlib.h>
#include <string.h>

char *sql_rows(const char *head, size_t rows, const char *row, const char *tail)
{
	size_t hl = strlen(head), rl = strlen(row), tl = strlen(tail);
	size_t len = hl + rows * (rl + 1) + tl + 1;
	char *sql = malloc(len), *p;

	if (!sql)
		return NULL;
	memcpy(sql, head, hl);
	p = sql + hl;
	for (size_t i = 0; i < rows; i++) {
		if (i)
			*p++ = ',';
		memcpy(p, row, rl);
		p += rl;
	}
	memcpy(p, tail, tl + 1);
	return sql;
}

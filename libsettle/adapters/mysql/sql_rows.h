/*
 * sql_rows.h — the text of a multi-row statement: a head, the same group of
 * placeholders repeated, a tail. Only placeholders are repeated; no value
 * is ever formatted into SQL text.
 */
#ifndef SETTLE_ADAPTERS_MYSQL_SQL_ROWS_H
#define SETTLE_ADAPTERS_MYSQL_SQL_ROWS_H

#include <stddef.h>

/* "head" + rows × "row" joined by commas + "tail", freshly allocated (NULL
 * when out of memory). sql_rows("… IN (", 3, "?", ")") is "… IN (?,?,?)". */
char *sql_rows(const char *head, size_t rows, const char *row, const char *tail);

#endif

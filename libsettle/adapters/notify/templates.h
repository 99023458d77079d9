/* templates.h — the template files (see templates.c). */
#ifndef SETTLE_ADAPTERS_NOTIFY_TEMPLATES_H
#define SETTLE_ADAPTERS_NOTIFY_TEMPLATES_H

#include "app/notify/notify.h"

/* Every notification in every language from dir; EX_CONFIG naming the
 * file and what is wrong. */
int notify_templates_load(const char *dir, struct notify_templates *ts, struct settle_err *err);
void notify_templates_free(struct notify_templates *ts);

#endif

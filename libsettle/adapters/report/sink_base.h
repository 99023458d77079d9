/* sink_base.h — what every report sink struct starts with, so report_sink_free serves them all. */
#ifndef SETTLE_ADAPTERS_REPORT_SINK_BASE_H
#define SETTLE_ADAPTERS_REPORT_SINK_BASE_H

#include "ports/report_sink.h"

struct sink_base {
	struct report_sink port; /* port.self points back here */
	void (*destroy)(struct sink_base *b);
};

#endif

/*
 * failpoint.h — named step boundaries where a test build can kill the
 * process, to prove that a re-run or a sweep finishes the job.
 *
 * In a build with SETTLE_FAILPOINTS (make check), FAILPOINT("capture.after_intent")
 * kills the process with SIGKILL when $SETTLE_FAILPOINT names that point
 * (a comma-separated list). Release builds compile the calls away.
 */
#ifndef SETTLE_FAILPOINT_H
#define SETTLE_FAILPOINT_H

#ifdef SETTLE_FAILPOINTS
void failpoint_hit(const char *name);
#define FAILPOINT(name) failpoint_hit(name)
#else
#define FAILPOINT(name) ((void)0)
#endif

#endif

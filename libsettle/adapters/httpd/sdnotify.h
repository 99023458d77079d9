/*
 * sdnotify.h — systemd's notify and socket-activation protocols, spoken
 * without libsystemd (sd_notify(3), sd_listen_fds(3)).
 *
 * Notify: one datagram ("READY=1", "WATCHDOG=1", "STOPPING=1") to the
 * AF_UNIX socket named by $NOTIFY_SOCKET (a path, or "@name" for the
 * abstract namespace). No NOTIFY_SOCKET: nothing is sent and that is not an
 * error (the daemon runs outside systemd, or under Type=simple).
 *
 * Socket activation: systemd passes listening sockets from fd 3 on with
 * LISTEN_FDS=n and LISTEN_PID=<our pid>; a LISTEN_PID naming another
 * process means the variables were inherited, not meant for us.
 */
#ifndef SETTLE_ADAPTERS_SDNOTIFY_H
#define SETTLE_ADAPTERS_SDNOTIFY_H

#include <stdint.h>

#include "domain/err.h"

#define SD_LISTEN_FDS_START 3

/* Sends msg; 0 when sent or when there is no NOTIFY_SOCKET, -1 with err
 * (EX_OSERR) when the socket is named but the datagram could not go. */
int sd_notify_send(const char *msg, struct settle_err *err);

/* The watchdog interval in microseconds from $WATCHDOG_USEC (when
 * $WATCHDOG_PID is unset or ours), else 0: no watchdog asked for. */
uint64_t sd_watchdog_usec(void);

/* The number of sockets passed to this process (0 when none), -1 with err
 * (EX_CONFIG) when LISTEN_FDS is malformed. Marks the passed fds
 * close-on-exec and unsets LISTEN_FDS/LISTEN_PID/LISTEN_FDNAMES so no
 * child inherits them. */
int sd_listen_fds(struct settle_err *err);

#endif

/*
 * selfsigned.h — a throw-away TLS certificate for the tests' loopback
 * servers (the sandbox's SMTP receiver): made at the start of a test under
 * its temporary directory, never committed. EC P-256, valid for a day,
 * for 127.0.0.1 and localhost, and its own CA, so a client that names the
 * certificate file as its CA bundle verifies it and one that does not,
 * does not.
 */
#ifndef SETTLE_TESTS_SELFSIGNED_H
#define SETTLE_TESTS_SELFSIGNED_H

/* Writes the certificate and its key (PEM, the key 0600). 0 or -1. */
int selfsigned_write(const char *cert_path, const char *key_path);

#endif

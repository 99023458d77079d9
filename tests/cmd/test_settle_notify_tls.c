/*
 * settle-notify over TLS with AUTH (issue 14), against the sandbox's SMTP
 * receiver run strict like a real submission server, with a certificate
 * made at the start of each test under its temporary directory:
 * STARTTLS then AUTH (the password from a credentials file) delivers;
 * SMTPS delivers; a password is never sent over a connection that is not
 * encrypted, even to loopback (the server offers AUTH in the clear and the
 * client still says nothing); a wrong password is reported in one line
 * and the notification stays pending for a retry; a certificate that does
 * not verify is refused until [notify] smtp_ca_file names its CA; an
 * smtp_ca_file that cannot be read is a configuration error at the start
 * that claims nothing.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/sandbox_proc.h"
#include "lib/selfsigned.h"
#include "lib/testdb.h"

static struct testdb t;
static struct sandbox_proc sp;
static char dir[64], mail[128], cert[128], key[128], token[128], server_pw[128], client_pw[128];
static unsigned smtp_port, smtps_port;

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
	chmod(path, 0600);
}

static unsigned read_port(const char *file)
{
	unsigned port = 0;
	FILE *f = fopen(file, "r");

	cr_assert_not_null(f, "%s", file);
	cr_assert_eq(fscanf(f, "%u", &port), 1);
	fclose(f);
	return port;
}

static void setup(void)
{
	testdb_create(&t);
	snprintf(dir, sizeof dir, "/tmp/settle-notify-tls-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(mail, sizeof mail, "%s/mail", dir);
	snprintf(cert, sizeof cert, "%s/cert.pem", dir);
	snprintf(key, sizeof key, "%s/key.pem", dir);
	snprintf(token, sizeof token, "%s/study", dir);
	snprintf(server_pw, sizeof server_pw, "%s/server-pw", dir);
	snprintf(client_pw, sizeof client_pw, "%s/client-pw", dir);
	cr_assert_eq(selfsigned_write(cert, key), 0, "cannot make a certificate");
	write_file(token, "notify-tests-token\n");
	write_file(server_pw, "s3cret-sandbox-pw\n");
	write_file(client_pw, "s3cret-sandbox-pw\n");
}

static void teardown(void)
{
	char cmd[160];

	sandbox_stop(&sp);
	testdb_drop(&t);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd)) {
	}
}

TestSuite(cmd_settle_notify_tls, .init = setup, .fini = teardown, .timeout = 90);

/* The sandbox's receiver: tls adds the certificate (STARTTLS and SMTPS),
 * auth the user and password. */
static void start_sandbox(int tls, int auth)
{
	char pf[128], spf[128];
	const char *args[16];
	size_t n = 0;

	snprintf(pf, sizeof pf, "%s/smtp-port", dir);
	snprintf(spf, sizeof spf, "%s/smtps-port", dir);
	args[n++] = "--smtp-maildir";
	args[n++] = mail;
	args[n++] = "--smtp-port-file";
	args[n++] = pf;
	if (tls) {
		args[n++] = "--smtp-tls-cert";
		args[n++] = cert;
		args[n++] = "--smtp-tls-key";
		args[n++] = key;
		args[n++] = "--smtps-port-file";
		args[n++] = spf;
	}
	if (auth) {
		args[n++] = "--smtp-user";
		args[n++] = "settle-mailer";
		args[n++] = "--smtp-password-file";
		args[n++] = server_pw;
	}
	args[n] = NULL;
	cr_assert_eq(sandbox_start_args(&sp, NULL, args), 0, "sandbox did not start");
	smtp_port = read_port(pf);
	smtps_port = tls ? read_port(spf) : 0;
}

/* settle.conf's [notify] for the sandbox: url_scheme "smtp" or "smtps";
 * ca: name the certificate as the CA bundle (or this file when not NULL). */
static void config(const char *scheme, int with_user, const char *ca)
{
	char tmpl[256];
	int n = snprintf(t.extra_conf, sizeof t.extra_conf,
			 "[study]\nbase_url = %s\ntoken_file = %s\n\n"
			 "[notify]\noperators = ops@pod.example\ntemplates_dir = %s\nfrom = settle@pod.example\n"
			 "channel = smtp\nsmtp_url = %s://127.0.0.1:%u\n%s%s%s%s%s%s"
			 "backoff_s = 1\nmax_attempts = 3\ntimeout_ms = 3000\nconnect_timeout_ms = 2000\n",
			 sp.base_url, token, test_repo_file("templates", tmpl, sizeof tmpl), scheme,
			 strcmp(scheme, "smtps") ? smtp_port : smtps_port,
			 with_user ? "smtp_user = settle-mailer\nsmtp_password_file = " : "", with_user ? client_pw : "",
			 with_user ? "\n" : "", ca ? "smtp_ca_file = " : "", ca ? ca : "", ca ? "\n" : "");

	cr_assert_lt((size_t)n, sizeof t.extra_conf);
	testdb_write_config(&t);
}

static void receipt_for(const char *user)
{
	char sql[1024];

	snprintf(sql, sizeof sql,
		 "INSERT INTO notifications (notify_key, template, recipient_kind, recipient_id, facts, created_at) "
		 "VALUES ('payment.completed:pay_%s', 'payment.completed', 'user', '%s', '{\"payment\":\"pay_1\","
		 "\"order\":\"ord-000001\",\"pod\":\"pod-1\",\"title\":\"알고리즘 스터디\",\"amount\":\"50000\","
		 "\"currency\":\"KRW\",\"method\":\"CARD\",\"at\":\"2026-11-24 10:00:00.000000\"}', "
		 "'2026-11-24 10:00:00')",
		 user, user);
	cr_assert_eq(testdb_sql(&t, sql), 0, "%s", sql);
}

static int delivered(void)
{
	char path[256];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof path, "%s/new", mail);
	if (!(d = opendir(path)))
		return 0;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* What the receiver was told, one "conn=N tls=0|1 VERB" line per command. */
static const char *transcript(char *buf, size_t len)
{
	char path[256];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof path, "%s/transcript", mail);
	buf[0] = '\0';
	if ((f = fopen(path, "r"))) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

/* stderr: exactly one "settle-notify: …" line, the rest key=value logs. */
static int one_error(const char *err)
{
	int errors = 0;

	for (const char *l = err; *l;) {
		const char *nl = strchr(l, '\n');

		if (!strncmp(l, "settle-notify: ", 15))
			errors++;
		else if (strncmp(l, "ts=", 3))
			return 0;
		if (!nl)
			break;
		l = nl + 1;
	}
	return errors == 1;
}

static void row(char *buf, size_t len)
{
	testdb_string(&t, "SELECT CONCAT(status, ' ', attempts, ' ', COALESCE(last_error, '')) FROM notifications", buf,
		      len);
}

Test(cmd_settle_notify_tls, starttls_then_auth_delivers)
{
	struct run_result r;
	char tr[4096], st[300];

	start_sandbox(1, 1);
	config("smtp", 1, cert);
	receipt_for("user-1");
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	row(st, sizeof st);
	cr_assert(!strncmp(st, "SENT", 4), "%s", st);
	cr_assert_eq(delivered(), 1);
	transcript(tr, sizeof tr);
	cr_assert(strstr(tr, "tls=0 STARTTLS"), "%s", tr);
	cr_assert(strstr(tr, "tls=1 AUTH"), "%s", tr);
	cr_assert(strstr(tr, "tls=1 MAIL"), "%s", tr);
	cr_assert_null(strstr(tr, "tls=0 AUTH"), "%s", tr);
	cr_assert_null(strstr(tr, "tls=0 MAIL"), "%s", tr);
	/* the password is in neither the logs nor the output */
	cr_assert_null(strstr(r.err, "s3cret"), "%s", r.err);
	cr_assert_null(strstr(r.out, "s3cret"), "%s", r.out);
}

Test(cmd_settle_notify_tls, smtps_delivers_with_tls_from_the_first_byte)
{
	struct run_result r;
	char tr[4096];

	start_sandbox(1, 1);
	config("smtps", 1, cert);
	receipt_for("user-1");
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_eq(delivered(), 1);
	transcript(tr, sizeof tr);
	cr_assert(strstr(tr, "tls=1 EHLO") && strstr(tr, "tls=1 AUTH"), "%s", tr);
	cr_assert_null(strstr(tr, "tls=0"), "%s", tr);
	cr_assert_null(strstr(tr, "STARTTLS"), "%s", tr);
}

Test(cmd_settle_notify_tls, auth_is_never_sent_over_a_plain_connection)
{
	struct run_result r;
	char tr[4096], st[300];

	/* A lax server: no TLS, AUTH offered in the clear. */
	start_sandbox(0, 1);
	config("smtp", 1, NULL);
	receipt_for("user-1");
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 75, "%s%s", r.out, r.err);
	cr_assert(one_error(r.err), "%s", r.err);
	cr_assert(strstr(r.err, "offers no STARTTLS"), "%s", r.err);
	row(st, sizeof st);
	cr_assert(!strncmp(st, "PENDING 1 ", 10) && strstr(st, "offers no STARTTLS"), "%s", st);
	cr_assert_eq(delivered(), 0);
	transcript(tr, sizeof tr);
	cr_assert(strstr(tr, "EHLO"), "%s", tr);
	cr_assert_null(strstr(tr, "AUTH"), "the client sent AUTH in the clear: %s", tr);
	cr_assert_null(strstr(tr, "MAIL"), "%s", tr);
}

Test(cmd_settle_notify_tls, a_wrong_password_is_reported_and_the_notification_waits)
{
	struct run_result r;
	char st[300], tr[4096];

	start_sandbox(1, 1);
	write_file(client_pw, "not-the-password\n");
	config("smtp", 1, cert);
	receipt_for("user-1");
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 75, "%s%s", r.out, r.err);
	cr_assert(one_error(r.err), "%s", r.err);
	cr_assert(strstr(r.err, "login refused (535)"), "%s", r.err);
	cr_assert_null(strstr(r.err, "not-the-password"), "%s", r.err);
	row(st, sizeof st);
	cr_assert(!strncmp(st, "PENDING 1 ", 10) && strstr(st, "login refused"), "%s", st);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM notifications WHERE next_attempt_at IS NOT NULL"), 1);
	cr_assert_eq(delivered(), 0);
	transcript(tr, sizeof tr);
	cr_assert(strstr(tr, "tls=1 AUTH"), "%s", tr);
	cr_assert_null(strstr(tr, "MAIL"), "%s", tr);
	/* the right password on the next run sends it */
	write_file(client_pw, "s3cret-sandbox-pw\n");
	cr_assert_eq(testdb_sql(&t, "UPDATE notifications SET next_attempt_at = NULL"), 0);
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_eq(delivered(), 1);
}

Test(cmd_settle_notify_tls, a_certificate_that_does_not_verify_is_refused_unless_the_ca_file_names_it)
{
	struct run_result r;
	char st[300], tr[4096];

	start_sandbox(1, 1);
	config("smtp", 1, NULL);
	receipt_for("user-1");
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 75, "%s%s", r.out, r.err);
	cr_assert(one_error(r.err), "%s", r.err);
	row(st, sizeof st);
	cr_assert(!strncmp(st, "PENDING 1 ", 10) && strstr(st, "certificate does not verify") &&
		      strstr(st, "smtp_ca_file"),
		  "%s", st);
	cr_assert_eq(delivered(), 0);
	transcript(tr, sizeof tr);
	cr_assert_null(strstr(tr, "AUTH"), "%s", tr);
	cr_assert_null(strstr(tr, "MAIL"), "%s", tr);
	/* SMTPS the same */
	config("smtps", 1, NULL);
	cr_assert_eq(testdb_sql(&t, "UPDATE notifications SET next_attempt_at = NULL"), 0);
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 75, "%s%s", r.out, r.err);
	cr_assert_eq(delivered(), 0);
	/* named: verified, sent */
	config("smtp", 1, cert);
	cr_assert_eq(testdb_sql(&t, "UPDATE notifications SET next_attempt_at = NULL"), 0);
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_eq(delivered(), 1);
}

Test(cmd_settle_notify_tls, an_unreadable_ca_file_is_a_config_error_that_claims_nothing)
{
	struct run_result r;
	char st[300], missing[160];

	start_sandbox(1, 1);
	snprintf(missing, sizeof missing, "%s/no-such-ca.pem", dir);
	config("smtp", 1, missing);
	receipt_for("user-1");
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 78, "%s%s", r.out, r.err);
	cr_assert(one_error(r.err), "%s", r.err);
	cr_assert(strstr(r.err, "smtp_ca_file"), "%s", r.err);
	row(st, sizeof st);
	cr_assert_str_eq(st, "PENDING 0 ");
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM notifications WHERE claimed_by IS NOT NULL"), 0);
	cr_assert_eq(delivered(), 0);
}

/*
 * settle-notify as operators run it (issue 14): the outbox rows a payment
 * writes are sent once, rendered in the recipient's language, with the
 * Korean subject as UTF-8 encoded words; every bad input of the issue —
 * no address (held, not an error), an address that is not one, a missing
 * or broken template (refused at the start, nothing claimed), an SMTP
 * server that refuses, times out after DATA or drops the connection, two
 * racing senders, header injection through a reason — with its exit code
 * and what it changed.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/payfix.h"
#include "lib/sandbox_proc.h"
#include "lib/testdb.h"

static struct testdb t;
static struct sandbox_proc sp;
static char dir[64], mail[128], smtp_port_file[128], token[128];
static unsigned smtp_port;

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

static void config(const char *channel_lines)
{
	char tmpl[256];
	int n = snprintf(t.extra_conf, sizeof t.extra_conf,
			 "[study]\nbase_url = %s\ntoken_file = %s\n\n"
			 "[notify]\noperators = ops@pod.example\n%s%s%s%s"
			 "backoff_s = 1\nmax_attempts = 3\ntimeout_ms = 1500\nconnect_timeout_ms = 1000\n%s\n",
			 sp.base_url, token, strstr(channel_lines, "templates_dir") ? "" : "templates_dir = ",
			 strstr(channel_lines, "templates_dir") ? "" : test_repo_file("templates", tmpl, sizeof tmpl),
			 strstr(channel_lines, "templates_dir") ? "" : "\n",
			 strstr(channel_lines, "from =") ? "" : "from = settle@pod.example\n", channel_lines);

	cr_assert_lt((size_t)n, sizeof t.extra_conf);
	testdb_write_config(&t);
}

static void smtp_config(void)
{
	char lines[256];

	snprintf(lines, sizeof lines, "channel = smtp\nsmtp_url = smtp://127.0.0.1:%u\n", smtp_port);
	config(lines);
}

static void setup(void)
{
	FILE *f;

	testdb_create(&t);
	snprintf(dir, sizeof dir, "/tmp/settle-notify-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(mail, sizeof mail, "%s/mail", dir);
	snprintf(smtp_port_file, sizeof smtp_port_file, "%s/smtp-port", dir);
	snprintf(token, sizeof token, "%s/study", dir);
	write_file(token, "notify-tests-token\n");
	chmod(token, 0600);
	cr_assert_eq(sandbox_start_args(&sp, NULL,
					(const char *const[]){"--smtp-maildir", mail, "--smtp-port-file",
							      smtp_port_file, NULL}),
		     0, "sandbox did not start");
	f = fopen(smtp_port_file, "r");
	cr_assert_not_null(f);
	cr_assert_eq(fscanf(f, "%u", &smtp_port), 1);
	fclose(f);
	smtp_config();
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

TestSuite(cmd_settle_notify, .init = setup, .fini = teardown, .timeout = 90);

/* A notification as the outbox writes it. */
static void pending(const char *key, const char *tmpl, const char *kind, const char *user, const char *facts)
{
	char sql[2048];

	snprintf(sql, sizeof sql,
		 "INSERT INTO notifications (notify_key, template, recipient_kind, recipient_id, facts, created_at) "
		 "VALUES ('%s', '%s', '%s', '%s', '%s', '2026-11-24 10:00:00')",
		 key, tmpl, kind, user, facts);
	cr_assert_eq(testdb_sql(&t, sql), 0, "%s", sql);
}

static const char receipt_facts[] =
	"{\"payment\":\"pay_1\",\"order\":\"ord-000001\",\"pod\":\"pod-1\",\"title\":\"알고리즘 스터디\","
	"\"amount\":\"50000\",\"currency\":\"KRW\",\"method\":\"CARD\",\"at\":\"2026-11-24 10:00:00.000000\"}";

static void receipt_for(const char *user)
{
	char key[128];

	snprintf(key, sizeof key, "payment.completed:pay_%s", user);
	pending(key, "payment.completed", "user", user, receipt_facts);
}

/* Every message the sandbox's receiver took, concatenated. */
static size_t mailbox(char *out, size_t len)
{
	char path[256];
	DIR *d;
	struct dirent *e;
	size_t n = 0, count = 0;

	out[0] = '\0';
	snprintf(path, sizeof path, "%s/new", mail);
	d = opendir(path);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/new/%s", mail, e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		n += fread(out + n, 1, len - 1 - n, f);
		out[n] = '\0';
		fclose(f);
		count++;
	}
	closedir(d);
	return count;
}

static const char *status_of(const char *key, char *buf, size_t len)
{
	char sql[256];

	snprintf(sql, sizeof sql, "SELECT status FROM notifications WHERE notify_key = '%s'", key);
	testdb_string(&t, sql, buf, len);
	return buf;
}

Test(cmd_settle_notify, a_receipt_is_sent_once_with_a_korean_encoded_subject)
{
	static char box[1 << 16];
	struct run_result r;
	char st[16];

	receipt_for("user-1");
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_eq(mailbox(box, sizeof box), 1);
	cr_assert(strstr(box, "Subject: =?UTF-8?B?"), "%s", box);
	cr_assert(strstr(box, "To: =?UTF-8?B?"), "%s", box);
	cr_assert(strstr(box, "<user-1@study.example>"), "%s", box);
	cr_assert(strstr(box, "Content-Type: multipart/alternative"), "%s", box);
	cr_assert(strstr(box, "Message-ID: <"), "%s", box);
	cr_assert_str_eq(status_of("payment.completed:pay_user-1", st, sizeof st), "SENT");
	/* A second run finds nothing to send. */
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_eq(mailbox(box, sizeof box), 1);
}

Test(cmd_settle_notify, a_recipient_without_an_address_is_held_not_an_error)
{
	struct run_result r;
	char st[16];

	receipt_for("noaddr-1");
	receipt_for("bad-addr-1");
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert(strstr(r.err, "2 notification(s) held"), "%s", r.err);
	cr_assert_str_eq(status_of("payment.completed:pay_noaddr-1", st, sizeof st), "HELD");
	cr_assert_str_eq(status_of("payment.completed:pay_bad-addr-1", st, sizeof st), "HELD");
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM notifications WHERE last_error LIKE '%not an e-mail "
				      "address%'"), 1);
}

Test(cmd_settle_notify, smtp_refusal_fails_and_a_time_out_or_a_drop_is_retried_then_failed)
{
	static char box[1 << 16];
	struct run_result r;
	char st[16];

	receipt_for("refuse-1");
	receipt_for("drop-1");
	receipt_for("hang-1");
	receipt_for("defer-1");
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 75, "%s%s", r.out, r.err);
	{
		char e[300];

		testdb_string(&t, "SELECT GROUP_CONCAT(CONCAT(recipient_id, ' ', status, ' ', attempts, ': ', COALESCE(last_error, '')) SEPARATOR ' | ') "
				  "FROM notifications", e, sizeof e);
		cr_log_info("%s", e);
		cr_assert_str_eq(status_of("payment.completed:pay_drop-1", st, sizeof st), "PENDING", "%s", e);
	}
	cr_assert_str_eq(status_of("payment.completed:pay_refuse-1", st, sizeof st), "FAILED");
	cr_assert_str_eq(status_of("payment.completed:pay_drop-1", st, sizeof st), "PENDING");
	cr_assert_str_eq(status_of("payment.completed:pay_hang-1", st, sizeof st), "PENDING");
	cr_assert_str_eq(status_of("payment.completed:pay_defer-1", st, sizeof st), "PENDING");
	cr_assert_eq(mailbox(box, sizeof box), 0);
	/* Not due yet: the back-off holds them. */
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM notifications WHERE next_attempt_at IS NOT NULL"), 3);
	/* Out of attempts (max_attempts = 3): FAILED and reported. */
	cr_assert_eq(testdb_sql(&t, "UPDATE notifications SET attempts = 2, next_attempt_at = NULL WHERE status = "
				    "'PENDING'"), 0);
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 75, "%s%s", r.out, r.err);
	cr_assert(strstr(r.err, "3 failed"), "%s", r.err);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM notifications WHERE status = 'FAILED'"), 4);
}

Test(cmd_settle_notify, header_injection_through_a_reason_or_a_title_never_reaches_the_wire)
{
	static char box[1 << 16];
	struct run_result r;

	pending("refund.completed:ref_1", "refund.completed", "user", "en-user-1",
		"{\"refund\":\"ref_1\",\"payment\":\"pay_1\",\"pod\":\"pod-1\",\"title\":\"Algo\\\\r\\\\nBcc: evil@x.example\","
		"\"amount\":\"50000\",\"currency\":\"KRW\",\"reason\":\"<script>alert(1)</script>\\\\nBcc: evil@x.example\","
		"\"at\":\"2026-11-24 10:00:00\"}");
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_eq(mailbox(box, sizeof box), 1);
	cr_assert_null(strstr(box, "\nBcc:"), "%s", box);
	cr_assert_null(strstr(box, "evil@x.example"), "the header or body carries the injected text in clear: %s", box);
	cr_assert_null(strstr(box, "<script>"), "%s", box);
}

Test(cmd_settle_notify, a_missing_or_broken_template_is_refused_at_the_start_and_nothing_is_claimed)
{
	char tdir[128], path[256], cmd[600], before[4096], lines[512];
	struct run_result r;

	receipt_for("user-1");
	snprintf(tdir, sizeof tdir, "%s/tmpl", dir);
	snprintf(cmd, sizeof cmd, "cp -r '%s' '%s'", test_repo_file("templates", path, sizeof path), tdir);
	cr_assert_eq(system(cmd), 0);
	snprintf(lines, sizeof lines, "channel = smtp\nsmtp_url = smtp://127.0.0.1:%u\ntemplates_dir = %s\n", smtp_port,
		 tdir);
	config(lines);
	testdb_fingerprint(&t, before, sizeof before);
	/* A fact the event does not carry. */
	snprintf(path, sizeof path, "%s/en/refund.completed.txt", tdir);
	write_file(path, "Subject: refund {{iban}}\n\nbody\n");
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 78, "%s%s", r.out, r.err);
	cr_assert(strstr(r.err, "{{iban}} is not a fact"), "%s", r.err);
	cr_assert(pf_one_line(r.err), "%s", r.err);
	/* No subject line. */
	write_file(path, "Dear customer\n");
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 78, "%s%s", r.out, r.err);
	cr_assert(strstr(r.err, "Subject"), "%s", r.err);
	/* Missing. */
	unlink(path);
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 78, "%s%s", r.out, r.err);
	cr_assert(strstr(r.err, "refund.completed.txt"), "%s", r.err);
	testdb_assert_unchanged(&t, before, "broken templates");
}

Test(cmd_settle_notify, a_bad_sender_address_or_channel_is_a_config_error)
{
	struct run_result r;
	char before[4096];

	receipt_for("user-1");
	testdb_fingerprint(&t, before, sizeof before);
	config("channel = smtp\nsmtp_url = smtp://127.0.0.1:1\nfrom = settle\\r\\nBcc: x@y\n");
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 78, "%s%s", r.out, r.err);
	config("channel = pigeon\n");
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 78, "%s%s", r.out, r.err);
	cr_assert(strstr(r.err, "pigeon"), "%s", r.err);
	config("channel = smtp\nsmtp_url = http://127.0.0.1:1\n");
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 78, "%s%s", r.out, r.err);
	testdb_assert_unchanged(&t, before, "bad config");
}

Test(cmd_settle_notify, two_racing_senders_send_each_notification_once)
{
	static char box[1 << 20];
	struct payfix pfx;
	char user[32];
	int a, b;

	memset(&pfx, 0, sizeof pfx);
	pfx.t = t;

	for (int i = 0; i < 40; i++) {
		snprintf(user, sizeof user, "user-%02d", i);
		receipt_for(user);
	}
	a = pf_spawn(&pfx, (const char *[]){"settle-notify", NULL}, NULL);
	b = pf_spawn(&pfx, (const char *[]){"settle-notify", NULL}, NULL);
	cr_assert_eq(pf_wait(a, NULL, 0), 0);
	cr_assert_eq(pf_wait(b, NULL, 0), 0);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM notifications WHERE status = 'SENT'"), 40);
	cr_assert_eq(mailbox(box, sizeof box), 40);
}

Test(cmd_settle_notify, the_maildir_channel_delivers_and_a_resend_replaces_its_own_file)
{
	static char box[1 << 16];
	char lines[256], md[160], path[200];
	struct run_result r;
	DIR *d;
	struct dirent *e;
	int files = 0;

	snprintf(md, sizeof md, "%s/outbox-md", dir);
	snprintf(lines, sizeof lines, "channel = maildir\nmaildir = %s\n", md);
	config(lines);
	receipt_for("en-user-2");
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_eq(testdb_sql(&t, "UPDATE notifications SET status = 'PENDING'"), 0);
	run_program(&t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	snprintf(path, sizeof path, "%s/new", md);
	d = opendir(path);
	cr_assert_not_null(d);
	while ((e = readdir(d)))
		files += e->d_name[0] != '.';
	closedir(d);
	cr_assert_eq(files, 1);
	(void)box;
}

/* The outbox end to end: a captured payment leaves its receipt in the
 * same unit of work, and settle-notify delivers it. */
static struct payfix f;

static void pf_setup(void)
{
	payfix_setup(&f, NULL);
}

static void pf_teardown(void)
{
	payfix_teardown(&f);
}

TestSuite(cmd_settle_notify_outbox, .init = pf_setup, .fini = pf_teardown, .timeout = 90);

Test(cmd_settle_notify_outbox, a_capture_writes_its_receipt_once_and_settle_notify_delivers_it)
{
	char order[80], md[128], tmpl[256], conf[1024], *p;
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-a", NULL, order, sizeof order);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM notifications WHERE template = 'payment.completed' AND "
				  "recipient_id = 'user-a' AND notify_key LIKE 'payment.completed:pay_%%'"), 1);
	snprintf(md, sizeof md, "%s/md", f.dir);
	p = f.t.extra_conf + strlen(f.t.extra_conf);
	snprintf(conf, sizeof conf, "\n[notify]\nchannel = maildir\nmaildir = %s\nfrom = settle@pod.example\n"
		 "templates_dir = %s\n", md, test_repo_file("templates", tmpl, sizeof tmpl));
	cr_assert_lt(strlen(f.t.extra_conf) + strlen(conf), sizeof f.t.extra_conf);
	strcpy(p, conf);
	testdb_write_config(&f.t);
	run_program(&f.t, (const char *[]){"settle-notify", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM notifications WHERE status = 'SENT'"), 1);
	{
		char cmd[256];

		snprintf(cmd, sizeof cmd, "rm -rf '%s'", md);
		if (system(cmd)) {
		}
	}
}

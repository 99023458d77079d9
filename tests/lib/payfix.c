/* payfix.c — see payfix.h. */
#include "lib/payfix.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void write_secret(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	cr_assert_not_null(fp, "%s", path);
	fprintf(fp, "%s\n", text);
	fclose(fp);
	chmod(path, 0600);
}

void payfix_setup(struct payfix *f, const char *extra)
{
	char pods[512], tk[128], nk[128], sk[128];
	struct run_result *r = malloc(sizeof *r);
	int n;

	memset(f, 0, sizeof *f);
	cr_assert_not_null(r);
	testdb_create(&f->t);
	cr_assert_eq(sandbox_start_args(&f->sp, NULL,
					(const char *const[]){"--pods", test_repo_file("fixtures/pods.csv", pods, sizeof pods),
							      NULL}),
		     0, "sandbox did not start");
	snprintf(f->dir, sizeof f->dir, "/tmp/settle-payfix-XXXXXX");
	cr_assert_not_null(mkdtemp(f->dir));
	snprintf(tk, sizeof tk, "%s/toss", f->dir);
	snprintf(nk, sizeof nk, "%s/nicepay", f->dir);
	snprintf(sk, sizeof sk, "%s/study", f->dir);
	write_secret(tk, "test_sk_paytests");
	write_secret(nk, SANDBOX_NICEPAY_SECRET);
	write_secret(sk, "paytests-study-token");
	n = snprintf(f->t.extra_conf, sizeof f->t.extra_conf,
		     "[payments]\ndefault_pg = toss\nconfirm_sweep_age_s = 0\ndoubt_backoff_s = 1\n\n"
		     "[toss]\nbase_url = %s/toss\nsecret_key_file = %s\ntimeout_ms = 1500\n\n"
		     "[nicepay]\nbase_url = %s/nicepay\nclient_id = S2_test\nsecret_key_file = %s\ntimeout_ms = 1500\n\n"
		     "[study]\nbase_url = %s\ntoken_file = %s\n\n%s",
		     f->sp.base_url, tk, f->sp.base_url, nk, f->sp.base_url, sk, extra ? extra : "");
	cr_assert_lt((size_t)n, sizeof f->t.extra_conf);
	testdb_write_config(&f->t);
	/* The ledger's escrow accounts name pods; keep the DB's pods in step. */
	run_program(&f->t, (const char *[]){"settle-db", "load-pods", pods, NULL}, NULL, r);
	cr_assert_eq(r->status, 0, "load-pods: %s", r->err);
	free(r);
}

void payfix_teardown(struct payfix *f)
{
	char p[128];

	sandbox_stop(&f->sp);
	testdb_drop(&f->t);
	if (f->dir[0]) {
		static const char *const names[] = {"toss", "nicepay", "study"};

		for (size_t i = 0; i < 3; i++) {
			snprintf(p, sizeof p, "%s/%s", f->dir, names[i]);
			unlink(p);
		}
		rmdir(f->dir);
	}
}

int64_t pf_count(struct payfix *f, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	return testdb_count(&f->t, sql);
}

const char *pf_string(struct payfix *f, char *out, size_t len, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	testdb_string(&f->t, sql, out, len);
	return out;
}

const char *pf_order(struct payfix *f, const char *pod, const char *user, const char *const *extra, char *order,
		     size_t len)
{
	const char *argv[16] = {"pay-order", "--pod", pod, "--user", user};
	size_t n = 5;
	struct run_result *r = malloc(sizeof *r);
	char *nl;

	cr_assert_not_null(r);
	for (size_t i = 0; extra && extra[i] && n < 15; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	run_program(&f->t, argv, NULL, r);
	cr_assert_eq(r->status, 0, "pay-order %s %s: %d %s", pod, user, r->status, r->err);
	nl = strchr(r->out, '\n');
	if (nl)
		*nl = '\0';
	cr_assert(r->out[0], "pay-order printed no order id");
	snprintf(order, len, "%s", r->out);
	free(r);
	return order;
}

int64_t pf_amount(struct payfix *f, const char *order)
{
	return pf_count(f, "SELECT amount FROM payments WHERE order_id = '%s'", order);
}

const char *pf_status(struct payfix *f, const char *order, char *buf, size_t len)
{
	return pf_string(f, buf, len, "SELECT status FROM payments WHERE order_id = '%s'", order);
}

const char *pf_payment_id(struct payfix *f, const char *order, char *buf, size_t len)
{
	return pf_string(f, buf, len, "SELECT public_id FROM payments WHERE order_id = '%s'", order);
}

void pf_checkout(struct payfix *f, const char *order, const char *method, char *key, size_t len)
{
	char pg[16];

	pf_string(f, pg, sizeof pg, "SELECT pg FROM payments WHERE order_id = '%s'", order);
	cr_assert(pg[0], "no order %s", order);
	cr_assert_eq(sandbox_checkout(&f->sp, pg, order, pf_amount(f, order), method, key, len), 0,
		     "checkout of %s failed", order);
}

void pf_capture(struct payfix *f, const char *order, const char *key, const char *const *env, struct run_result *r)
{
	char amount[32];

	snprintf(amount, sizeof amount, "%lld", (long long)pf_amount(f, order));
	run_program(&f->t,
		    (const char *[]){"pay-capture", "--order", order, "--payment-key", key, "--amount", amount, NULL},
		    env, r);
}

void pf_sweep(struct payfix *f, struct run_result *r)
{
	run_program(&f->t, (const char *[]){"pay-capture", "--sweep", NULL}, NULL, r);
}

void pf_fault(struct payfix *f, const char *fmt, ...)
{
	char json[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(json, sizeof json, fmt, ap);
	va_end(ap);
	cr_assert_eq(sandbox_fault(&f->sp, json), 0, "fault not armed: %s", json);
}

void pf_clear_faults(struct payfix *f)
{
	long st;
	char resp[256];

	cr_assert_eq(sandbox_request(&f->sp, "DELETE", "/_sandbox/faults", NULL, NULL, 0, resp, sizeof resp, &st), 0);
	cr_assert_eq(st, 200);
}

void pf_ledger_ok(struct payfix *f)
{
	struct run_result *r = malloc(sizeof *r);

	cr_assert_not_null(r);
	run_program(&f->t, (const char *[]){"ledger-check", NULL}, NULL, r);
	cr_assert_eq(r->status, 0, "ledger-check: %d\n%s\n%s", r->status, r->out, r->err);
	free(r);
}

void pf_assert_captured(struct payfix *f, const char *order, const char *status)
{
	char st[32], pid[64], pod[72];
	int64_t amount = pf_amount(f, order);

	cr_assert_str_eq(pf_status(f, order, st, sizeof st), status, "order %s", order);
	pf_payment_id(f, order, pid, sizeof pid);
	pf_string(f, pod, sizeof pod, "SELECT pod_id FROM payments WHERE order_id = '%s'", order);
	cr_assert_eq(pf_count(f,
			      "SELECT COUNT(*) FROM escrows e JOIN payments p ON p.id = e.payment_id "
			      "WHERE p.order_id = '%s' AND e.amount = %lld AND e.pod_id = '%s'",
			      order, (long long)amount, pod),
		     1, "escrow of %s", order);
	cr_assert_eq(pf_count(f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'capture' AND ref = '%s'", pid), 1,
		     "capture entries of %s", order);
	cr_assert_eq(pf_count(f,
			      "SELECT COUNT(*) FROM postings x JOIN journal_entries j ON j.id = x.entry_id "
			      "WHERE j.kind = 'capture' AND j.ref = '%s'",
			      pid),
		     2);
	cr_assert_eq(pf_count(f,
			      "SELECT SUM(x.amount) FROM postings x JOIN journal_entries j ON j.id = x.entry_id "
			      "WHERE j.kind = 'capture' AND j.ref = '%s' AND x.account LIKE 'pg\\_clearing%%'",
			      pid),
		     amount);
	cr_assert_eq(pf_count(f,
			      "SELECT SUM(x.amount) FROM postings x JOIN journal_entries j ON j.id = x.entry_id "
			      "WHERE j.kind = 'capture' AND j.ref = '%s' AND x.account = 'escrow:%s'",
			      pid, pod),
		     -amount);
}

void pf_assert_no_money(struct payfix *f, const char *order)
{
	char pid[64];

	pf_payment_id(f, order, pid, sizeof pid);
	cr_assert_eq(pf_count(f,
			      "SELECT COUNT(*) FROM escrows e JOIN payments p ON p.id = e.payment_id WHERE p.order_id = '%s'",
			      order),
		     0, "escrow for %s", order);
	cr_assert_eq(pf_count(f, "SELECT COUNT(*) FROM journal_entries WHERE ref = '%s'", pid), 0, "entries for %s",
		     order);
}

int pf_one_line(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl && nl[1] == '\0';
}

int pf_one_error(const char *s, const char *prog)
{
	size_t pl = strlen(prog);
	int errors = 0;

	if (!*s || s[strlen(s) - 1] != '\n')
		return 0;
	for (const char *line = s; *line; line = strchr(line, '\n') + 1) {
		if (!strncmp(line, prog, pl) && line[pl] == ':' && line[pl + 1] == ' ')
			errors++;
		else if (strncmp(line, "ts=", 3))
			return 0; /* neither the error nor a log line */
	}
	return errors == 1;
}

int pf_spawn(struct payfix *f, const char *const *argv, const char *const *env)
{
	char path[1024];
	pid_t pid;

	snprintf(path, sizeof path, "%s/%s", test_bin_dir(), argv[0]);
	fflush(NULL);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);
		char errf[64];
		int efd;

		snprintf(errf, sizeof errf, "/tmp/settle-spawn-%d.err", (int)getpid());
		efd = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(efd >= 0 ? efd : devnull, 2);
		setenv("SETTLE_CONFIG", f->t.config_path, 1);
		for (size_t i = 0; env && env[i]; i++)
			putenv((char *)(uintptr_t)env[i]);
		execv(path, (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	return (int)pid;
}

int pf_wait(int pid, char *err, size_t len)
{
	char errf[64];
	int status;
	FILE *fp;

	cr_assert_eq(waitpid((pid_t)pid, &status, 0), (pid_t)pid);
	snprintf(errf, sizeof errf, "/tmp/settle-spawn-%d.err", pid);
	if (err && len) {
		size_t n = 0;

		err[0] = '\0';
		if ((fp = fopen(errf, "r"))) {
			n = fread(err, 1, len - 1, fp);
			err[n] = '\0';
			fclose(fp);
		}
	}
	unlink(errf);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void pf_backoff(void)
{
	usleep(1100 * 1000);
}

void pf_paid(struct payfix *f, const char *pod, const char *user, const char *const *order_args, char *order,
	     size_t len)
{
	char key[128];
	struct run_result *r = malloc(sizeof *r);

	cr_assert_not_null(r);
	pf_order(f, pod, user, order_args, order, len);
	pf_checkout(f, order, "CARD", key, sizeof key);
	pf_capture(f, order, key, NULL, r);
	cr_assert_eq(r->status, 0, "capture %s: %d %s", order, r->status, r->err);
	free(r);
	pf_assert_captured(f, order, "COMPLETED");
}

int64_t pf_refund_entries(struct payfix *f, const char *order, int64_t *sum)
{
	const char *q = "FROM postings x JOIN journal_entries j ON j.id = x.entry_id JOIN refunds r ON r.public_id = j.ref "
			"JOIN payments p ON p.id = r.payment_id WHERE j.kind = 'refund' AND p.order_id = '%s'";
	char sql[1024];

	snprintf(sql, sizeof sql, "SELECT COALESCE(-SUM(x.amount), 0) %s AND x.account LIKE 'pg\\_clearing%%%%'", q);
	*sum = pf_count(f, sql, order);
	return pf_count(f,
			"SELECT COUNT(*) FROM journal_entries j JOIN refunds r ON r.public_id = j.ref "
			"JOIN payments p ON p.id = r.payment_id WHERE j.kind = 'refund' AND p.order_id = '%s'",
			order);
}

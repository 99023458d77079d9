/* wire_webhooks.c — see wire_webhooks.h. */
#include "wire/wire_webhooks.h"

#include <openssl/crypto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/config/config.h"
#include "adapters/bank/toss_payouts.h"
#include "adapters/httpd/httpd.h"
#include "adapters/mysql/db.h"
#include "adapters/mysql/uow.h"
#include "adapters/mysql/webhook_events_repo.h"
#include "adapters/pg/webhook_redact.h"
#include "adapters/pg/webhook_parse.h"
#include "app/webhooks/webhooks.h"
#include "util/log.h"
#include "wire/wire_db.h"
#include "wire/wire_payments.h"

/* One receiving connection and the repositories bound to it. */
struct rx {
	struct db *db;
	struct payments_repo payments;
	struct webhook_events_repo events;
	struct payouts_repo payouts;
	struct pay_ctx pay;
	struct payout_ctx payout;
	struct webhook_ctx ctx;
};

#define RX_MAX 64

struct webhookd {
	struct rx rx[RX_MAX];
	size_t n_rx, free_rx[RX_MAX], n_free;
	pthread_mutex_t rx_lock;
	pthread_cond_t rx_cond;
	struct payments_wiring pay;
	struct webhook_events_repo events;
	struct payouts_repo payouts;
	struct payout_ctx payout;
	struct webhook_ctx ctx;
	struct webhook_keys keys;
	char nicepay_secret[256];
	char payouts_key[256];
	struct httpd_config http;
	char listen[256];
	pthread_mutex_t lock; /* the one database connection */
	struct db *db;
};

/* The work after the answer: one stored event. */
struct pending {
	struct webhookd *w;
	int64_t id;
	struct webhook_event ev;
};

static const char *header_of(void *arg, const char *name)
{
	return httpd_header(arg, name);
}

static void act_after(void *arg)
{
	struct pending *p = arg;
	struct settle_err err = {0};

	pthread_mutex_lock(&p->w->lock);
	if (webhook_act(&p->w->ctx, p->id, &p->ev, &err) == 0) {
		char id[24];

		snprintf(id, sizeof id, "%lld", (long long)p->id);
		log_kv(LOG_INFO, "webhook.done", "source", p->ev.source, "type", p->ev.type, "event", id, NULL);
	}
	pthread_mutex_unlock(&p->w->lock);
	OPENSSL_cleanse(p->ev.secret, sizeof p->ev.secret);
	free(p);
}

static int status_of(int code)
{
	switch (code) {
	case SETTLE_EX_DATAERR: return 400;
	case SETTLE_EX_NOPERM: return 401;
	case SETTLE_EX_NOINPUT: return 404;
	case SETTLE_EX_CONFIG: return 503;
	default: return 503; /* the database or a PG: the PG's retry will come back */
	}
}

static const char *code_of(int status)
{
	switch (status) {
	case 400: return "MALFORMED";
	case 401: return "UNAUTHENTICATED";
	case 404: return "UNKNOWN";
	default: return "UNAVAILABLE";
	}
}

static void handle(void *ctx, const struct httpd_request *req, struct httpd_response *resp)
{
	struct webhookd *w = ctx;
	struct settle_err err = {0};
	struct pending *p;
	enum webhook_taken taken;
	const char *source;
	char *kept = NULL;
	int64_t id = 0;

	if (!strcmp(req->path, "/healthz")) {
		resp->status = 200;
		resp->body = strdup("{\"ok\":true}");
		return;
	}
	if (strncmp(req->path, "/webhooks/", 10) ||
	    (strcmp(source = req->path + 10, "toss") && strcmp(source, "nicepay") && strcmp(source, "toss-payouts"))) {
		httpd_json_error(resp, 404, "NOT_FOUND", "no such endpoint");
		return;
	}
	if (strcmp(req->method, "POST")) {
		httpd_json_error(resp, 405, "METHOD_NOT_ALLOWED", "POST only");
		httpd_add_header(resp, "Allow", "POST");
		return;
	}
	p = calloc(1, sizeof *p);
	if (!p) {
		httpd_json_error(resp, 503, "UNAVAILABLE", "out of memory");
		return;
	}
	p->w = w;
	if (webhook_parse(source, req->body, req->body_len, header_of, (void *)req, &w->keys,
			  w->pay.ctx.clock->now_us(w->pay.ctx.clock->self), &p->ev, &err) < 0)
		goto refused;
	/* What is stored is the body without an untruncated card number or a
	 * deposit secret (adapters/pg/webhook_redact.h). */
	if (webhook_redact(req->body, req->body_len, &kept) < 0) {
		httpd_json_error(resp, 503, "UNAVAILABLE", "out of memory");
		free(p);
		return;
	}
	{
		size_t i;
		int rc;

		pthread_mutex_lock(&w->rx_lock);
		while (w->n_free == 0)
			pthread_cond_wait(&w->rx_cond, &w->rx_lock);
		i = w->free_rx[--w->n_free];
		pthread_mutex_unlock(&w->rx_lock);
		rc = webhook_receive(&w->rx[i].ctx, &p->ev, kept ? kept : req->body, &taken, &id, &err);
		pthread_mutex_lock(&w->rx_lock);
		w->free_rx[w->n_free++] = i;
		pthread_cond_signal(&w->rx_cond);
		pthread_mutex_unlock(&w->rx_lock);
		free(kept);
		if (rc < 0)
			goto refused;
	}
	if (!strcmp(source, "nicepay")) {
		resp->body = strdup("OK"); /* NicePay counts anything else as a failure (N4) */
		resp->content_type = "text/html";
	} else {
		resp->body = strdup(taken == WH_TAKEN_NEW	  ? "{\"ok\":true}"
				    : taken == WH_TAKEN_IGNORED ? "{\"ok\":true,\"ignored\":true}"
								: "{\"ok\":true,\"duplicate\":true}");
	}
	resp->status = 200;
	if (taken == WH_TAKEN_NEW) {
		p->id = id;
		resp->after = act_after;
		resp->after_arg = p;
	} else {
		OPENSSL_cleanse(p->ev.secret, sizeof p->ev.secret);
		free(p);
	}
	return;
refused:
	/* The message names what was wrong and never a secret. */
	log_kv(LOG_WARN, "webhook.refused", "source", source, "client", req->client, "error", err.msg, NULL);
	{
		int st = status_of(err.code);

		httpd_json_error(resp, st, code_of(st), st == 503 ? "try again later" : err.msg);
	}
	OPENSSL_cleanse(p->ev.secret, sizeof p->ev.secret);
	free(p);
}

static int read_config(struct cli *cli, struct webhookd *w, struct settle_err *err)
{
	int64_t body_max, threads, skew, grace;
	int rc;

	snprintf(w->listen, sizeof w->listen, "%s", config_get_or(cli->cfg, "webhookd", "listen", "127.0.0.1:8081"));
	if (config_get_int(cli->cfg, "webhookd", "body_max", 65536, 1024, 16 << 20, &body_max, err) < 0 ||
	    config_get_int(cli->cfg, "webhookd", "threads", 2, 1, 64, &threads, err) < 0 ||
	    config_get_int(cli->cfg, "webhookd", "max_skew_s", 300, 10, 86400, &skew, err) < 0 ||
	    config_get_int(cli->cfg, "webhookd", "stop_grace_ms", 10000, 100, 600000, &grace, err) < 0)
		return -1;
	rc = config_secret(cli->cfg, "nicepay", "secret_key", w->nicepay_secret, sizeof w->nicepay_secret, err);
	if (rc < 0)
		return -1;
	w->keys.nicepay_secret_key = rc ? w->nicepay_secret : NULL;
	rc = config_secret(cli->cfg, "toss-payouts", "security_key", w->payouts_key, sizeof w->payouts_key, err);
	if (rc < 0)
		return -1;
	w->keys.payouts_security_key = rc ? w->payouts_key : NULL;
	w->keys.max_skew_s = (int)skew;
	w->http = (struct httpd_config){.listen = w->listen, .body_max = (size_t)body_max, .threads = (unsigned)threads,
					.stop_grace_ms = (unsigned)grace, .handler = handle, .ctx = w};
	return 0;
}

/* The receiving pool: its own connection per HTTP thread, the same
 * settings as the program's. */
static int open_rx(struct cli *cli, struct webhookd *w, struct settle_err *err)
{
	for (size_t i = 0; i < w->http.threads && i < RX_MAX; i++) {
		struct rx *r = &w->rx[i];

		if (db_open_config(&r->db, cli->cfg, NULL, false, err) < 0)
			return -1;
		w->n_rx++;
		mysql_payments_repo(&r->payments, r->db);
		mysql_webhook_events_repo(&r->events, r->db);
		mysql_payouts_repo(&r->payouts, r->db);
		r->pay = w->pay.ctx;
		r->pay.r.payments = &r->payments;
		r->payout = w->payout;
		r->payout.payouts = &r->payouts;
		r->ctx = (struct webhook_ctx){&r->pay, &r->events, &r->payout, TOSS_PAYOUTS_SOURCE_ACCOUNT};
		w->free_rx[w->n_free++] = i;
	}
	return 0;
}

static int open_hook(struct cli *cli, struct settle_err *err)
{
	struct webhookd *w = calloc(1, sizeof *w);

	if (!w)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	cli->wired = w;
	pthread_mutex_init(&w->lock, NULL);
	pthread_mutex_init(&w->rx_lock, NULL);
	pthread_cond_init(&w->rx_cond, NULL);
	if (wire_payments(cli, &w->pay, err) < 0 || read_config(cli, w, err) < 0)
		return -1;
	mysql_webhook_events_repo(&w->events, cli->db);
	mysql_payouts_repo(&w->payouts, cli->db);
	w->payout = (struct payout_ctx){.uow = &w->pay.uow, .payouts = &w->payouts, .claims = &w->pay.claims,
					.ledger = &w->pay.ledger, .clock = w->pay.ctx.clock, .actor = cli->spec->name,
					.owner = w->pay.owner};
	w->ctx = (struct webhook_ctx){&w->pay.ctx, &w->events, &w->payout, TOSS_PAYOUTS_SOURCE_ACCOUNT};
	w->db = cli->db;
	return open_rx(cli, w, err);
}

static void close_hook(struct cli *cli)
{
	struct webhookd *w = cli->wired;

	if (w) {
		for (size_t i = 0; i < w->n_rx; i++)
			db_close(w->rx[i].db);
		unwire_payments(&w->pay);
		OPENSSL_cleanse(w->nicepay_secret, sizeof w->nicepay_secret);
		OPENSSL_cleanse(w->payouts_key, sizeof w->payouts_key);
		pthread_mutex_destroy(&w->lock);
		pthread_mutex_destroy(&w->rx_lock);
		pthread_cond_destroy(&w->rx_cond);
		free(w);
		cli->wired = NULL;
	}
	wire_close_db(cli);
}

const struct cli_wiring webhooks_wiring = {open_hook, close_hook};

int webhookd_serve(struct cli *cli, struct settle_err *err)
{
	struct webhookd *w = cli->wired;

	return httpd_serve(&w->http, err);
}

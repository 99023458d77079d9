/* contacts.c — recipients' addresses (see contacts.h). */
#include "adapters/notify/contacts.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/http/http.h"
#include "adapters/mysql/db.h"
#include "domain/timefmt.h"

struct contacts {
	struct contacts_port port;
	struct db *db;
	const struct clock_port *clock;
	struct http_client *http;
	char operators[255], operator_lang[3];
	char auth[600];
	int64_t ttl_s;
};

int contacts_parse_user(long status, const char *body, size_t len, const char *id, struct contact *out,
			struct settle_err *err)
{
	json_error_t je;
	json_t *j, *email, *name, *lang;

	memset(out, 0, sizeof *out);
	if (status == 404)
		return err_set(err, SETTLE_EX_NOINPUT, "user %s: the Study Service does not know it", id);
	if (status != 200)
		return err_set(err, status >= 500 || status == 429 || status == 0 ? SETTLE_EX_TEMPFAIL : SETTLE_EX_DATAERR,
			       "user %s: the Study Service answered HTTP %ld", id, status);
	j = json_loadb(body ? body : "", len, 0, &je);
	if (!json_is_object(j)) {
		json_decref(j);
		return err_set(err, SETTLE_EX_DATAERR, "user %s: the Study Service's answer is not a JSON object", id);
	}
	email = json_object_get(j, "email");
	name = json_object_get(j, "name");
	lang = json_object_get(j, "lang");
	if ((email && !json_is_null(email) && !json_is_string(email)) || (name && !json_is_string(name))) {
		json_decref(j);
		return err_set(err, SETTLE_EX_DATAERR, "user %s: email or name is not a string", id);
	}
	if (json_is_string(email))
		snprintf(out->email, sizeof out->email, "%s", json_string_value(email));
	if (json_is_string(name))
		snprintf(out->name, sizeof out->name, "%s", json_string_value(name));
	snprintf(out->lang, sizeof out->lang, "%s",
		 json_is_string(lang) && !strcmp(json_string_value(lang), "en") ? "en" : "ko");
	json_decref(j);
	return 0;
}

static int from_cache(struct contacts *c, const char *id, struct contact *out, struct settle_err *err)
{
	char now[TIME_SQL_LEN];

	time_sql(c->clock->now_us(c->clock->self), now);
	return db_query_one(c->db,
			    "SELECT COALESCE(email, ''), COALESCE(name, ''), lang FROM notify_contacts "
			    "WHERE user_id = ? AND expires_at > ?",
			    DB_PARAMS(DB_S(id), DB_S(now)), DB_COLS(DC_S(out->email), DC_S(out->name), DC_S(out->lang)),
			    err);
}

static int lookup(void *self, const char *kind, const char *id, struct contact *out, struct settle_err *err)
{
	struct contacts *c = self;
	struct http_response resp = {0};
	char path[256], until[TIME_SQL_LEN], *esc;
	const char *headers[2] = {c->auth, NULL};
	int rc;

	memset(out, 0, sizeof *out);
	if (!strcmp(kind, "operator")) {
		snprintf(out->email, sizeof out->email, "%s", c->operators);
		snprintf(out->name, sizeof out->name, "settle operators");
		snprintf(out->lang, sizeof out->lang, "%s", c->operator_lang);
		return 0;
	}
	rc = from_cache(c, id, out, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (!c->http)
		return err_set(err, SETTLE_EX_NOINPUT, "%s %s: no Study Service is configured to give an address", kind,
			       id);
	if (!(esc = http_path_escape(id)))
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	snprintf(path, sizeof path, "/v1/users/%s", esc);
	free(esc);
	if (http_request(c->http, "GET", path, headers, NULL, &resp) < 0) {
		rc = err_set(err, SETTLE_EX_TEMPFAIL, "user %s: the Study Service cannot be asked: %s", id, resp.errmsg);
		http_response_free(&resp);
		return rc;
	}
	rc = contacts_parse_user(resp.status, resp.body, resp.body_len, id, out, err);
	http_response_free(&resp);
	if (rc < 0)
		return -1;
	time_sql(c->clock->now_us(c->clock->self) + c->ttl_s * 1000000, until);
	/* A cache: a failed write only costs a look-up next time. */
	(void)db_exec(c->db,
		      "INSERT INTO notify_contacts (user_id, email, name, lang, expires_at) VALUES (?,?,?,?,?) "
		      "ON DUPLICATE KEY UPDATE email = VALUES(email), name = VALUES(name), lang = VALUES(lang), "
		      "expires_at = VALUES(expires_at)",
		      DB_PARAMS(DB_S(id), DB_SN(out->email), DB_SN(out->name), DB_S(out->lang), DB_S(until)), NULL, NULL,
		      &(struct settle_err){0});
	return 0;
}

struct contacts_port *contacts_new(const struct contacts_config *cfg, struct db *db, const struct clock_port *clock,
				   struct settle_err *err)
{
	struct contacts *c = calloc(1, sizeof *c);

	if (!c) {
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		return NULL;
	}
	c->db = db;
	c->clock = clock;
	c->ttl_s = cfg->ttl_s;
	snprintf(c->operators, sizeof c->operators, "%s", cfg->operators ? cfg->operators : "");
	snprintf(c->operator_lang, sizeof c->operator_lang, "%s",
		 cfg->operator_lang && !strcmp(cfg->operator_lang, "en") ? "en" : "ko");
	if (cfg->study_url && cfg->study_url[0]) {
		snprintf(c->auth, sizeof c->auth, "Authorization: Bearer %s", cfg->study_token ? cfg->study_token : "");
		c->http = http_client_new(cfg->study_url, cfg->connect_timeout_ms, cfg->timeout_ms, err);
		if (!c->http) {
			free(c);
			return NULL;
		}
	}
	c->port.self = c;
	c->port.lookup = lookup;
	return &c->port;
}

void contacts_free(struct contacts_port *p)
{
	struct contacts *c;

	if (!p)
		return;
	c = p->self;
	http_client_free(c->http);
	memset(c->auth, 0, sizeof c->auth);
	free(c);
}

/*
 * domain/notify_tmpl: won amounts as each language writes them, Korea
 * time, HTML escaping of every value, a subject that never holds a line
 * break, long digit runs masked, and templates naming a fact their event
 * does not carry refused when parsed.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "domain/notify_tmpl.h"

static void fact(struct outbox_note *n, const char *name, const char *value)
{
	snprintf(n->facts[n->n_facts].name, sizeof n->facts[0].name, "%s", name);
	snprintf(n->facts[n->n_facts].value, sizeof n->facts[0].value, "%s", value);
	n->n_facts++;
}

Test(domain_notify_tmpl, won_is_written_as_each_language_writes_it)
{
	char b[64];

	cr_assert_eq(notify_format_won("50000", "ko", b, sizeof b), 0);
	cr_assert_str_eq(b, "50,000원");
	cr_assert_eq(notify_format_won("50000", "en", b, sizeof b), 0);
	cr_assert_str_eq(b, "₩50,000");
	cr_assert_eq(notify_format_won("1234567", "ko", b, sizeof b), 0);
	cr_assert_str_eq(b, "1,234,567원");
	cr_assert_eq(notify_format_won("0", "en", b, sizeof b), 0);
	cr_assert_str_eq(b, "₩0");
	cr_assert_eq(notify_format_won("999", "ko", b, sizeof b), 0);
	cr_assert_str_eq(b, "999원");
	cr_assert_eq(notify_format_won("12.5", "ko", b, sizeof b), -1);
	cr_assert_eq(notify_format_won("", "ko", b, sizeof b), -1);
	cr_assert_eq(notify_format_won("1e3", "ko", b, sizeof b), -1);
}

Test(domain_notify_tmpl, render_escapes_html_keeps_the_subject_on_one_line_and_masks_numbers)
{
	struct notify_tmpl t;
	struct notify_rendered r;
	struct outbox_note n = {.key = "refund.completed:ref_1"};
	struct settle_err err = {0};

	cr_assert_eq(notify_tmpl_parse(&t, "refund.completed", "en",
				       "Subject: Refund {{title}} {{amount|won}}\n\n{{reason}} at {{at|kst}} {{name}}\n",
				       "t.txt", &err),
		     0, "%s", err.msg);
	fact(&n, "title", "Algo\r\nBcc: evil@x");
	fact(&n, "amount", "50000");
	fact(&n, "reason", "<b>\"x\" & 'y'</b> account 110-123-456789 / 9001011234567");
	fact(&n, "at", "2026-11-24 15:30:00.000000");
	fact(&n, "name", "Kim");
	cr_assert_eq(notify_render(&t, &n, &r, &err), 0, "%s", err.msg);
	cr_assert_null(strchr(r.subject, '\n'));
	cr_assert_null(strchr(r.subject, '\r'));
	cr_assert_str_eq(r.subject, "Refund Algo  Bcc: evil@x ₩50,000");
	cr_assert(strstr(r.html, "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;"), "%s", r.html);
	cr_assert_null(strstr(r.html, "<b>"));
	cr_assert(strstr(r.text, "2026-11-25 00:30 KST"), "%s", r.text);
	cr_assert_null(strstr(r.text, "123-456789"), "%s", r.text);
	cr_assert_null(strstr(r.text, "9001011234567"), "%s", r.text);
	cr_assert(strstr(r.text, "6789"), "%s", r.text);
	notify_rendered_free(&r);
	notify_tmpl_free(&t);
}

Test(domain_notify_tmpl, a_template_naming_an_unknown_fact_or_filter_is_refused)
{
	struct notify_tmpl t;
	struct settle_err err = {0};

	cr_assert_eq(notify_tmpl_parse(&t, "payment.completed", "ko", "Subject: x {{iban}}\n\nbody\n", "f.txt", &err),
		     -1);
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
	cr_assert(strstr(err.msg, "{{iban}}"), "%s", err.msg);
	cr_assert_eq(notify_tmpl_parse(&t, "payment.completed", "ko", "Subject: x\n\n{{amount|usd}}\n", "f.txt", &err),
		     -1);
	cr_assert_eq(notify_tmpl_parse(&t, "payment.completed", "ko", "Subject: x\n\n{{amount\n", "f.txt", &err), -1);
	cr_assert_eq(notify_tmpl_parse(&t, "payment.completed", "ko", "no subject\n", "f.txt", &err), -1);
	cr_assert_eq(notify_tmpl_parse(&t, "nothing.known", "ko", "Subject: x\n\ny\n", "f.txt", &err), -1);
}

Test(domain_notify_tmpl, a_missing_fact_at_render_is_a_data_error)
{
	struct notify_tmpl t;
	struct notify_rendered r;
	struct outbox_note n = {.key = "k"};
	struct settle_err err = {0};

	cr_assert_eq(notify_tmpl_parse(&t, "payment.completed", "ko", "Subject: {{title}}\n\nx\n", "f", &err), 0);
	cr_assert_eq(notify_render(&t, &n, &r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	notify_tmpl_free(&t);
}

/* {{fact|lines}}: a pre-rendered list keeps its line breaks in the text
 * body, becomes <br> and stays escaped in HTML, is flattened in a subject,
 * and still loses other control characters and long digit runs. */
Test(domain_notify_tmpl, lines_keep_their_breaks_in_a_body_only)
{
	struct notify_tmpl t;
	struct notify_rendered r;
	struct outbox_note n = {.key = "settlement.made:set_1"};
	struct settle_err err = {0};

	cr_assert_eq(notify_tmpl_parse(&t, "settlement.made", "en", "Subject: {{pods|lines}}\n\nPods:\n{{pods|lines}}\n",
				       "t.txt", &err),
		     0, "%s", err.msg);
	fact(&n, "pods", "pod-a — 100,000\npod-<b> — 5\r\x01\npod 9001011234567");
	cr_assert_eq(notify_render(&t, &n, &r, &err), 0, "%s", err.msg);
	cr_assert_null(strchr(r.subject, '\n'));
	cr_assert_null(strchr(r.subject, '\r'));
	cr_assert(strstr(r.text, "Pods:\npod-a — 100,000\npod-<b> — 5  \npod "), "%s", r.text);
	cr_assert_null(strstr(r.text, "9001011234567"), "%s", r.text);
	cr_assert(strstr(r.html, "pod-a — 100,000<br>\npod-&lt;b&gt; — 5"), "%s", r.html);
	cr_assert_null(strstr(r.html, "<b>"));
	notify_rendered_free(&r);
	notify_tmpl_free(&t);
}

/* Every event of issue 14 has a template name and a fact list; a filter
 * other than won, kst and lines is refused. */
Test(domain_notify_tmpl, the_events_are_known_and_lines_is_the_only_new_filter)
{
	static const char *const events[] = {"payment.failed_charged", "payment.failed_charged.ops", "escrow.released", "dispute.opened",
					     "dispute.resolved", "payout.held", "invoice.issued", "settlement.made"};
	struct notify_tmpl t;
	struct settle_err err = {0};

	for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
		size_t k = 0;

		for (const char *const *p = notify_templates; *p; p++)
			k += !strcmp(*p, events[i]);
		cr_assert_eq(k, 1, "%s", events[i]);
		cr_assert_not_null(notify_template_facts(events[i])[0], "%s", events[i]);
	}
	cr_assert_eq(notify_tmpl_parse(&t, "settlement.made", "en", "Subject: x\n\n{{pods|line}}\n", "t.txt", &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
	cr_assert(strstr(err.msg, "not won, kst or lines"), "%s", err.msg);
}

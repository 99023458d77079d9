/* xml.c — the e-tax invoice XML outbox (see xml.h). */
#include "adapters/einvoice/xml.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include "domain/timefmt.h"

#define DS_NS "http://www.w3.org/2000/09/xmldsig#"
/* tax.md §7: what the signature leaves out (the root element node, the
 * issuing system's ExchangedDocument, the Signature itself). */
#define SIGN_XPATH                                                                                               \
	"not(self::*[name() = 'TaxInvoice'] | ancestor-or-self::*[name() = 'ExchangedDocument'] | "               \
	"ancestor-or-self::ds:Signature)"
/* The IssueID a document carries before the provider gave its own, so the
 * document can be validated before anything is sent. */
#define PLACEHOLDER_ISSUE_ID "000000000000000000000000"

struct einvoice_xml {
	char outbox[PATH_MAX];
	xmlSchemaPtr schema;
	xmlSecKeyPtr key; /* NULL: unsigned */
	int xmlsec_up;
};

/* libxml2 and xmlsec report through global callbacks; the first message of
 * a failing call is kept for the one-line error. */
static __thread char last_error[200];
static __thread int last_error_done; /* the first message ended (libxml2 sends it in pieces) */

static void clear_error(void)
{
	last_error[0] = '\0';
	last_error_done = 0;
}

static void keep_error(void *ctx, const char *fmt, ...)
{
	char piece[200];
	va_list ap;
	size_t n;

	(void)ctx;
	if (last_error_done)
		return;
	va_start(ap, fmt);
	vsnprintf(piece, sizeof piece, fmt, ap);
	va_end(ap);
	n = strlen(last_error);
	snprintf(last_error + n, sizeof last_error - n, "%s", piece);
	if (!strchr(piece, '\n'))
		return;
	last_error_done = 1;
	n = strlen(last_error);
	while (n && (last_error[n - 1] == '\n' || last_error[n - 1] == ' '))
		last_error[--n] = '\0';
	for (char *p = last_error; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
}

static void keep_schema_error(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	if (!last_error[0] && e && e->message) {
		snprintf(last_error, sizeof last_error, "line %d: %s", e->line, e->message);
		for (char *p = last_error; *p; p++)
			if (*p == '\n' || *p == '\r')
				*p = p[1] ? ' ' : '\0';
	}
}

static void xmlsec_error(const char *file, int line, const char *func, const char *obj, const char *subj, int reason,
			 const char *msg)
{
	(void)file;
	(void)line;
	(void)func;
	(void)obj;
	if (!last_error[0])
		snprintf(last_error, sizeof last_error, "%s%s%s (reason %d)", subj ? subj : "", subj ? ": " : "",
			 msg ? msg : "xmlsec error", reason);
}

static pthread_once_t xmlsec_once = PTHREAD_ONCE_INIT;
static int xmlsec_ok;

/* xmlsec is initialised once per process and never shut down (process exit
 * does), like curl: its crypto engine holds process-wide state. */
static void xmlsec_start(void)
{
	xmlInitParser();
	xmlSecErrorsSetCallback(xmlsec_error);
	if (xmlSecInit() < 0)
		return;
	if (xmlSecCheckVersion() != 1 || xmlSecCryptoAppInit(NULL) < 0 || xmlSecCryptoInit() < 0)
		return;
	/* after the engine's own start, which sets the default (stderr) one */
	xmlSecErrorsSetCallback(xmlsec_error);
	xmlsec_ok = 1;
}

static int load_key(struct einvoice_xml *x, const char *key_file, const char *cert_file, struct settle_err *err)
{
	pthread_once(&xmlsec_once, xmlsec_start);
	if (!xmlsec_ok)
		return err_set(err, SETTLE_EX_SOFTWARE, "xmlsec1 did not start: %s", last_error);
	/* a missing file is said plainly (and xmlsec leaks on that path) */
	if (access(key_file, R_OK) < 0)
		return err_set(err, SETTLE_EX_CONFIG, "[invoice] key_file %.200s does not load: %s", key_file,
			       strerror(errno));
	if (access(cert_file, R_OK) < 0)
		return err_set(err, SETTLE_EX_CONFIG, "[invoice] certificate_file %.200s does not load: %s", cert_file,
			       strerror(errno));
	clear_error();
	x->key = xmlSecCryptoAppKeyLoad(key_file, xmlSecKeyDataFormatPem, NULL, NULL, NULL);
	if (!x->key)
		return err_set(err, SETTLE_EX_CONFIG, "[invoice] key_file %.200s does not load as a PEM private key",
			       key_file);
	if (xmlSecCryptoAppKeyCertLoad(x->key, cert_file, xmlSecKeyDataFormatPem) < 0)
		return err_set(err, SETTLE_EX_CONFIG, "[invoice] certificate_file %.200s does not load as a PEM certificate",
			       cert_file);
	return 0;
}

int einvoice_xml_open(struct einvoice_xml **out, const char *schema_file, const char *outbox_dir, const char *key_file,
		      const char *cert_file, struct settle_err *err)
{
	struct einvoice_xml *x = calloc(1, sizeof *x);
	xmlSchemaParserCtxtPtr pc;
	struct stat st;

	*out = NULL;
	if (!x)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	*out = x;
	if (!outbox_dir || !*outbox_dir)
		return err_set(err, SETTLE_EX_CONFIG, "[invoice] outbox_dir is not set");
	if (stat(outbox_dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return err_set(err, SETTLE_EX_CONFIG, "[invoice] outbox_dir %.200s is not a directory", outbox_dir);
	if (snprintf(x->outbox, sizeof x->outbox, "%s", outbox_dir) >= (int)sizeof x->outbox - 32)
		return err_set(err, SETTLE_EX_CONFIG, "[invoice] outbox_dir is too long");
	xmlInitParser();
	clear_error();
	xmlSetGenericErrorFunc(NULL, keep_error);
	pc = xmlSchemaNewParserCtxt(schema_file);
	if (pc) {
		xmlSchemaSetParserErrors(pc, keep_error, keep_error, NULL);
		x->schema = xmlSchemaParse(pc);
		xmlSchemaFreeParserCtxt(pc);
	}
	xmlSetGenericErrorFunc(NULL, NULL);
	if (!x->schema)
		return err_set(err, SETTLE_EX_CONFIG, "invoice schema %.200s does not load: %s", schema_file, last_error);
	if (key_file || cert_file) {
		if (!key_file || !cert_file)
			return err_set(err, SETTLE_EX_CONFIG, "[invoice] key_file and certificate_file go together");
		if (load_key(x, key_file, cert_file, err) < 0)
			return -1;
	}
	return 0;
}

void einvoice_xml_close(struct einvoice_xml *x)
{
	if (!x)
		return;
	if (x->key)
		xmlSecKeyDestroy(x->key);
	if (x->schema)
		xmlSchemaFree(x->schema);
	free(x);
}

/* ---- the document ---- */

static xmlNodePtr el(xmlNodePtr parent, const char *name, const char *text)
{
	return xmlNewTextChild(parent, NULL, BAD_CAST name, text ? BAD_CAST text : NULL);
}

static xmlNodePtr el_i64(xmlNodePtr parent, const char *name, int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%lld", (long long)v);
	return el(parent, name, buf);
}

static void invoicer(xmlNodePtr parent, const struct invoice_party *p)
{
	xmlNodePtr n = el(parent, "InvoicerParty", NULL);

	el(n, "ID", p->brn);
	el(n, "TypeCode", p->business_type);
	el(n, "NameText", p->name);
	el(n, "ClassificationCode", p->business_item);
	el(el(n, "SpecifiedPerson", NULL), "NameText", p->representative);
	if (p->email[0])
		el(el(n, "DefinedContact", NULL), "URICommunication", p->email);
	el(el(n, "SpecifiedAddress", NULL), "LineOneText", p->address);
}

static void invoicee(xmlNodePtr parent, const struct invoice_party *p)
{
	xmlNodePtr n = el(parent, "InvoiceeParty", NULL);

	el(n, "ID", p->brn);
	el(n, "NameText", p->name);
	/* 01: a business registration number (02 would be a resident number) */
	el(el(n, "SpecifiedOrganization", NULL), "BusinessTypeCode", "01");
	el(el(n, "SpecifiedPerson", NULL), "NameText", p->representative);
	if (p->email[0])
		el(el(n, "PrimaryDefinedContact", NULL), "URICommunication", p->email);
	if (p->address[0])
		el(el(n, "SpecifiedAddress", NULL), "LineOneText", p->address);
}

static xmlDocPtr build(const struct invoice_doc *d, const char *issue_id)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root, n, ts, ms;
	xmlNsPtr ns, xsi;
	char stamp[15];
	time_t now = time(NULL) + KST_OFFSET_S;
	struct tm tm;

	root = xmlNewNode(NULL, BAD_CAST "TaxInvoice");
	xmlDocSetRootElement(doc, root);
	ns = xmlNewNs(root, BAD_CAST EINVOICE_NS, NULL);
	xmlSetNs(root, ns);
	xsi = xmlNewNs(root, BAD_CAST "http://www.w3.org/2001/XMLSchema-instance", BAD_CAST "xsi");
	xmlNewNs(root, BAD_CAST DS_NS, BAD_CAST "ds");
	xmlNewNsProp(root, xsi, BAD_CAST "schemaLocation", BAD_CAST EINVOICE_NS " " EINVOICE_SCHEMA_LOCATION);

	/* the issuing system's part: our key and the time it was written */
	n = el(root, "ExchangedDocument", NULL);
	el(n, "ID", d->mgt_key);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
	el(n, "IssueDateTime", stamp);

	n = el(root, "TaxInvoiceDocument", NULL);
	el(n, "IssueID", issue_id);
	el(n, "TypeCode", d->type_code);
	if (d->type == INVOICE_AMENDMENT) {
		char note[120];

		snprintf(note, sizeof note, "amends %s", d->original_issue_id);
		el(n, "DescriptionText", note);
	}
	el(n, "IssueDateTime", d->write_date);
	if (d->amendment_code[0])
		el(n, "AmendmentStatusCode", d->amendment_code);
	/* 01 영수: the fee was kept out of the money collected */
	el(n, "PurposeCode", "01");
	if (d->original_issue_id[0])
		el(n, "OriginalIssueID", d->original_issue_id);

	ts = el(root, "TaxInvoiceTradeSettlement", NULL);
	invoicer(ts, &d->invoicer);
	invoicee(ts, &d->invoicee);
	ms = el(ts, "SpecifiedMonetarySummation", NULL);
	el_i64(ms, "ChargeTotalAmount", d->supply);
	el_i64(ms, "TaxTotalAmount", d->vat);
	el_i64(ms, "GrandTotalAmount", d->total);

	for (size_t i = 0; i < d->n_lines; i++) {
		const struct invoice_line *l = &d->lines[i];
		xmlNodePtr li = el(root, "TaxInvoiceTradeLineItem", NULL);

		el_i64(li, "SequenceNumeric", l->seq);
		el_i64(li, "InvoiceAmount", l->supply);
		el(li, "NameText", l->name);
		el(li, "PurchaseExpiryDateTime", l->date);
		el_i64(el(li, "TotalTax", NULL), "CalculatedAmount", l->vat);
	}
	return doc;
}

static int validate(struct einvoice_xml *x, xmlDocPtr doc, const struct invoice_doc *d, struct settle_err *err)
{
	xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(x->schema);
	int rc;

	if (!vc)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	clear_error();
	xmlSchemaSetValidStructuredErrors(vc, keep_schema_error, NULL);
	rc = xmlSchemaValidateDoc(vc, doc);
	xmlSchemaFreeValidCtxt(vc);
	if (rc != 0)
		return err_set(err, SETTLE_EX_DATAERR, "invoice %s does not validate against the schema: %s", d->mgt_key,
			       last_error[0] ? last_error : "invalid");
	return 0;
}

static int sign(struct einvoice_xml *x, xmlDocPtr doc, struct settle_err *err)
{
	static const xmlChar *ns_list[] = {BAD_CAST "ds", BAD_CAST DS_NS, NULL};
	xmlNodePtr root = xmlDocGetRootElement(doc), tid = NULL, sig, ref, xp, ki;
	xmlSecDSigCtxPtr ctx;
	int rc = -1;

	for (xmlNodePtr n = root->children; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && !xmlStrcmp(n->name, BAD_CAST "TaxInvoiceDocument"))
			tid = n;
	clear_error();
	sig = xmlSecTmplSignatureCreateNsPref(doc, xmlSecTransformInclC14NId, xmlSecTransformRsaSha256Id, NULL,
					      BAD_CAST "ds");
	if (!sig || !tid)
		return err_set(err, SETTLE_EX_SOFTWARE, "signature template: %s", last_error);
	/* enveloped, just before TaxInvoiceDocument (tax.md §7) */
	xmlAddPrevSibling(tid, sig);
	ref = xmlSecTmplSignatureAddReference(sig, xmlSecTransformSha256Id, NULL, BAD_CAST "", NULL);
	if (!ref || !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformInclC14NId) ||
	    !(xp = xmlSecTmplReferenceAddTransform(ref, xmlSecTransformXPathId)) ||
	    xmlSecTmplTransformAddXPath(xp, BAD_CAST SIGN_XPATH, ns_list) < 0 ||
	    !(ki = xmlSecTmplSignatureEnsureKeyInfo(sig, NULL)) || !xmlSecTmplKeyInfoAddX509Data(ki))
		return err_set(err, SETTLE_EX_SOFTWARE, "signature template: %s", last_error);
	ctx = xmlSecDSigCtxCreate(NULL);
	if (!ctx)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	ctx->signKey = xmlSecKeyDuplicate(x->key);
	if (!ctx->signKey)
		err_set(err, SETTLE_EX_OSERR, "out of memory");
	else if (xmlSecDSigCtxSign(ctx, sig) < 0)
		err_set(err, SETTLE_EX_SOFTWARE, "signing failed: %s", last_error);
	else
		rc = 0;
	xmlSecDSigCtxDestroy(ctx);
	return rc;
}

/* The document, checked (and signed when a key is loaded, unless
 * unsigned_only), as bytes. */
static int render(struct einvoice_xml *x, const struct invoice_doc *d, const char *issue_id, int sign_it, char **buf,
		  size_t *len, struct settle_err *err)
{
	xmlDocPtr doc;
	xmlChar *mem = NULL;
	int n = 0, rc = -1;

	*buf = NULL;
	*len = 0;
	if (invoice_check(d, err) < 0)
		return -1;
	doc = build(d, issue_id);
	if (!doc)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	if (validate(x, doc, d, err) < 0)
		goto out;
	if (sign_it && x->key && (sign(x, doc, err) < 0 || validate(x, doc, d, err) < 0))
		goto out;
	xmlDocDumpMemoryEnc(doc, &mem, &n, "UTF-8");
	if (!mem || n <= 0) {
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	*buf = malloc((size_t)n + 1);
	if (!*buf) {
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		goto out;
	}
	memcpy(*buf, mem, (size_t)n);
	(*buf)[n] = '\0';
	*len = (size_t)n;
	rc = 0;
out:
	xmlFree(mem);
	xmlFreeDoc(doc);
	return rc;
}

int einvoice_xml_render(struct einvoice_xml *x, const struct invoice_doc *d, char **buf, size_t *len,
			struct settle_err *err)
{
	return render(x, d, d->issue_id[0] ? d->issue_id : PLACEHOLDER_ISSUE_ID, 1, buf, len, err);
}

static int check(void *self, const struct invoice_doc *d, struct settle_err *err)
{
	char *buf;
	size_t len;

	if (render(self, d, PLACEHOLDER_ISSUE_ID, 0, &buf, &len, err) < 0)
		return -1;
	free(buf);
	return 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_doc(void *self, const struct invoice_doc *d, char *path, size_t plen, struct settle_err *err)
{
	struct einvoice_xml *x = self;
	char dir[PATH_MAX], tmp[PATH_MAX + 16];
	char *buf;
	size_t len;
	int fd;

	if (approval_number_check(d->issue_id, err) < 0)
		return err_prefix(err, "invoice %s", d->mgt_key);
	if (render(x, d, d->issue_id, 1, &buf, &len, err) < 0)
		return -1;
	snprintf(dir, sizeof dir, "%s/%.7s", x->outbox, d->period);
	if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
		free(buf);
		return err_set(err, SETTLE_EX_CANTCREAT, "cannot create %.200s: %s", dir, strerror(errno));
	}
	if ((size_t)snprintf(path, plen, "%s/%s.xml", dir, d->mgt_key) >= plen) {
		free(buf);
		return err_set(err, SETTLE_EX_SOFTWARE, "outbox path too long");
	}
	snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, d->mgt_key);
	fd = mkstemp(tmp);
	if (fd < 0) {
		free(buf);
		return err_set(err, SETTLE_EX_CANTCREAT, "cannot write in %.200s: %s", dir, strerror(errno));
	}
	if (fchmod(fd, 0640) < 0 || write_all(fd, buf, len) < 0 || fsync(fd) < 0) {
		int e = errno;

		close(fd);
		unlink(tmp);
		free(buf);
		return err_set(err, SETTLE_EX_IOERR, "cannot write %.200s: %s", tmp, strerror(e));
	}
	free(buf);
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		int e = errno;

		unlink(tmp);
		return err_set(err, SETTLE_EX_IOERR, "cannot write %.200s: %s", path, strerror(e));
	}
	return 0;
}

void einvoice_xml_outbox(struct invoice_outbox *out, struct einvoice_xml *x)
{
	*out = (struct invoice_outbox){.self = x, .check = check, .write = write_doc};
}

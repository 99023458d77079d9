/*
 * test_einvoice_xml.c — the XML outbox: the document validates against
 * schema/taxinvoice.xsd with libxml2 and with the xmllint binary, carries
 * the standard namespace and element order, is signed (enveloped, before
 * TaxInvoiceDocument) so that `xmlsec1 --verify` accepts it and refuses it
 * once a byte of the signed part changes; a document whose sums do not
 * match its lines is never written; a certificate or key that does not
 * load, or a missing outbox, is a one-line configuration error (78).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "adapters/einvoice/xml.h"
#include "adapters/einvoice/invoice_doc.h"
#include "lib/testdb.h"

static char dir[64], outbox[96], xsd[512];

static void setup(void)
{
	char cmd[512];

	snprintf(dir, sizeof dir, "/tmp/settle-xml-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(outbox, sizeof outbox, "%s/outbox", dir);
	cr_assert_eq(mkdir(outbox, 0700), 0);
	test_repo_file("schema/taxinvoice.xsd", xsd, sizeof xsd);
	snprintf(cmd, sizeof cmd,
		 "openssl req -x509 -newkey rsa:2048 -nodes -subj '/CN=Pod Study Inc./C=KR' -days 30 "
		 "-keyout '%s/key.pem' -out '%s/cert.pem' >/dev/null 2>&1",
		 dir, dir);
	cr_assert_eq(system(cmd), 0);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(adapters_einvoice_xml, .init = setup, .fini = teardown, .timeout = 60);

static struct einvoice_xml *open_xml(int signed_)
{
	struct einvoice_xml *x;
	struct settle_err err = {0};
	char key[128], cert[128];

	snprintf(key, sizeof key, "%s/key.pem", dir);
	snprintf(cert, sizeof cert, "%s/cert.pem", dir);
	cr_assert_eq(einvoice_xml_open(&x, xsd, outbox, signed_ ? key : NULL, signed_ ? cert : NULL, &err), 0, "%s",
		     err.msg);
	return x;
}

static int shell(const char *fmt, const char *a, const char *b)
{
	char cmd[1024];

	snprintf(cmd, sizeof cmd, fmt, a, b);
	return system(cmd);
}

Test(adapters_einvoice_xml, valid_with_libxml2_and_xmllint)
{
	struct einvoice_xml *x = open_xml(0);
	struct invoice_outbox ob;
	struct invoice_doc d;
	struct invoice_line lines[2];
	struct settle_err err = {0};
	char path[512], *buf;
	size_t len;
	xmlDocPtr doc;
	xmlSchemaParserCtxtPtr pc;
	xmlSchemaPtr schema;
	xmlSchemaValidCtxtPtr vc;

	test_invoice_doc(&d, lines, "S202610L7N0");
	snprintf(d.issue_id, sizeof d.issue_id, "202610314100000112345678");
	einvoice_xml_outbox(&ob, x);
	cr_assert_eq(ob.check(ob.self, &d, &err), 0, "%s", err.msg);
	cr_assert_eq(ob.write(ob.self, &d, path, sizeof path, &err), 0, "%s", err.msg);
	cr_assert(strstr(path, "/outbox/2026-10/S202610L7N0.xml"), "%s", path);
	/* libxml2, independently of the adapter */
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	cr_assert_not_null(doc);
	pc = xmlSchemaNewParserCtxt(xsd);
	schema = xmlSchemaParse(pc);
	vc = xmlSchemaNewValidCtxt(schema);
	cr_assert_eq(xmlSchemaValidateDoc(vc, doc), 0);
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pc);
	xmlFreeDoc(doc);
	/* and the xmllint binary */
	cr_assert_eq(shell("xmllint --noout --schema '%s' '%s' 2>/dev/null", xsd, path), 0);
	/* the standard namespace, the approval number, the lines' sums */
	cr_assert_eq(einvoice_xml_render(x, &d, &buf, &len, &err), 0, "%s", err.msg);
	cr_assert(strstr(buf, "<TaxInvoice xmlns=\"" EINVOICE_NS "\""), "%s", buf);
	cr_assert(strstr(buf, "<IssueID>202610314100000112345678</IssueID><TypeCode>0101</TypeCode>"), "%s", buf);
	cr_assert(strstr(buf, "<ChargeTotalAmount>23636</ChargeTotalAmount><TaxTotalAmount>2364</TaxTotalAmount>"
			      "<GrandTotalAmount>26000</GrandTotalAmount>"),
		  "%s", buf);
	cr_assert(strstr(buf, "SQL for analysts — 주간"), "%s", buf);
	free(buf);
	einvoice_xml_close(x);
}

Test(adapters_einvoice_xml, amendment_validates)
{
	struct einvoice_xml *x = open_xml(0);
	struct invoice_doc d;
	struct invoice_line lines[2];
	struct settle_err err = {0};
	char *buf;
	size_t len;

	test_invoice_doc(&d, lines, "S202610L7N1");
	lines[0].supply = -6363;
	lines[0].vat = -637;
	d.n_lines = 1;
	d.supply = -6363;
	d.vat = -637;
	d.total = -7000;
	d.type = INVOICE_AMENDMENT;
	memcpy(d.type_code, "0201", 5);
	memcpy(d.amendment_code, "02", 3);
	snprintf(d.original_issue_id, sizeof d.original_issue_id, "202610314100000112345678");
	snprintf(d.write_date, sizeof d.write_date, "20261120");
	cr_assert_eq(einvoice_xml_render(x, &d, &buf, &len, &err), 0, "%s", err.msg);
	cr_assert(strstr(buf, "<AmendmentStatusCode>02</AmendmentStatusCode><PurposeCode>01</PurposeCode>"
			      "<OriginalIssueID>202610314100000112345678</OriginalIssueID>"),
		  "%s", buf);
	cr_assert(strstr(buf, "<ChargeTotalAmount>-6363</ChargeTotalAmount>"), "%s", buf);
	free(buf);
	einvoice_xml_close(x);
}

Test(adapters_einvoice_xml, sums_not_matching_lines_are_never_written)
{
	struct einvoice_xml *x = open_xml(0);
	struct invoice_outbox ob;
	struct invoice_doc d;
	struct invoice_line lines[2];
	struct settle_err err = {0};
	char path[512];

	einvoice_xml_outbox(&ob, x);
	test_invoice_doc(&d, lines, "S202610L7N0");
	snprintf(d.issue_id, sizeof d.issue_id, "202610314100000112345678");
	d.supply += 1;
	d.total += 1;
	cr_assert_eq(ob.check(ob.self, &d, &err), -1);
	cr_assert_eq(ob.write(ob.self, &d, path, sizeof path, &err), -1);
	cr_assert_eq(err.code, 65);
	cr_assert(strstr(err.msg, "is not the sum of its lines"), "%s", err.msg);
	/* a line date the schema refuses: never written either */
	test_invoice_doc(&d, lines, "S202610L7N0");
	snprintf(d.issue_id, sizeof d.issue_id, "202610314100000112345678");
	snprintf(lines[1].date, sizeof lines[1].date, "2026102");
	cr_assert_eq(ob.write(ob.self, &d, path, sizeof path, &err), -1);
	cr_assert_eq(err.code, 65);
	cr_assert(strstr(err.msg, "does not validate against the schema") && !strchr(err.msg, '\n'), "%s", err.msg);
	cr_assert_eq(shell("test -z \"$(find '%s' -type f)\"%s", outbox, ""), 0, "a refused document was written");
	einvoice_xml_close(x);
}

Test(adapters_einvoice_xml, signature_verifies_with_xmlsec1)
{
	struct einvoice_xml *x = open_xml(1);
	struct invoice_outbox ob;
	struct invoice_doc d;
	struct invoice_line lines[2];
	struct settle_err err = {0};
	char path[512], cert[128], *buf;
	size_t len;

	einvoice_xml_outbox(&ob, x);
	test_invoice_doc(&d, lines, "S202610L7N0");
	snprintf(d.issue_id, sizeof d.issue_id, "202610314100000112345678");
	cr_assert_eq(ob.write(ob.self, &d, path, sizeof path, &err), 0, "%s", err.msg);
	snprintf(cert, sizeof cert, "%s/cert.pem", dir);
	cr_assert_eq(shell("xmlsec1 --verify --trusted-pem '%s' '%s' >/dev/null 2>&1", cert, path), 0);
	cr_assert_eq(shell("xmllint --noout --schema '%s' '%s' 2>/dev/null", xsd, path), 0);
	/* placement and algorithms as tax.md §7 says */
	cr_assert_eq(einvoice_xml_render(x, &d, &buf, &len, &err), 0, "%s", err.msg);
	cr_assert(strstr(buf, "</ExchangedDocument><ds:Signature"), "%s", buf);
	cr_assert(strstr(buf, "</ds:Signature><TaxInvoiceDocument>"), "%s", buf);
	cr_assert(strstr(buf, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"), "%s", buf);
	cr_assert(strstr(buf, "<ds:Reference URI=\"\">"), "%s", buf);
	cr_assert(strstr(buf, "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"), "%s", buf);
	cr_assert(strstr(buf, "ancestor-or-self::*[name() = 'ExchangedDocument']"), "%s", buf);
	cr_assert(strstr(buf, "<ds:X509Certificate>"), "%s", buf);
	free(buf);
	/* a changed amount no longer verifies; a changed ExchangedDocument still does */
	cr_assert_eq(shell("sed 's/<GrandTotalAmount>26000</<GrandTotalAmount>26001</' '%s' > '%s.bad'", path, path), 0);
	cr_assert_neq(shell("xmlsec1 --verify --trusted-pem '%s' '%s.bad' >/dev/null 2>&1", cert, path), 0);
	cr_assert_eq(shell("sed 's/<ID>S202610L7N0</<ID>S202610L7N9</' '%s' > '%s.ex'", path, path), 0);
	cr_assert_eq(shell("xmlsec1 --verify --trusted-pem '%s' '%s.ex' >/dev/null 2>&1", cert, path), 0);
	einvoice_xml_close(x);
}

Test(adapters_einvoice_xml, what_does_not_load_is_78)
{
	struct einvoice_xml *x;
	struct settle_err err = {0};
	char key[128], cert[128], junk[128], missing[128];
	FILE *fp;

	snprintf(key, sizeof key, "%s/key.pem", dir);
	snprintf(cert, sizeof cert, "%s/cert.pem", dir);
	snprintf(junk, sizeof junk, "%s/junk.pem", dir);
	snprintf(missing, sizeof missing, "%s/none", dir);
	fp = fopen(junk, "w");
	cr_assert_not_null(fp);
	fputs("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n", fp);
	fclose(fp);
	/* the certificate */
	cr_assert_eq(einvoice_xml_open(&x, xsd, outbox, key, junk, &err), -1);
	cr_assert_eq(err.code, 78);
	cr_assert(strstr(err.msg, "certificate_file") && strstr(err.msg, "does not load") && !strchr(err.msg, '\n'),
		  "%s", err.msg);
	einvoice_xml_close(x);
	cr_assert_eq(einvoice_xml_open(&x, xsd, outbox, key, missing, &err), -1);
	cr_assert_eq(err.code, 78);
	einvoice_xml_close(x);
	/* the key */
	cr_assert_eq(einvoice_xml_open(&x, xsd, outbox, junk, cert, &err), -1);
	cr_assert(err.code == 78 && strstr(err.msg, "key_file"), "%d %s", err.code, err.msg);
	einvoice_xml_close(x);
	/* one without the other */
	cr_assert_eq(einvoice_xml_open(&x, xsd, outbox, key, NULL, &err), -1);
	cr_assert_eq(err.code, 78);
	einvoice_xml_close(x);
	/* the outbox */
	cr_assert_eq(einvoice_xml_open(&x, xsd, missing, NULL, NULL, &err), -1);
	cr_assert(err.code == 78 && strstr(err.msg, "not a directory"), "%s", err.msg);
	einvoice_xml_close(x);
	/* the schema */
	cr_assert_eq(einvoice_xml_open(&x, missing, outbox, NULL, NULL, &err), -1);
	cr_assert(err.code == 78 && strstr(err.msg, "schema") && !strchr(err.msg, '\n'), "%s", err.msg);
	einvoice_xml_close(x);
}

/*
 * xml.h — the e-tax invoice XML outbox (research/tax.md §1, §7): the
 * standard document built with libxml2, validated against the project's
 * schema (schema/taxinvoice.xsd) before it is written, signed with
 * xmlsec1 when a certificate is configured (enveloped XML-DSig before
 * TaxInvoiceDocument, RSA-SHA256, inclusive C14N and the XPath filter that
 * leaves out the root, ExchangedDocument and the Signature), and written
 * whole: a temporary file in the same directory, fsync, rename, under
 * outbox_dir/YYYY-MM/.
 *
 * Rule: nothing is written that does not validate; the signed document is
 * serialised as it is, never re-indented.
 */
#ifndef SETTLE_ADAPTERS_EINVOICE_XML_H
#define SETTLE_ADAPTERS_EINVOICE_XML_H

#include <stddef.h>

#include "domain/err.h"
#include "ports/einvoice.h"

#define EINVOICE_NS "urn:kr:or:kec:standard:Tax:ReusableAggregateBusinessInformationEntitySchemaModule:1:0"
#define EINVOICE_SCHEMA_LOCATION "http://www.kec.or.kr/standard/Tax/TaxInvoiceSchemaModule_1.0.xsd"

struct einvoice_xml;

/* Loads the schema (78 when it does not load) and, when key_file is not
 * NULL, the PEM private key and its certificate (78, one line, when either
 * does not load). outbox_dir must be a directory (78 otherwise). */
int einvoice_xml_open(struct einvoice_xml **out, const char *schema_file, const char *outbox_dir, const char *key_file,
		      const char *cert_file, struct settle_err *err);
void einvoice_xml_close(struct einvoice_xml *x);

/* The port over it. */
void einvoice_xml_outbox(struct invoice_outbox *out, struct einvoice_xml *x);

/* The document as bytes (malloc'd, caller frees), validated and signed as
 * the outbox writes it; for tests. */
int einvoice_xml_render(struct einvoice_xml *x, const struct invoice_doc *d, char **buf, size_t *len,
			struct settle_err *err);

#endif

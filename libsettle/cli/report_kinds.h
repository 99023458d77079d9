/*
 * report_kinds.h — the command-line kinds of settle-report: Korea-time
 * months, quarters and dates (checked whole by domain/report_period.h,
 * 65), an output file whose directory must exist (66), and the fixed
 * vocabularies of --format, --lang and remit's KIND (64).
 */
#ifndef SETTLE_CLI_REPORT_KINDS_H
#define SETTLE_CLI_REPORT_KINDS_H

#include "cli/cli.h"

extern const struct cli_kind cli_kind_month;        /* YYYY-MM */
extern const struct cli_kind cli_kind_quarter;      /* YYYY-Qn */
extern const struct cli_kind cli_kind_date;         /* YYYY-MM-DD */
extern const struct cli_kind cli_kind_output_file;  /* a file in an existing directory */
extern const struct cli_kind cli_kind_report_format; /* csv, json, html */
extern const struct cli_kind cli_kind_lang;         /* en, ko */
extern const struct cli_kind cli_kind_remit_kind;   /* withholding, vat */

#endif

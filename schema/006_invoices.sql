-- 006_invoices.sql — monthly e-tax invoices for the platform's fee (issue 10,
-- part 2; research/tax.md).
--
-- A leader has at most one invoice per month and sequence: sequence 0 is
-- the original (0101), 1… its amendments (0201, original_id set). mgt_key
-- is the provider's document key, derived from leader, month and sequence,
-- so a re-sent document can never become a second invoice. Each settlement
-- and clawback is on at most one invoice (uk_tax_invoice_items_item), so a
-- re-run invoices nothing twice.

ALTER TABLE tax_invoices
	ADD COLUMN sequence INT NOT NULL DEFAULT 0 AFTER period,
	ADD COLUMN type_code CHAR(4) NOT NULL DEFAULT '0101' AFTER sequence,
	ADD COLUMN amendment_code CHAR(2) NULL AFTER type_code,
	ADD COLUMN write_date DATE NULL AFTER amendment_code,
	ADD COLUMN mgt_key VARCHAR(24) NULL,
	ADD COLUMN invoicee_brn CHAR(10) NULL,
	ADD COLUMN late TINYINT NOT NULL DEFAULT 0,
	ADD COLUMN submitted_at DATETIME(6) NULL,
	ADD COLUMN issued_at DATETIME(6) NULL,
	ADD COLUMN xml_path VARCHAR(500) NULL,
	ADD COLUMN provider_code VARCHAR(64) NULL,
	ADD COLUMN provider_message VARCHAR(255) NULL,
	ADD COLUMN doubt_count INT NOT NULL DEFAULT 0,
	ADD UNIQUE KEY uk_tax_invoices_leader_period_seq (leader_id, period, sequence),
	ADD UNIQUE KEY uk_tax_invoices_mgt_key (mgt_key),
	ADD CONSTRAINT ck_tax_invoices_kind CHECK (
		(sequence = 0 AND type_code = '0101' AND amendment_code IS NULL AND original_id IS NULL)
		OR (sequence > 0 AND type_code = '0201' AND amendment_code IN ('01', '02', '03', '04', '05', '06')
		    AND original_id IS NOT NULL)),
	ADD CONSTRAINT ck_tax_invoices_issued CHECK (status = 'DRAFT' OR status = 'REJECTED' OR nts_issue_id IS NOT NULL);

CREATE TABLE tax_invoice_lines (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	invoice_id BIGINT UNSIGNED NOT NULL,
	seq INT NOT NULL,
	name VARCHAR(200) NOT NULL,
	supply_date DATE NOT NULL,
	supply BIGINT NOT NULL,
	vat BIGINT NOT NULL,
	items INT NOT NULL,
	UNIQUE KEY uk_tax_invoice_lines_seq (invoice_id, seq),
	CONSTRAINT fk_tax_invoice_lines_invoice FOREIGN KEY (invoice_id) REFERENCES tax_invoices (id),
	CONSTRAINT ck_tax_invoice_lines_seq CHECK (seq BETWEEN 1 AND 99)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What each invoice is made of: a settlement (its fee) or a clawback.
CREATE TABLE tax_invoice_items (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	invoice_id BIGINT UNSIGNED NOT NULL,
	item_kind VARCHAR(16) NOT NULL,
	item_id BIGINT UNSIGNED NOT NULL,
	supply BIGINT NOT NULL,
	vat BIGINT NOT NULL,
	UNIQUE KEY uk_tax_invoice_items_item (item_kind, item_id),
	KEY ix_tax_invoice_items_invoice (invoice_id),
	CONSTRAINT fk_tax_invoice_items_invoice FOREIGN KEY (invoice_id) REFERENCES tax_invoices (id),
	CONSTRAINT ck_tax_invoice_items_kind CHECK (item_kind IN ('SETTLEMENT', 'CLAWBACK'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- 001_core.sql — schema v1: the ledger, the business tables of DESIGN.md §5,
-- and the coordination tables of §7.
--
-- Rules: money is BIGINT minor units + CHAR(3) currency; timestamps are UTC
-- DATETIME(6); every external id and idempotency key is UNIQUE; the ledger
-- (journal_entries, postings) is append-only, enforced by triggers below.
-- SQL stays within what MariaDB >= 10.6 and MySQL 8 both accept.

CREATE TABLE pods (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	pod_id VARCHAR(64) NOT NULL,
	leader_id VARCHAR(64) NOT NULL,
	title VARCHAR(200) NOT NULL,
	fee BIGINT NOT NULL,
	currency CHAR(3) NOT NULL,
	capacity INT NOT NULL,
	status VARCHAR(16) NOT NULL,
	starts_on DATE NOT NULL,
	ends_on DATE NOT NULL,
	completed_at DATETIME(6) NULL,
	refreshed_at DATETIME(6) NOT NULL,
	UNIQUE KEY uk_pods_pod_id (pod_id),
	KEY ix_pods_leader (leader_id),
	KEY ix_pods_status_completed (status, completed_at),
	CONSTRAINT ck_pods_fee CHECK (fee >= 0),
	CONSTRAINT ck_pods_capacity CHECK (capacity > 0),
	CONSTRAINT ck_pods_status CHECK (status IN ('OPEN', 'FULL', 'CLOSED', 'COMPLETED', 'CANCELLED')),
	CONSTRAINT ck_pods_dates CHECK (ends_on >= starts_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Leaders' bank account numbers and resident registration numbers are held
-- only as AES-256-GCM ciphertext (nonce || tag || ciphertext); the last four
-- digits are kept in clear for people to recognise the account.
CREATE TABLE leaders (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	leader_id VARCHAR(64) NOT NULL,
	name VARCHAR(100) NOT NULL,
	kind VARCHAR(24) NOT NULL,
	business_number CHAR(10) NULL,
	email VARCHAR(254) NOT NULL,
	bank_code CHAR(3) NOT NULL,
	account_enc VARBINARY(255) NOT NULL,
	account_last4 CHAR(4) NOT NULL,
	holder_name VARCHAR(100) NOT NULL,
	rrn_enc VARBINARY(255) NULL,
	created_at DATETIME(6) NOT NULL,
	updated_at DATETIME(6) NOT NULL,
	UNIQUE KEY uk_leaders_leader_id (leader_id),
	CONSTRAINT ck_leaders_kind CHECK (kind IN ('INDIVIDUAL', 'INDIVIDUAL_BUSINESS', 'CORPORATE')),
	CONSTRAINT ck_leaders_business CHECK (kind = 'INDIVIDUAL' OR business_number IS NOT NULL)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE payments (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	public_id VARCHAR(40) NOT NULL,
	order_id VARCHAR(64) NOT NULL,
	pod_id VARCHAR(64) NOT NULL,
	user_id VARCHAR(64) NOT NULL,
	amount BIGINT NOT NULL,
	currency CHAR(3) NOT NULL,
	method VARCHAR(24) NOT NULL,
	pg VARCHAR(16) NOT NULL,
	payment_key VARCHAR(200) NULL,
	status VARCHAR(24) NOT NULL,
	refunded_amount BIGINT NOT NULL DEFAULT 0,
	confirm_key VARCHAR(128) NULL,
	pg_code VARCHAR(64) NULL,
	pg_message VARCHAR(255) NULL,
	va_secret VARCHAR(128) NULL,
	va_bank VARCHAR(16) NULL,
	va_account VARCHAR(64) NULL,
	va_due VARCHAR(40) NULL,
	approved_at DATETIME(6) NULL,
	doubt_count INT NOT NULL DEFAULT 0,
	next_check_at DATETIME(6) NULL,
	created_at DATETIME(6) NOT NULL,
	updated_at DATETIME(6) NOT NULL,
	-- One live place per user and pod: NULL (not unique) once failed,
	-- expired or fully refunded, so the user may pay again.
	live_place VARCHAR(130) GENERATED ALWAYS AS (
		CASE WHEN status IN ('PENDING', 'CONFIRMING', 'WAITING_FOR_DEPOSIT', 'COMPLETED', 'PARTIALLY_REFUNDED')
		THEN CONCAT(pod_id, '/', user_id) ELSE NULL END) STORED,
	UNIQUE KEY uk_payments_public_id (public_id),
	UNIQUE KEY uk_payments_order_id (order_id),
	UNIQUE KEY uk_payments_pg_key (pg, payment_key),
	UNIQUE KEY uk_payments_confirm_key (confirm_key),
	UNIQUE KEY uk_payments_live_place (live_place),
	KEY ix_payments_status (status, updated_at),
	KEY ix_payments_pod (pod_id, status),
	KEY ix_payments_user (user_id, created_at),
	CONSTRAINT ck_payments_amount CHECK (amount > 0),
	CONSTRAINT ck_payments_refunded CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
	CONSTRAINT ck_payments_method CHECK (method IN ('CARD', 'TRANSFER', 'VIRTUAL_ACCOUNT')),
	CONSTRAINT ck_payments_pg CHECK (pg IN ('toss', 'nicepay')),
	CONSTRAINT ck_payments_status CHECK (status IN ('PENDING', 'CONFIRMING', 'WAITING_FOR_DEPOSIT',
		'COMPLETED', 'FAILED', 'EXPIRED', 'PARTIALLY_REFUNDED', 'REFUNDED'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE payment_events (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	payment_id BIGINT UNSIGNED NOT NULL,
	from_status VARCHAR(24) NULL,
	to_status VARCHAR(24) NOT NULL,
	actor VARCHAR(64) NOT NULL,
	pg_code VARCHAR(64) NULL,
	message VARCHAR(255) NULL,
	created_at DATETIME(6) NOT NULL,
	KEY ix_payment_events_payment (payment_id, id),
	CONSTRAINT fk_payment_events_payment FOREIGN KEY (payment_id) REFERENCES payments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE refunds (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	public_id VARCHAR(40) NOT NULL,
	payment_id BIGINT UNSIGNED NOT NULL,
	amount BIGINT NOT NULL,
	currency CHAR(3) NOT NULL,
	status VARCHAR(24) NOT NULL,
	reason VARCHAR(200) NOT NULL,
	idempotency_key VARCHAR(128) NOT NULL,
	cancel_order_id VARCHAR(64) NOT NULL,
	pg_code VARCHAR(64) NULL,
	pg_message VARCHAR(255) NULL,
	pg_transaction_key VARCHAR(128) NULL,
	doubt_count INT NOT NULL DEFAULT 0,
	next_check_at DATETIME(6) NULL,
	created_at DATETIME(6) NOT NULL,
	updated_at DATETIME(6) NOT NULL,
	UNIQUE KEY uk_refunds_public_id (public_id),
	UNIQUE KEY uk_refunds_idempotency_key (idempotency_key),
	UNIQUE KEY uk_refunds_cancel_order_id (cancel_order_id),
	KEY ix_refunds_payment (payment_id),
	KEY ix_refunds_status (status, updated_at),
	CONSTRAINT fk_refunds_payment FOREIGN KEY (payment_id) REFERENCES payments (id),
	CONSTRAINT ck_refunds_amount CHECK (amount > 0),
	CONSTRAINT ck_refunds_status CHECK (status IN ('REQUESTED', 'COMPLETED', 'FAILED'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One escrow per captured payment; the ledger account is escrow:{pod}.
CREATE TABLE escrows (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	public_id VARCHAR(40) NOT NULL,
	payment_id BIGINT UNSIGNED NOT NULL,
	pod_id VARCHAR(64) NOT NULL,
	amount BIGINT NOT NULL,
	refunded_amount BIGINT NOT NULL DEFAULT 0,
	currency CHAR(3) NOT NULL,
	status VARCHAR(16) NOT NULL,
	held_at DATETIME(6) NOT NULL,
	released_at DATETIME(6) NULL,
	updated_at DATETIME(6) NOT NULL,
	UNIQUE KEY uk_escrows_public_id (public_id),
	UNIQUE KEY uk_escrows_payment (payment_id),
	KEY ix_escrows_pod_status (pod_id, status),
	KEY ix_escrows_status (status, held_at),
	CONSTRAINT fk_escrows_payment FOREIGN KEY (payment_id) REFERENCES payments (id),
	CONSTRAINT ck_escrows_amount CHECK (amount > 0),
	CONSTRAINT ck_escrows_refunded CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
	CONSTRAINT ck_escrows_status CHECK (status IN ('HOLDING', 'DISPUTED', 'RELEASED', 'REFUNDED'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE disputes (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	public_id VARCHAR(40) NOT NULL,
	escrow_id BIGINT UNSIGNED NOT NULL,
	status VARCHAR(16) NOT NULL,
	reason VARCHAR(500) NOT NULL,
	opened_by VARCHAR(64) NOT NULL,
	resolution VARCHAR(16) NULL,
	refund_amount BIGINT NULL,
	release_amount BIGINT NULL,
	opened_at DATETIME(6) NOT NULL,
	resolved_at DATETIME(6) NULL,
	UNIQUE KEY uk_disputes_public_id (public_id),
	KEY ix_disputes_escrow (escrow_id, status),
	CONSTRAINT fk_disputes_escrow FOREIGN KEY (escrow_id) REFERENCES escrows (id),
	CONSTRAINT ck_disputes_status CHECK (status IN ('OPEN', 'RESOLVED')),
	CONSTRAINT ck_disputes_resolution CHECK (resolution IS NULL OR resolution IN ('RELEASE', 'REFUND', 'SPLIT'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE settlements (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	public_id VARCHAR(40) NOT NULL,
	pod_id VARCHAR(64) NOT NULL,
	leader_id VARCHAR(64) NOT NULL,
	currency CHAR(3) NOT NULL,
	total BIGINT NOT NULL,
	fee BIGINT NOT NULL,
	vat BIGINT NOT NULL,
	leader_share BIGINT NOT NULL,
	withholding BIGINT NOT NULL,
	net BIGINT NOT NULL,
	status VARCHAR(16) NOT NULL,
	run_id BIGINT UNSIGNED NULL,
	created_at DATETIME(6) NOT NULL,
	updated_at DATETIME(6) NOT NULL,
	UNIQUE KEY uk_settlements_public_id (public_id),
	KEY ix_settlements_pod (pod_id),
	KEY ix_settlements_leader (leader_id, created_at),
	KEY ix_settlements_status (status),
	CONSTRAINT ck_settlements_amounts CHECK (total >= 0 AND fee >= 0 AND vat >= 0 AND withholding >= 0),
	CONSTRAINT ck_settlements_share CHECK (leader_share = total - fee),
	CONSTRAINT ck_settlements_net CHECK (net = leader_share - withholding),
	CONSTRAINT ck_settlements_status CHECK (status IN ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE payouts (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	public_id VARCHAR(40) NOT NULL,
	settlement_id BIGINT UNSIGNED NOT NULL,
	leader_id VARCHAR(64) NOT NULL,
	amount BIGINT NOT NULL,
	currency CHAR(3) NOT NULL,
	status VARCHAR(16) NOT NULL,
	idempotency_key VARCHAR(128) NOT NULL,
	bank_reference VARCHAR(128) NULL,
	failure_code VARCHAR(64) NULL,
	failure_message VARCHAR(255) NULL,
	created_at DATETIME(6) NOT NULL,
	updated_at DATETIME(6) NOT NULL,
	UNIQUE KEY uk_payouts_public_id (public_id),
	UNIQUE KEY uk_payouts_idempotency_key (idempotency_key),
	UNIQUE KEY uk_payouts_bank_reference (bank_reference),
	KEY ix_payouts_settlement (settlement_id),
	KEY ix_payouts_status (status, updated_at),
	CONSTRAINT fk_payouts_settlement FOREIGN KEY (settlement_id) REFERENCES settlements (id),
	CONSTRAINT ck_payouts_amount CHECK (amount > 0),
	CONSTRAINT ck_payouts_status CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'PAID', 'FAILED', 'RETURNED'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE tax_invoices (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	public_id VARCHAR(40) NOT NULL,
	leader_id VARCHAR(64) NOT NULL,
	period CHAR(7) NOT NULL,
	currency CHAR(3) NOT NULL,
	supply BIGINT NOT NULL,
	vat BIGINT NOT NULL,
	total BIGINT NOT NULL,
	status VARCHAR(16) NOT NULL,
	original_id BIGINT UNSIGNED NULL,
	nts_issue_id CHAR(24) NULL,
	created_at DATETIME(6) NOT NULL,
	updated_at DATETIME(6) NOT NULL,
	UNIQUE KEY uk_tax_invoices_public_id (public_id),
	UNIQUE KEY uk_tax_invoices_nts_issue_id (nts_issue_id),
	KEY ix_tax_invoices_leader_period (leader_id, period),
	CONSTRAINT fk_tax_invoices_original FOREIGN KEY (original_id) REFERENCES tax_invoices (id),
	CONSTRAINT ck_tax_invoices_total CHECK (total = supply + vat),
	CONSTRAINT ck_tax_invoices_status CHECK (status IN ('DRAFT', 'ISSUED', 'SENT', 'ACCEPTED', 'REJECTED'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE webhook_events (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	source VARCHAR(16) NOT NULL,
	event_id VARCHAR(200) NOT NULL,
	event_type VARCHAR(64) NOT NULL,
	body MEDIUMTEXT NOT NULL,
	status VARCHAR(16) NOT NULL,
	received_at DATETIME(6) NOT NULL,
	processed_at DATETIME(6) NULL,
	UNIQUE KEY uk_webhook_events_source_event (source, event_id),
	KEY ix_webhook_events_status (status, received_at),
	CONSTRAINT ck_webhook_events_status CHECK (status IN ('RECEIVED', 'PROCESSED', 'IGNORED', 'FAILED'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE job_runs (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	job VARCHAR(64) NOT NULL,
	owner VARCHAR(128) NOT NULL,
	status VARCHAR(16) NOT NULL,
	done_count BIGINT NOT NULL DEFAULT 0,
	failed_count BIGINT NOT NULL DEFAULT 0,
	message VARCHAR(500) NULL,
	started_at DATETIME(6) NOT NULL,
	finished_at DATETIME(6) NULL,
	KEY ix_job_runs_job (job, started_at),
	CONSTRAINT ck_job_runs_status CHECK (status IN ('RUNNING', 'DONE', 'PARTIAL', 'FAILED'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A job that must run alone holds its row: owner, expiry, and a fencing
-- token that grows with every take-over so a stale owner can be detected.
CREATE TABLE job_leases (
	name VARCHAR(64) NOT NULL PRIMARY KEY,
	owner VARCHAR(128) NULL,
	token BIGINT UNSIGNED NOT NULL DEFAULT 0,
	acquired_at DATETIME(6) NULL,
	expires_at DATETIME(6) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The ledger. entry_key is the business event's natural idempotency key
-- ("capture:pay_…"), so the same event can never be posted twice.
CREATE TABLE journal_entries (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	entry_key VARCHAR(160) NOT NULL,
	kind VARCHAR(32) NOT NULL,
	ref VARCHAR(96) NOT NULL,
	reverses_id BIGINT UNSIGNED NULL,
	created_at DATETIME(6) NOT NULL,
	UNIQUE KEY uk_journal_entries_key (entry_key),
	KEY ix_journal_entries_ref (ref),
	KEY ix_journal_entries_created (created_at),
	CONSTRAINT fk_journal_entries_reverses FOREIGN KEY (reverses_id) REFERENCES journal_entries (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE postings (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	entry_id BIGINT UNSIGNED NOT NULL,
	account VARCHAR(128) NOT NULL,
	amount BIGINT NOT NULL,
	currency CHAR(3) NOT NULL,
	KEY ix_postings_entry (entry_id),
	KEY ix_postings_account (account, currency),
	CONSTRAINT fk_postings_entry FOREIGN KEY (entry_id) REFERENCES journal_entries (id),
	CONSTRAINT ck_postings_amount CHECK (amount <> 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER journal_entries_no_update BEFORE UPDATE ON journal_entries FOR EACH ROW
	SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'journal_entries is append-only: post a reversing entry';
CREATE TRIGGER journal_entries_no_delete BEFORE DELETE ON journal_entries FOR EACH ROW
	SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'journal_entries is append-only: post a reversing entry';
CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings FOR EACH ROW
	SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'postings is append-only: post a reversing entry';
CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings FOR EACH ROW
	SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'postings is append-only: post a reversing entry';

-- 007_reconcile.sql — PG reconciliation (settle-report reconcile --post):
-- one row per PG settlement record that settle has booked, written in the
-- same transaction as its journal entry (pg_settlement:{pg}:{transaction
-- key}), so a record is booked once however often the report is posted.
-- [reconcile] settled_into says where the PG paid it (bank or its balance).
-- Keys are compared byte for byte: the PGs' keys are case-sensitive.

CREATE TABLE pg_settlement_records (
	pg VARCHAR(16) NOT NULL,
	transaction_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	payment_key VARCHAR(200) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	kind VARCHAR(8) NOT NULL,
	amount BIGINT NOT NULL,
	fee BIGINT NOT NULL,
	payout BIGINT NOT NULL,
	currency CHAR(3) NOT NULL,
	sold_date DATE NOT NULL,
	paid_out_date DATE NOT NULL,
	matched_ref VARCHAR(40) NOT NULL,
	entry_key VARCHAR(160) NULL, -- NULL: nothing moved (settled into the PG balance, no fee)
	booked_at DATETIME(6) NOT NULL,
	PRIMARY KEY (pg, transaction_key),
	UNIQUE KEY uk_pg_settlement_records_entry (entry_key),
	KEY ix_pg_settlement_records_payment (pg, payment_key),
	KEY ix_pg_settlement_records_paid_out (paid_out_date),
	CONSTRAINT ck_pg_settlement_records_kind CHECK (kind IN ('payment', 'cancel')),
	CONSTRAINT ck_pg_settlement_records_payout CHECK (payout = amount - fee),
	CONSTRAINT ck_pg_settlement_records_sign CHECK ((kind = 'payment' AND amount > 0) OR (kind = 'cancel' AND amount < 0))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

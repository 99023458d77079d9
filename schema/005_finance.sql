-- 005_finance.sql — what settle-report writes (issue 10, parts 3 and 4):
-- remittances of tax to the tax office and the months closed.
--
-- A remittance is booked once per kind and period (uk_remittances_period;
-- its journal entry's key remittance:{kind}:{period} is the ledger's own
-- guard). A month is closed once; its pack's manifest digest is kept so an
-- auditor can check the files later.

CREATE TABLE remittances (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	public_id VARCHAR(40) NOT NULL,
	kind VARCHAR(16) NOT NULL,
	period VARCHAR(16) NOT NULL,
	currency CHAR(3) NOT NULL,
	amount BIGINT NOT NULL,
	paid_on DATE NOT NULL,
	created_at DATETIME(6) NOT NULL,
	UNIQUE KEY uk_remittances_public_id (public_id),
	UNIQUE KEY uk_remittances_period (kind, period),
	CONSTRAINT ck_remittances_kind CHECK (kind IN ('withholding', 'vat')),
	CONSTRAINT ck_remittances_amount CHECK (amount > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE month_closes (
	month CHAR(7) NOT NULL PRIMARY KEY,
	dir VARCHAR(512) NOT NULL,
	manifest_sha256 CHAR(64) NOT NULL,
	closed_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The reports read payouts by the instant they were sent and settlements
-- and clawbacks by the instant they were made.
ALTER TABLE payouts ADD KEY ix_payouts_sent (sent_at);
ALTER TABLE payouts ADD KEY ix_payouts_created (created_at);
ALTER TABLE settlements ADD KEY ix_settlements_created (created_at);
ALTER TABLE clawbacks ADD KEY ix_clawbacks_created (created_at);

-- 004_settlement.sql — what escrow release, settlement and payouts need
-- beyond v1 (issue 9; DESIGN.md §4–§7).
--
-- Withholding is the payer's duty at payment, so it lives on payouts, not
-- settlements (settlements.withholding stays 0 and net = leader_share).
-- A payout carries many settlements and clawbacks through payout_items;
-- an item belongs to at most one live payout (uk_payout_items_live).

-- A pod's own platform fee rate, when it differs from [settlement] fee_bps.
ALTER TABLE pods
	ADD COLUMN fee_bps INT NULL AFTER fee,
	ADD CONSTRAINT ck_pods_fee_bps CHECK (fee_bps IS NULL OR fee_bps BETWEEN 0 AND 10000);

-- A leader may exist before their bank account is known (their payouts are
-- HELD until it is); toss_seller_id is their seller id at Toss payouts.
ALTER TABLE leaders
	MODIFY bank_code CHAR(3) NULL,
	MODIFY account_enc VARBINARY(255) NULL,
	MODIFY account_last4 CHAR(4) NULL,
	MODIFY holder_name VARCHAR(100) NULL,
	ADD COLUMN toss_seller_id VARCHAR(64) NULL;

-- released_amount: what this escrow has on released:{pod} (a refund after
-- the release moves its amount from released_amount to refunded_amount);
-- settlement_id: the settlement that took it (NULL while unsettled);
-- release_asap: a resolved dispute releases without waiting for the hold.
ALTER TABLE escrows
	ADD COLUMN released_amount BIGINT NOT NULL DEFAULT 0 AFTER refunded_amount,
	ADD COLUMN settlement_id BIGINT UNSIGNED NULL,
	ADD COLUMN release_asap TINYINT NOT NULL DEFAULT 0,
	ADD KEY ix_escrows_unsettled (status, settlement_id, pod_id),
	ADD CONSTRAINT ck_escrows_released CHECK (released_amount >= 0 AND released_amount + refunded_amount <= amount);

CREATE TABLE dispute_events (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	dispute_id BIGINT UNSIGNED NOT NULL,
	step VARCHAR(24) NOT NULL,
	actor VARCHAR(64) NOT NULL,
	message VARCHAR(500) NULL,
	created_at DATETIME(6) NOT NULL,
	KEY ix_dispute_events_dispute (dispute_id, id),
	CONSTRAINT fk_dispute_events_dispute FOREIGN KEY (dispute_id) REFERENCES disputes (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One open dispute per escrow at a time.
ALTER TABLE disputes
	ADD COLUMN open_escrow BIGINT UNSIGNED GENERATED ALWAYS AS (CASE WHEN status = 'OPEN' THEN escrow_id ELSE NULL END) STORED,
	ADD UNIQUE KEY uk_disputes_open_escrow (open_escrow);

ALTER TABLE settlements
	ADD COLUMN supply BIGINT NOT NULL DEFAULT 0 AFTER fee,
	ADD COLUMN fee_bps INT NOT NULL DEFAULT 2000 AFTER currency,
	ADD COLUMN clawed_back BIGINT NOT NULL DEFAULT 0,
	ADD CONSTRAINT ck_settlements_vat CHECK (supply + vat = fee),
	ADD CONSTRAINT ck_settlements_clawed CHECK (clawed_back >= 0 AND clawed_back <= total);

-- A refund of a settled payment: what each account took back.
CREATE TABLE clawbacks (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	public_id VARCHAR(40) NOT NULL,
	settlement_id BIGINT UNSIGNED NOT NULL,
	refund_id BIGINT UNSIGNED NOT NULL,
	leader_id VARCHAR(64) NOT NULL,
	currency CHAR(3) NOT NULL,
	refund BIGINT NOT NULL,
	leader_part BIGINT NOT NULL,
	supply_part BIGINT NOT NULL,
	vat_part BIGINT NOT NULL,
	created_at DATETIME(6) NOT NULL,
	UNIQUE KEY uk_clawbacks_public_id (public_id),
	UNIQUE KEY uk_clawbacks_refund (refund_id),
	KEY ix_clawbacks_leader (leader_id),
	CONSTRAINT fk_clawbacks_settlement FOREIGN KEY (settlement_id) REFERENCES settlements (id),
	CONSTRAINT fk_clawbacks_refund FOREIGN KEY (refund_id) REFERENCES refunds (id),
	CONSTRAINT ck_clawbacks_parts CHECK (leader_part + supply_part + vat_part = refund AND leader_part >= 0
		AND supply_part >= 0 AND vat_part >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Payouts carry items; the money and the withholding are the payout's.
ALTER TABLE payouts
	DROP FOREIGN KEY fk_payouts_settlement,
	MODIFY settlement_id BIGINT UNSIGNED NULL,
	ADD COLUMN gross BIGINT NOT NULL DEFAULT 0 AFTER leader_id,
	ADD COLUMN income_tax BIGINT NOT NULL DEFAULT 0 AFTER gross,
	ADD COLUMN local_tax BIGINT NOT NULL DEFAULT 0 AFTER income_tax,
	ADD COLUMN withholding BIGINT NOT NULL DEFAULT 0 AFTER local_tax,
	ADD COLUMN leader_kind VARCHAR(24) NOT NULL DEFAULT 'INDIVIDUAL',
	ADD COLUMN channel VARCHAR(24) NOT NULL DEFAULT 'bulk-file',
	ADD COLUMN business_date DATE NULL,
	ADD COLUMN doubt_count INT NOT NULL DEFAULT 0,
	ADD COLUMN next_check_at DATETIME(6) NULL,
	ADD COLUMN sent_at DATETIME(6) NULL,
	ADD COLUMN paid_at DATETIME(6) NULL,
	ADD COLUMN claimed_until DATETIME(6) NULL,
	ADD COLUMN claimed_by VARCHAR(64) NULL,
	DROP CONSTRAINT ck_payouts_status,
	ADD CONSTRAINT ck_payouts_status2 CHECK (status IN ('HELD', 'PENDING', 'SENDING', 'SENT', 'PAID', 'FAILED', 'RETURNED')),
	ADD CONSTRAINT ck_payouts_money CHECK (gross > 0 AND withholding = income_tax + local_tax AND amount = gross - withholding);

CREATE TABLE payout_items (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	payout_id BIGINT UNSIGNED NOT NULL,
	item_kind VARCHAR(16) NOT NULL,
	item_id BIGINT UNSIGNED NOT NULL,
	amount BIGINT NOT NULL,
	-- 1 while the payout is live; NULL once it FAILED or was RETURNED, so
	-- the item may be carried by a new payout.
	live TINYINT NULL DEFAULT 1,
	UNIQUE KEY uk_payout_items_live (item_kind, item_id, live),
	KEY ix_payout_items_payout (payout_id),
	CONSTRAINT fk_payout_items_payout FOREIGN KEY (payout_id) REFERENCES payouts (id),
	CONSTRAINT ck_payout_items_kind CHECK (item_kind IN ('SETTLEMENT', 'CLAWBACK')),
	CONSTRAINT ck_payout_items_live CHECK (live IS NULL OR live = 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Cursors of jobs that read another system incrementally (the Study
-- Service's pod completions).
CREATE TABLE job_cursors (
	name VARCHAR(64) NOT NULL PRIMARY KEY,
	position VARCHAR(200) NOT NULL,
	updated_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE job_runs
	ADD COLUMN host VARCHAR(64) NULL AFTER owner,
	ADD COLUMN pid INT NULL AFTER host,
	ADD COLUMN counts VARCHAR(500) NULL;

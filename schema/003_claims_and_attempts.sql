-- 003_claims_and_attempts.sql — work claims as leases in the rows, and the
-- PG key of an open confirm kept apart from the key a payment owns.
--
-- claimed_until / claimed_by: a batch runner's claim on a work row (see
-- libsettle/ports/claims.h). A claim expires on its own after a short
-- lease, so a killed runner's work is taken up by the next run; it is kept
-- apart from next_check_at, which is the job's own back-off.
--
-- attempt_key: the key a PG redirect brought while the confirm is open.
-- payment_key (unique per PG) is set only once the PG confirmed the key for
-- this order, so a refused confirm reserves nothing.
ALTER TABLE payments
	ADD COLUMN attempt_key VARCHAR(200) NULL AFTER payment_key,
	ADD COLUMN claimed_until DATETIME(6) NULL,
	ADD COLUMN claimed_by VARCHAR(64) NULL,
	ADD KEY ix_payments_attempt_key (pg, attempt_key);

-- A FAILED or EXPIRED payment never owned the key it tried.
UPDATE payments SET attempt_key = payment_key;
UPDATE payments SET payment_key = NULL WHERE status IN ('PENDING', 'CONFIRMING', 'FAILED', 'EXPIRED');

ALTER TABLE refunds
	ADD COLUMN claimed_until DATETIME(6) NULL,
	ADD COLUMN claimed_by VARCHAR(64) NULL;

ALTER TABLE participation_confirms
	ADD COLUMN refused_at DATETIME(6) NULL AFTER done_at,
	ADD COLUMN claimed_until DATETIME(6) NULL,
	ADD COLUMN claimed_by VARCHAR(64) NULL;

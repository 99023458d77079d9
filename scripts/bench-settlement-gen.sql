-- bench-settlement-gen.sql — part (d) of `make bench`: the fixture, written
-- straight into a freshly migrated database with set-based SQL.
--
-- Set before sourcing: @n (payments), @enc (account_enc ciphertext of one
-- leader loaded with `settle-db load-leaders`). Writes @n captured payments
-- of 50 000 KRW over @n/10 pods (10 each), @n/20 leaders (2 pods each; every
-- fifth INDIVIDUAL, the others INDIVIDUAL_BUSINESS / CORPORATE), pods
-- COMPLETED 10 days ago; every 50th payment refunded before release
-- (payment and escrow REFUNDED, refund COMPLETED, entry refund:{ref}), every
-- 100th (offset 1) disputed (escrow DISPUTED, an OPEN dispute). Entries and
-- postings follow the programs: capture:{pay} pg_clearing + / escrow:{pod} −,
-- refund:{ref} escrow:{pod} + / pg_clearing −.
SET @pods = GREATEST(1, @n DIV 10);
SET @leaders = GREATEST(1, @pods DIV 2);
SET @t0 = UTC_TIMESTAMP(6) - INTERVAL 12 DAY, @done = UTC_TIMESTAMP(6) - INTERVAL 10 DAY;
SET SESSION unique_checks = 0, SESSION foreign_key_checks = 0;

SET @q = CONCAT("INSERT INTO leaders (leader_id, name, kind, business_number, email, bank_code, account_enc,
	account_last4, holder_name, created_at, updated_at)
	SELECT CONCAT('bl-', LPAD(seq, 7, '0')), CONCAT('Leader ', seq),
		CASE WHEN seq % 5 = 0 THEN 'INDIVIDUAL' WHEN seq % 2 = 0 THEN 'CORPORATE' ELSE 'INDIVIDUAL_BUSINESS' END,
		IF(seq % 5 = 0, NULL, '1234567890'), CONCAT('l', seq, '@example.com'), '004', @enc, '1234',
		CONCAT('Leader ', seq), @t0, @t0 FROM seq_1_to_", @leaders);
PREPARE s FROM @q; EXECUTE s;

SET @q = CONCAT("INSERT INTO pods (pod_id, leader_id, title, fee, currency, capacity, status, starts_on, ends_on,
	completed_at, refreshed_at)
	SELECT CONCAT('bp-', LPAD(seq, 7, '0')), CONCAT('bl-', LPAD((seq - 1) DIV 2 + 1, 7, '0')), CONCAT('Pod ', seq),
		50000, 'KRW', 20, 'COMPLETED', DATE(@t0) - INTERVAL 30 DAY, DATE(@done), @done, @done FROM seq_1_to_", @pods);
PREPARE s FROM @q; EXECUTE s;

SET @q = CONCAT("INSERT INTO payments (id, public_id, order_id, pod_id, user_id, amount, currency, method, pg,
	payment_key, status, refunded_amount, confirm_key, approved_at, created_at, updated_at)
	SELECT seq, CONCAT('pay_b', LPAD(seq, 9, '0')), CONCAT('ord-b', LPAD(seq, 9, '0')),
		CONCAT('bp-', LPAD((seq - 1) DIV 10 + 1, 7, '0')), CONCAT('u', seq), 50000, 'KRW', 'CARD', 'toss',
		CONCAT('pk_b', seq), IF(seq % 50 = 0, 'REFUNDED', 'COMPLETED'), IF(seq % 50 = 0, 50000, 0),
		CONCAT('confirm-b', seq), @t0, @t0, @t0 FROM seq_1_to_", @n);
PREPARE s FROM @q; EXECUTE s;

INSERT INTO escrows (id, public_id, payment_id, pod_id, amount, refunded_amount, currency, status, held_at, updated_at)
	SELECT p.id, CONCAT('esc_b', LPAD(p.id, 9, '0')), p.id, p.pod_id, p.amount, p.refunded_amount, p.currency,
		CASE WHEN p.status = 'REFUNDED' THEN 'REFUNDED' WHEN p.id % 100 = 1 THEN 'DISPUTED' ELSE 'HOLDING' END,
		@t0, @t0 FROM payments p;

INSERT INTO disputes (public_id, escrow_id, status, reason, opened_by, opened_at)
	SELECT CONCAT('dsp_b', LPAD(e.id, 9, '0')), e.id, 'OPEN', 'bench', 'user', @t0
	FROM escrows e WHERE e.status = 'DISPUTED';

INSERT INTO refunds (id, public_id, payment_id, amount, currency, status, reason, idempotency_key, cancel_order_id,
	created_at, updated_at)
	SELECT p.id, CONCAT('ref_b', LPAD(p.id, 9, '0')), p.id, p.amount, p.currency, 'COMPLETED', 'bench',
		CONCAT('refund-b', p.id), CONCAT('cxl-b', p.id), @t0 + INTERVAL 1 HOUR, @t0 + INTERVAL 1 HOUR
	FROM payments p WHERE p.status = 'REFUNDED';

-- Entry ids are chosen here (capture = payment id, refund = @n + refund id)
-- so the postings need no look-up by key.
INSERT INTO journal_entries (id, entry_key, kind, ref, created_at)
	SELECT p.id, CONCAT('capture:', p.public_id), 'capture', p.public_id, @t0 FROM payments p;
INSERT INTO journal_entries (id, entry_key, kind, ref, created_at)
	SELECT @n + r.id, CONCAT('refund:', r.public_id), 'refund', r.public_id, r.created_at FROM refunds r;

INSERT INTO postings (entry_id, account, amount, currency)
	SELECT p.id, IF(k.seq = 1, 'pg_clearing', CONCAT('escrow:', p.pod_id)), IF(k.seq = 1, p.amount, -p.amount),
		p.currency
	FROM payments p JOIN seq_1_to_2 k ORDER BY p.id, k.seq;
INSERT INTO postings (entry_id, account, amount, currency)
	SELECT @n + r.id, IF(k.seq = 1, CONCAT('escrow:', p.pod_id), 'pg_clearing'), IF(k.seq = 1, r.amount, -r.amount),
		r.currency
	FROM refunds r JOIN payments p ON p.id = r.payment_id JOIN seq_1_to_2 k ORDER BY r.id, k.seq;

SET SESSION unique_checks = 1, SESSION foreign_key_checks = 1;

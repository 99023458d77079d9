-- bench-report-gen.sql — part (e) of `make bench`: settlements to report,
-- written straight into a freshly migrated database with set-based SQL.
--
-- Set before sourcing: @n (settlements). Writes @n pods (over @n/10
-- leaders) and one COMPLETED settlement each (500 000 KRW: fee 100 000 =
-- supply 90 909 + VAT 9 091, leader share 400 000), made in October 2026
-- (Korea time, spread over its first 28 days in id order, as settle-run
-- makes them: a settlement's id grows with its time), and one PAID payout per two
-- settlements carrying both (payout_items), so the report's joins to the
-- carrying payout are exercised. The ledger is not written: the benchmark
-- measures reading and writing rows, not the totals' proof (the tests do that).
SET @leaders = GREATEST(1, @n DIV 10);
SET @t0 = TIMESTAMP('2026-09-30 15:00:00');
SET SESSION unique_checks = 0, SESSION foreign_key_checks = 0;

SET @q = CONCAT("INSERT INTO pods (pod_id, leader_id, title, fee, currency, capacity, status, starts_on, ends_on,
	completed_at, refreshed_at)
	SELECT CONCAT('rp-', LPAD(seq, 7, '0')), CONCAT('rl-', LPAD((seq - 1) MOD @leaders + 1, 7, '0')),
		CONCAT('Study \"', seq, '\", evenings'), 50000, 'KRW', 20, 'COMPLETED', '2026-09-01', '2026-09-30', @t0, @t0
	FROM seq_1_to_", @n);
PREPARE s FROM @q; EXECUTE s;

SET @q = CONCAT("INSERT INTO settlements (public_id, pod_id, leader_id, currency, fee_bps, total, fee, supply, vat,
	leader_share, withholding, net, status, created_at, updated_at)
	SELECT CONCAT('set_r', LPAD(seq, 8, '0')), CONCAT('rp-', LPAD(seq, 7, '0')),
		CONCAT('rl-', LPAD((seq - 1) MOD @leaders + 1, 7, '0')), 'KRW', 2000, 500000, 100000, 90909, 9091, 400000, 0,
		400000, 'COMPLETED', @t0 + INTERVAL (seq * 2419200 DIV @n) SECOND, @t0 + INTERVAL (seq * 2419200 DIV @n) SECOND
	FROM seq_1_to_", @n);
PREPARE s FROM @q; EXECUTE s;

SET @q = CONCAT("INSERT INTO payouts (public_id, settlement_id, leader_id, gross, income_tax, local_tax, withholding,
	amount, currency, status, idempotency_key, leader_kind, channel, business_date, sent_at, paid_at, created_at, updated_at)
	SELECT CONCAT('pyo_r', LPAD(seq, 8, '0')), NULL, CONCAT('rl-', LPAD((2 * seq - 2) MOD @leaders + 1, 7, '0')),
		800000, 0, 0, 0, 800000, 'KRW', 'PAID', CONCAT('payout:r', seq), 'CORPORATE', 'bulk-file', '2026-10-29',
		@t0 + INTERVAL 29 DAY, @t0 + INTERVAL 29 DAY, @t0 + INTERVAL 28 DAY, @t0 + INTERVAL 29 DAY
	FROM seq_1_to_", GREATEST(1, @n DIV 2));
PREPARE s FROM @q; EXECUTE s;

-- ids are 1..n in a fresh database: settlement seq goes into payout (seq + 1) DIV 2
SET @q = CONCAT("INSERT INTO payout_items (payout_id, item_kind, item_id, amount, live)
	SELECT (seq + 1) DIV 2, 'SETTLEMENT', seq, 400000, 1 FROM seq_1_to_", @n);
PREPARE s FROM @q; EXECUTE s;

-- bench-settlement-floor.sql — the pure-SQL floor of part (d): the rows and
-- postings escrow-release and settle-run write, by a handful of set-based
-- statements inside MariaDB. Sourced with @phase = 'release' or 'settle'
-- (timed separately by bench-settlement.sh). Defaults as the programs run
-- them in the bench: hold 7 days, fee 2000 bps unless the pod says,
-- withholding 3 % + 10 % of it, each cut to ₩10, channel bulk-file.
-- Like the programs, every journal entry carries a SHA-256 of its content
-- (here SHA2() over the same facts, not the programs' exact encoding), and
-- the outbox gets the notices they write: a leader's per pod released, a
-- leader's statement per settle-run.
DELIMITER //
CREATE OR REPLACE PROCEDURE bench_floor(phase VARCHAR(16))
BEGIN
	SET @now = UTC_TIMESTAMP(6);
	SET @cutoff = @now - INTERVAL 7 DAY;
	SET @today = DATE(@now + INTERVAL 9 HOUR);
	IF phase = 'release' THEN
		START TRANSACTION;
		UPDATE escrows e JOIN pods d ON d.pod_id = e.pod_id
			SET e.status = 'RELEASED', e.released_amount = e.amount - e.refunded_amount, e.released_at = @now,
			    e.release_asap = 0, e.updated_at = @now
			WHERE e.status = 'HOLDING' AND (e.release_asap = 1 OR (d.status = 'COMPLETED'
			      AND d.completed_at IS NOT NULL AND d.completed_at < @cutoff))
			  AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.payment_id = e.payment_id AND r.status = 'REQUESTED');
		SET @je0 = (SELECT COALESCE(MAX(id), 0) FROM journal_entries);
		INSERT INTO journal_entries (entry_key, kind, ref, created_at, hash)
			SELECT CONCAT('release:', e.public_id), 'release', e.public_id, @now,
				SHA2(CONCAT_WS('|', CONCAT('release:', e.public_id), 'release', e.public_id, @now,
					CONCAT('escrow:', e.pod_id, '=', e.released_amount),
					CONCAT('released:', e.pod_id, '=', -e.released_amount), e.currency), 256)
			FROM escrows e
			WHERE e.status = 'RELEASED' AND e.released_at = @now ORDER BY e.id;
		INSERT INTO postings (entry_id, account, amount, currency)
			SELECT j.id, CONCAT(IF(k.seq = 1, 'escrow:', 'released:'), e.pod_id),
				IF(k.seq = 1, e.released_amount, -e.released_amount), e.currency
			FROM journal_entries j JOIN escrows e ON e.public_id = j.ref JOIN seq_1_to_2 k
			WHERE j.id > @je0 AND j.kind = 'release' ORDER BY j.id, k.seq;
		INSERT INTO notifications (notify_key, template, recipient_kind, recipient_id, facts, created_at)
			SELECT CONCAT('escrow.released:', e.pod_id, ':', MIN(e.public_id)), 'escrow.released', 'leader',
				d.leader_id, JSON_OBJECT('pod', e.pod_id, 'title', d.title, 'amount', SUM(e.released_amount),
					'currency', e.currency, 'participants', COUNT(*), 'released_at', @now), @now
			FROM escrows e JOIN pods d ON d.pod_id = e.pod_id
			WHERE e.status = 'RELEASED' AND e.released_at = @now
			GROUP BY e.pod_id, d.leader_id, d.title, e.currency;
		COMMIT;
	ELSE
		START TRANSACTION;
		SET @s0 = (SELECT COALESCE(MAX(id), 0) FROM settlements);
		INSERT INTO settlements (public_id, pod_id, leader_id, currency, fee_bps, total, fee, supply, vat,
			leader_share, withholding, net, status, created_at, updated_at)
			SELECT CONCAT('set_f', x.pod_id), x.pod_id, x.leader_id, x.currency, x.bps, x.total, x.fee,
				x.fee * 10 DIV 11, x.fee - x.fee * 10 DIV 11, x.total - x.fee, 0, x.total - x.fee,
				'COMPLETED', @now, @now
			FROM (SELECT t.*, t.total * t.bps DIV 10000 AS fee
			      FROM (SELECT d.pod_id, d.leader_id, e.currency, COALESCE(d.fee_bps, 2000) AS bps,
					   SUM(e.released_amount) AS total
				    FROM escrows e JOIN pods d ON d.pod_id = e.pod_id JOIN leaders l ON l.leader_id = d.leader_id
				    WHERE e.status = 'RELEASED' AND e.settlement_id IS NULL AND e.released_amount > 0
				    GROUP BY d.pod_id, d.leader_id, d.fee_bps, e.currency) t) x
			ORDER BY x.leader_id, x.pod_id;
		UPDATE escrows e JOIN settlements s ON s.pod_id = e.pod_id AND s.currency = e.currency AND s.id > @s0
			SET e.settlement_id = s.id, e.updated_at = @now
			WHERE e.status = 'RELEASED' AND e.settlement_id IS NULL AND e.released_amount > 0;
		SET @je0 = (SELECT COALESCE(MAX(id), 0) FROM journal_entries);
		INSERT INTO journal_entries (entry_key, kind, ref, created_at, hash)
			SELECT CONCAT('settlement:', s.public_id), 'settlement', s.public_id, @now,
				SHA2(CONCAT_WS('|', CONCAT('settlement:', s.public_id), 'settlement', s.public_id, @now,
					CONCAT('released:', s.pod_id, '=', s.total), CONCAT('platform_revenue=', -s.supply),
					CONCAT('vat_payable=', -s.vat), CONCAT('leader_payable:', s.leader_id, '=', -s.leader_share),
					s.currency), 256)
			FROM settlements s
			WHERE s.id > @s0 ORDER BY s.id;
		INSERT INTO notifications (notify_key, template, recipient_kind, recipient_id, facts, created_at)
			SELECT CONCAT('settlement.made:', MIN(s.public_id)), 'settlement.made', 'leader', s.leader_id,
				JSON_OBJECT('pods', GROUP_CONCAT(CONCAT(s.pod_id, ' — ', s.total, ' — ', s.fee, ' — ', s.vat)
					ORDER BY s.pod_id SEPARATOR '\n'), 'total', SUM(s.total), 'fee', SUM(s.fee),
					'vat', SUM(s.vat), 'share', SUM(s.leader_share), 'currency', s.currency), @now
			FROM settlements s WHERE s.id > @s0 GROUP BY s.leader_id, s.currency;
		INSERT INTO postings (entry_id, account, amount, currency)
			SELECT j.id, ELT(k.seq, CONCAT('released:', s.pod_id), 'platform_revenue', 'vat_payable',
					CONCAT('leader_payable:', s.leader_id)),
				ELT(k.seq, s.total, -s.supply, -s.vat, -s.leader_share), s.currency
			FROM journal_entries j JOIN settlements s ON s.public_id = j.ref JOIN seq_1_to_4 k
			WHERE j.id > @je0 AND ELT(k.seq, s.total, s.supply, s.vat, s.leader_share) <> 0
			ORDER BY j.id, k.seq;
		SET @p0 = (SELECT COALESCE(MAX(id), 0) FROM payouts);
		INSERT INTO payouts (public_id, leader_id, leader_kind, currency, gross, income_tax, local_tax, withholding,
			amount, status, channel, idempotency_key, business_date, created_at, updated_at)
			SELECT CONCAT('pyo_f', y.leader_id), y.leader_id, y.kind, y.currency, y.gross, y.inc, y.loc,
				y.inc + y.loc, y.gross - y.inc - y.loc, IF(y.has_account, 'PENDING', 'HELD'), 'bulk-file',
				CONCAT('payout:pyo_f', y.leader_id), @today, @now, @now
			FROM (SELECT z.*, IF(z.kind = 'INDIVIDUAL', (z.inc * 1000 DIV 10000) DIV 10 * 10, 0) AS loc
			      FROM (SELECT s.leader_id, l.kind, l.account_enc IS NOT NULL AS has_account, s.currency,
					   SUM(s.leader_share) AS gross,
					   IF(l.kind = 'INDIVIDUAL', (SUM(s.leader_share) * 300 DIV 10000) DIV 10 * 10, 0) AS inc
				    FROM settlements s JOIN leaders l ON l.leader_id = s.leader_id
				    WHERE s.id > @s0 GROUP BY s.leader_id, l.kind, has_account, s.currency) z) y
			WHERE y.gross - y.inc - y.loc >= 1
			ORDER BY y.leader_id;
		INSERT INTO payout_items (payout_id, item_kind, item_id, amount)
			SELECT p.id, 'SETTLEMENT', s.id, s.leader_share
			FROM payouts p JOIN settlements s ON s.leader_id = p.leader_id AND s.id > @s0
			WHERE p.id > @p0 ORDER BY p.id, s.id;
		SET @je0 = (SELECT COALESCE(MAX(id), 0) FROM journal_entries);
		INSERT INTO journal_entries (entry_key, kind, ref, created_at, hash)
			SELECT CONCAT('withholding:', p.public_id), 'withholding', p.public_id, @now,
				SHA2(CONCAT_WS('|', CONCAT('withholding:', p.public_id), 'withholding', p.public_id, @now,
					CONCAT('leader_payable:', p.leader_id, '=', p.withholding),
					CONCAT('withholding_payable=', -p.withholding), p.currency), 256)
			FROM payouts p
			WHERE p.id > @p0 AND p.withholding > 0 ORDER BY p.id;
		INSERT INTO postings (entry_id, account, amount, currency)
			SELECT j.id, IF(k.seq = 1, CONCAT('leader_payable:', p.leader_id), 'withholding_payable'),
				IF(k.seq = 1, p.withholding, -p.withholding), p.currency
			FROM journal_entries j JOIN payouts p ON p.public_id = j.ref JOIN seq_1_to_2 k
			WHERE j.id > @je0 ORDER BY j.id, k.seq;
		COMMIT;
	END IF;
END //
DELIMITER ;

-- settlement-digest.sql — what every settlement run must agree on, row by
-- row (public ids and times left out: they differ by design): the
-- checksums scripts/bench-settlement.sh and scripts/galera-lib.sh compare.
SELECT 'settlements', COUNT(*), MD5(COALESCE(GROUP_CONCAT(CONCAT_WS(',', pod_id, leader_id, currency, fee_bps,
	total, fee, supply, vat, leader_share, withholding, net, status) ORDER BY pod_id SEPARATOR ';'), ''))
	FROM settlements;
SELECT 'payouts', COUNT(*), MD5(COALESCE(GROUP_CONCAT(CONCAT_WS(',', leader_id, leader_kind, currency, gross,
	income_tax, local_tax, withholding, amount, status, channel) ORDER BY leader_id SEPARATOR ';'), ''))
	FROM payouts;
SELECT 'payout_items', COUNT(*), MD5(COALESCE(GROUP_CONCAT(CONCAT_WS(',', p.leader_id, s.pod_id, i.item_kind,
	i.amount, i.live) ORDER BY s.pod_id SEPARATOR ';'), ''))
	FROM payout_items i JOIN payouts p ON p.id = i.payout_id JOIN settlements s ON s.id = i.item_id;
SELECT 'escrows', COUNT(*), MD5(COALESCE(GROUP_CONCAT(CONCAT_WS(',', e.id, e.status, e.released_amount,
	s.pod_id) ORDER BY e.id SEPARATOR ';'), ''))
	FROM escrows e LEFT JOIN settlements s ON s.id = e.settlement_id;
SELECT 'entries', COUNT(*), MD5(COALESCE(GROUP_CONCAT(CONCAT(kind, '=', n) ORDER BY kind SEPARATOR ';'), ''))
	FROM (SELECT kind, COUNT(*) n FROM journal_entries GROUP BY kind) k;
SELECT 'postings', (SELECT COUNT(*) FROM postings), MD5(COALESCE(GROUP_CONCAT(CONCAT(account, '=', b)
	ORDER BY account SEPARATOR ';'), '')) FROM (SELECT account, SUM(amount) b FROM postings GROUP BY account) a;

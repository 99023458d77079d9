-- 011_webhooks.sql — pay-webhookd (issue 13): what acting on a stored PG
-- notification found that an operator must look at (a cancellation seen
-- only at the PG, a payout status we could not apply), and why.
ALTER TABLE webhook_events
	ADD COLUMN flag VARCHAR(64) NULL AFTER status,
	ADD COLUMN note VARCHAR(500) NULL AFTER flag,
	ADD KEY ix_webhook_events_flag (flag);

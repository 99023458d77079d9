-- 010_sellers.sql — leaders registered as Toss payouts v2 sellers
-- (issue 9 part 6; research/pg-apis.md T8), with DESIGN.md §7's
-- discipline: the intent (refSellerId, attempt) is committed before
-- POST /v2/sellers, the outcome after.
--
-- phone, representative_name: what a seller registration needs beyond
-- v1's columns (individual/company phone; a company's representative).
-- Optional: a leader without them is listed by payout-send
-- --register-sellers, not registered, and not an error for the others.
--
-- seller_reg: where the registration is —
--   NONE      not started (or refused, then reloaded by load-leaders)
--   SENDING   intent committed, the call may be under way
--   IN_DOUBT  the answer was lost or broken: looked up by refSellerId
--             before anything is sent again
--   WAITING   registered; Toss does not let it receive payouts yet
--             (APPROVAL_REQUIRED, KYC_REQUIRED): its status is refreshed
--   READY     PARTIALLY_APPROVED or APPROVED
--   REFUSED   Toss said no (seller_reg_code / _message say why)
-- seller_reg_attempt numbers the intents: the Idempotency-Key is derived
-- from the refSellerId and it, so a registration retried after a refusal
-- (with corrected data) is a new request, while a re-send of the same
-- intent replays the first.
-- toss_seller_ref: the refSellerId used (Toss never lets one be reused).
ALTER TABLE leaders
	ADD COLUMN phone VARCHAR(20) NULL AFTER email,
	ADD COLUMN representative_name VARCHAR(100) NULL AFTER phone,
	ADD COLUMN toss_seller_status VARCHAR(24) NULL AFTER toss_seller_id,
	ADD COLUMN toss_seller_ref VARCHAR(64) NULL AFTER toss_seller_status,
	ADD COLUMN seller_reg VARCHAR(16) NOT NULL DEFAULT 'NONE' AFTER toss_seller_ref,
	ADD COLUMN seller_reg_attempt INT NOT NULL DEFAULT 0 AFTER seller_reg,
	ADD COLUMN seller_reg_code VARCHAR(64) NULL AFTER seller_reg_attempt,
	ADD COLUMN seller_reg_message VARCHAR(255) NULL AFTER seller_reg_code,
	ADD COLUMN seller_reg_at DATETIME(6) NULL AFTER seller_reg_message,
	ADD COLUMN seller_next_check_at DATETIME(6) NULL AFTER seller_reg_at,
	ADD COLUMN claimed_until DATETIME(6) NULL,
	ADD COLUMN claimed_by VARCHAR(64) NULL,
	ADD UNIQUE KEY uk_leaders_toss_seller_ref (toss_seller_ref),
	ADD KEY ix_leaders_seller_reg (seller_reg, id),
	ADD CONSTRAINT ck_leaders_seller_reg CHECK (seller_reg IN ('NONE', 'SENDING', 'IN_DOUBT', 'WAITING', 'READY', 'REFUSED')),
	ADD CONSTRAINT ck_leaders_phone CHECK (phone IS NULL OR phone REGEXP '^0[0-9]{8,10}$');

-- Sellers registered by hand before this migration: their status is asked
-- for once by the next --register-sellers.
UPDATE leaders SET seller_reg = 'WAITING' WHERE toss_seller_id IS NOT NULL;

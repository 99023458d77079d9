-- 015_card_and_tamper.sql — what settle-watch needs for two of its rules
-- (issue 14): the card a payment used, and the amount-tamper refusals.
--
-- payments.card_masked / card_issuer: the card number exactly as the PG
-- returned it, already truncated (Toss card.number "43301234****123*",
-- NicePay card.cardNum), and the PG's issuer code (Toss card.issuerCode,
-- NicePay card.cardCode). PCI DSS allows at most the first eight and last
-- four digits in clear: libsettle/domain/card_mask.c refuses anything
-- more, and the column then stays NULL. settle-watch's card rule reads the
-- window's payments through ix_payments_status like its user rule; the key
-- here is for an operator's "which payments used this card", and leaves
-- updated_at out so that a payment's every save does not rewrite it.
ALTER TABLE payments
	ADD COLUMN card_masked VARCHAR(32) CHARACTER SET ascii NULL,
	ADD COLUMN card_issuer VARCHAR(16) CHARACTER SET ascii NULL,
	ADD KEY ix_payments_card (card_masked, card_issuer);

-- amount_refusals: one row per confirm refused because the amount the
-- caller asked differs from the order's (pay-capture --amount, the API's
-- capture). No money moved, so no journal entry: this is the record the
-- "repeated amount-tamper refusals" rule counts. actor is the program
-- that refused, user_id the order's user (who the redirect belonged to).
CREATE TABLE amount_refusals (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	payment_id BIGINT UNSIGNED NOT NULL,
	order_id VARCHAR(64) NOT NULL,
	user_id VARCHAR(64) NOT NULL,
	actor VARCHAR(64) NOT NULL,
	asked_amount BIGINT NOT NULL,
	expected_amount BIGINT NOT NULL,
	currency CHAR(3) NOT NULL,
	created_at DATETIME(6) NOT NULL,
	KEY ix_amount_refusals_at (created_at),
	KEY ix_amount_refusals_payment (payment_id),
	CONSTRAINT fk_amount_refusals_payment FOREIGN KEY (payment_id) REFERENCES payments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

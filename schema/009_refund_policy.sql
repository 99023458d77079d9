-- 009_refund_policy.sql — refund policies by date (issue 15).
--
-- The default policy is settle.conf's [refund] policy (dated versions in
-- one value). A pod may name another policy instead; its versions are
-- rows here, loaded with the pods (`settle-db load-pods --policies`).
-- A version is never changed once loaded: a changed policy is a new row
-- with a later first day, so a payment is always refunded under the
-- version in force on the Korea business date it was paid.
CREATE TABLE refund_policies (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name VARCHAR(32) NOT NULL,
	valid_from DATE NOT NULL,
	steps VARCHAR(480) NOT NULL,
	loaded_at DATETIME(6) NOT NULL,
	UNIQUE KEY uk_refund_policies_version (name, valid_from),
	CONSTRAINT ck_refund_policies_name CHECK (name <> 'default')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- NULL: the default policy.
ALTER TABLE pods
	ADD COLUMN refund_policy VARCHAR(32) NULL;

-- How a refund's amount was decided: MANUAL (an operator's amount, the
-- way before policies), POLICY (the policy's amount), OVERRIDE (more than
-- the policy gives, with the operator's reason); the policy and version
-- applied, when one was.
ALTER TABLE refunds
	ADD COLUMN basis VARCHAR(16) NOT NULL DEFAULT 'MANUAL',
	ADD COLUMN policy_name VARCHAR(32) NULL,
	ADD COLUMN policy_from DATE NULL,
	ADD COLUMN policy_amount BIGINT NULL,
	ADD COLUMN override_reason VARCHAR(200) NULL,
	ADD CONSTRAINT ck_refunds_basis CHECK (basis IN ('MANUAL', 'POLICY', 'OVERRIDE')),
	ADD CONSTRAINT ck_refunds_override CHECK (basis <> 'OVERRIDE' OR override_reason IS NOT NULL);

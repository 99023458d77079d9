-- 002_payments.sql — what the payment jobs need beyond v1: the queue of
-- participation confirms owed to the Study Service, and PG health for the
-- multi-PG breaker (kept in rows so every process sees it).

CREATE TABLE participation_confirms (
	payment_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	pod_id VARCHAR(64) NOT NULL,
	user_id VARCHAR(64) NOT NULL,
	attempts INT NOT NULL DEFAULT 0,
	last_error VARCHAR(255) NULL,
	next_attempt_at DATETIME(6) NOT NULL,
	done_at DATETIME(6) NULL,
	KEY ix_participation_confirms_due (done_at, next_attempt_at),
	CONSTRAINT fk_participation_confirms_payment FOREIGN KEY (payment_id) REFERENCES payments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per PG call outcome: ok = 1 for an answer (success or definite
-- refusal), 0 for in doubt / 5xx / transport failure. Pruned by age.
CREATE TABLE pg_outcomes (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	pg VARCHAR(16) NOT NULL,
	ok TINYINT NOT NULL,
	code VARCHAR(64) NULL,
	at DATETIME(6) NOT NULL,
	KEY ix_pg_outcomes_pg_at (pg, at),
	CONSTRAINT ck_pg_outcomes_ok CHECK (ok IN (0, 1))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- When an order was last routed to a tripped PG as a probe.
CREATE TABLE pg_probes (
	pg VARCHAR(16) NOT NULL PRIMARY KEY,
	probed_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

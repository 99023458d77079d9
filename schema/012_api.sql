-- 012_api.sql — settle-apid's Idempotency-Key store (issue 13 part 2).
--
-- Every POST of the API carries an Idempotency-Key. The first request with
-- a key claims its row (status NULL: in progress) before any work; its
-- answer — status and the exact bytes of the body — is written when it is
-- done. A repeat with the same key and the same request gets those bytes
-- back and does nothing; the same key with another request is refused; a
-- repeat while the first is still running is told to retry. An answer that
-- left nothing decided (5xx: unavailable, in doubt) is not kept, so a retry
-- is processed again — every use case behind it is itself idempotent by its
-- derived keys (confirm-{orderId}, refund:{ref}), so that is safe.
--
-- client: the token's role and subject ("user:u-1"); keys are per client,
-- so one client can never read another's answer by guessing its key.
-- request_hash: SHA-256 of method, path and body.
CREATE TABLE api_idempotency (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	client VARCHAR(80) NOT NULL,
	idem_key VARCHAR(128) NOT NULL,
	request_hash CHAR(64) NOT NULL,
	status SMALLINT NULL,
	body MEDIUMTEXT NULL,
	created_at DATETIME(6) NOT NULL,
	done_at DATETIME(6) NULL,
	UNIQUE KEY uk_api_idempotency (client, idem_key),
	KEY ix_api_idempotency_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

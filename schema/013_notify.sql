-- 013_notify.sql — the transactional outbox and the anomaly alerts
-- (issue 14).
--
-- notifications: written in the same unit of work as the state change
-- someone must hear about. notify_key is derived from the event
-- ("payment.completed:pay_…"), unique, so a re-run or a second sweeper
-- adds nothing. facts is the JSON object the template reads; it never
-- holds a full account or resident number. The recipient is a Study
-- Service user (participant or leader) or the operators; the address and
-- language are looked up when the notification is sent, not stored here.
--
-- status:
--   PENDING  waiting for settle-notify (claimed through claimed_until/by)
--   SENT     the mail server (or the maildir) took it
--   HELD     the recipient has no address: kept, reported, not retried
--   FAILED   refused, or in doubt more than [notify] max_attempts times
CREATE TABLE notifications (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	notify_key VARCHAR(160) NOT NULL,
	template VARCHAR(64) NOT NULL,
	recipient_kind VARCHAR(16) NOT NULL,
	recipient_id VARCHAR(64) NOT NULL,
	facts TEXT NOT NULL,
	status VARCHAR(16) NOT NULL DEFAULT 'PENDING',
	attempts INT NOT NULL DEFAULT 0,
	last_error VARCHAR(255) NULL,
	next_attempt_at DATETIME(6) NULL,
	claimed_until DATETIME(6) NULL,
	claimed_by VARCHAR(64) NULL,
	created_at DATETIME(6) NOT NULL,
	sent_at DATETIME(6) NULL,
	UNIQUE KEY uk_notifications_key (notify_key),
	KEY ix_notifications_status (status, id),
	CONSTRAINT ck_notifications_status CHECK (status IN ('PENDING', 'SENT', 'HELD', 'FAILED')),
	CONSTRAINT ck_notifications_recipient_kind CHECK (recipient_kind IN ('user', 'leader', 'operator'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The Study Service's answer for a user, kept until expires_at so a
-- batch of mails to one leader asks once. email NULL: the user has none.
CREATE TABLE notify_contacts (
	user_id VARCHAR(64) NOT NULL PRIMARY KEY,
	email VARCHAR(254) NULL,
	name VARCHAR(100) NULL,
	lang CHAR(2) NOT NULL DEFAULT 'ko',
	expires_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per rule and window: settle-watch fires a rule once per window
-- (window_start is the window's start, rounded down to the window size).
CREATE TABLE alerts (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	rule VARCHAR(48) NOT NULL,
	subject VARCHAR(96) NOT NULL DEFAULT '',
	window_start DATETIME(6) NOT NULL,
	value VARCHAR(64) NOT NULL,
	threshold VARCHAR(64) NOT NULL,
	detail VARCHAR(255) NOT NULL,
	created_at DATETIME(6) NOT NULL,
	UNIQUE KEY uk_alerts_rule_window (rule, subject, window_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- settle-watch counts amount-tamper refusals in its window without a scan.
ALTER TABLE payment_events ADD KEY ix_payment_events_code (pg_code, created_at);

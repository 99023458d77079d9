-- 014_seal.sql — the sealed ledger (issue 12, part 3; DESIGN.md §12).
--
-- journal_entries.hash: the SHA-256 (hex) of the entry's canonical bytes
-- (libsettle/domain/seal.c), written with the entry by ledger_store.c.
-- Rows written before this migration keep NULL: journal_entries is never
-- updated, so no migration rewrites it; ledger-seal computes their hash
-- from their content when it first seals them and records it in
-- seal_block_entries. From then on they are as sealed as any other.
--
-- seal_blocks: a chain. Each block names its previous block's hash; the
-- UNIQUE key on prev_hash is how a runner claims the chain head (a second
-- runner extending the same head gets a duplicate key and retries), so
-- several hosts may run ledger-seal without a lock. seal_block_entries:
-- exactly which entries a block seals; an entry is sealed once (its
-- primary key), and an entry that commits late with a lower id is simply
-- still unsealed for the next block.

ALTER TABLE journal_entries ADD COLUMN hash CHAR(64) CHARACTER SET ascii NULL;

CREATE TABLE seal_blocks (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	height BIGINT UNSIGNED NOT NULL,
	prev_hash CHAR(64) CHARACTER SET ascii NOT NULL,
	merkle_root CHAR(64) CHARACTER SET ascii NOT NULL,
	hash CHAR(64) CHARACTER SET ascii NOT NULL,
	entries INT UNSIGNED NOT NULL,
	first_entry_id BIGINT UNSIGNED NOT NULL,
	last_entry_id BIGINT UNSIGNED NOT NULL,
	sealed_at DATETIME(6) NOT NULL,
	UNIQUE KEY uk_seal_blocks_prev (prev_hash),
	UNIQUE KEY uk_seal_blocks_height (height),
	UNIQUE KEY uk_seal_blocks_hash (hash),
	CONSTRAINT ck_seal_blocks_entries CHECK (entries > 0),
	CONSTRAINT ck_seal_blocks_range CHECK (first_entry_id <= last_entry_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE seal_block_entries (
	entry_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	block_id BIGINT UNSIGNED NOT NULL,
	entry_hash CHAR(64) CHARACTER SET ascii NOT NULL,
	KEY ix_seal_block_entries_block (block_id, entry_id),
	CONSTRAINT fk_seal_block_entries_entry FOREIGN KEY (entry_id) REFERENCES journal_entries (id),
	CONSTRAINT fk_seal_block_entries_block FOREIGN KEY (block_id) REFERENCES seal_blocks (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER seal_blocks_no_update BEFORE UPDATE ON seal_blocks FOR EACH ROW
	SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'seal_blocks is append-only';
CREATE TRIGGER seal_blocks_no_delete BEFORE DELETE ON seal_blocks FOR EACH ROW
	SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'seal_blocks is append-only';
CREATE TRIGGER seal_block_entries_no_update BEFORE UPDATE ON seal_block_entries FOR EACH ROW
	SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'seal_block_entries is append-only';
CREATE TRIGGER seal_block_entries_no_delete BEFORE DELETE ON seal_block_entries FOR EACH ROW
	SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'seal_block_entries is append-only';

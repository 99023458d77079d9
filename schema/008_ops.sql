-- 008_ops.sql — what operations need (issue 11): the key id of every
-- leader's sealed secrets, so a key rotation knows what it has done, and the
-- database user of every job run, so a job may update only its own rows.

-- Which data key sealed account_enc and rrn_enc ([crypto] key_id when
-- they were written). A rotation re-seals the rows whose key_id is not the
-- current one and sets it in the same statement: an interrupted rotation
-- goes on where it stopped, and no row is sealed twice.
ALTER TABLE leaders
	ADD COLUMN key_id INT NOT NULL DEFAULT 1,
	ADD KEY ix_leaders_key_id (key_id),
	ADD CONSTRAINT ck_leaders_key_id CHECK (key_id BETWEEN 1 AND 65535);

-- The login that started the run (USER(), set by the trigger below, never
-- by the job). The grants give every role INSERT and UPDATE of a few
-- columns of job_runs; the triggers narrow that to its own rows.
ALTER TABLE job_runs
	ADD COLUMN db_user VARCHAR(200) NULL,
	ADD KEY ix_job_runs_finished (job, status, finished_at);

CREATE TRIGGER job_runs_own_insert BEFORE INSERT ON job_runs FOR EACH ROW
	SET NEW.db_user = USER();

CREATE TRIGGER job_runs_own_update BEFORE UPDATE ON job_runs FOR EACH ROW
BEGIN
	IF OLD.db_user IS NOT NULL AND OLD.db_user <> USER() THEN
		SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'job_runs: a run is updated only by the login that started it';
	END IF;
	SET NEW.db_user = OLD.db_user;
END;

-- D2C Lab schema, version 2 (issue 20).

-- Idempotency-Key of POST /api/v1/sweeps: one row per key, written in the transaction that
-- records the sweep, so the unique key is what makes parallel retries create one sweep (across
-- API processes too). A request with a known key and the same body gets the recorded sweep back;
-- another body is refused. The row goes with its sweep (a sweep whose workflow could not be
-- started is deleted, and a retry with the key must then be able to create it).
-- The foreign key is checked at commit: the key is claimed first, before the sweep row exists,
-- so that racing requests wait on the key instead of writing their arms and rolling them back.
CREATE TABLE sweep_idempotency_keys (
    key            TEXT        PRIMARY KEY,
    request_sha256 TEXT        NOT NULL,          -- hex sha256 of the request body
    sweep_id       TEXT        NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX sweep_idempotency_keys_sweep_idx ON sweep_idempotency_keys (sweep_id);

-- The number of nodes in the arm's planned graph, computed once when the sweep is submitted, so a
-- read of a sweep does not plan every arm again. NULL for rows written before this column: the API
-- plans those on read (planning needs the Java node types, which SQL cannot run).
ALTER TABLE experiments ADD COLUMN nodes_total INTEGER CHECK (nodes_total >= 0);

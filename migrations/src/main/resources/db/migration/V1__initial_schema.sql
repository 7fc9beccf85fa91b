-- D2C Lab schema, version 1.
-- PostgreSQL is the source of truth for what exists and what should be running;
-- Temporal holds in-flight execution state only.

CREATE TABLE sweeps (
    id           TEXT PRIMARY KEY,
    name         TEXT        NOT NULL,
    spec_text    TEXT        NOT NULL,            -- the submitted file, verbatim
    spec         JSONB       NOT NULL,            -- the parsed, validated spec
    status       TEXT        NOT NULL,            -- PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED
    arm_count    INTEGER     NOT NULL,
    workflow_id  TEXT        NOT NULL,
    error        TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at  TIMESTAMPTZ
);
CREATE INDEX sweeps_created_idx ON sweeps (created_at DESC);
CREATE INDEX sweeps_status_idx ON sweeps (status);

CREATE TABLE experiments (
    id           TEXT PRIMARY KEY,
    sweep_id     TEXT        NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
    arm_index    INTEGER     NOT NULL,
    name         TEXT        NOT NULL,
    seed         BIGINT      NOT NULL,
    params       JSONB       NOT NULL,            -- the grid point: dotted key -> value
    config       JSONB       NOT NULL,            -- the full resolved config of this arm
    status       TEXT        NOT NULL,
    workflow_id  TEXT        NOT NULL,
    error        TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at   TIMESTAMPTZ,
    finished_at  TIMESTAMPTZ,
    UNIQUE (sweep_id, arm_index)
);
CREATE INDEX experiments_status_idx ON experiments (status);

-- A node of the experiment graph, keyed by its content hash. Shared between arms.
CREATE TABLE nodes (
    key              TEXT PRIMARY KEY,
    kind             TEXT        NOT NULL,
    config           JSONB       NOT NULL,        -- the config slice the node reads
    input_keys       JSONB       NOT NULL,        -- input name -> node key
    code_version     INTEGER     NOT NULL,
    status           TEXT        NOT NULL,        -- PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED
    attempts         INTEGER     NOT NULL DEFAULT 0,
    progress         DOUBLE PRECISION,            -- 0..1 while running
    progress_message TEXT,
    artifact_keys    JSONB       NOT NULL DEFAULT '{}'::jsonb,  -- role -> object key
    result           JSONB,                       -- small outputs (counts, hashes, numbers)
    worker           TEXT,
    error            TEXT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at       TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ,
    duration_ms      BIGINT
);
CREATE INDEX nodes_kind_idx ON nodes (kind);
CREATE INDEX nodes_status_idx ON nodes (status);

-- Which experiment asked for which node, and whether the answer came from the cache.
CREATE TABLE experiment_nodes (
    experiment_id TEXT        NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    node_key      TEXT        NOT NULL REFERENCES nodes (key),
    cache_hit     BOOLEAN     NOT NULL DEFAULT FALSE,
    requested_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (experiment_id, node_key)
);
CREATE INDEX experiment_nodes_node_idx ON experiment_nodes (node_key);

-- Scalar series. A run is a node key (one training run per training node).
-- Upserted by (run, name, step): a replayed step never duplicates a row.
CREATE TABLE metrics (
    run_id      TEXT             NOT NULL,
    name        TEXT             NOT NULL,
    step        BIGINT           NOT NULL,
    value       DOUBLE PRECISION NOT NULL,
    recorded_at TIMESTAMPTZ      NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, name, step)
);

CREATE TABLE evaluations (
    id            BIGSERIAL PRIMARY KEY,
    experiment_id TEXT             REFERENCES experiments (id) ON DELETE CASCADE,
    node_key      TEXT             NOT NULL,
    metric        TEXT             NOT NULL,      -- e.g. fid-fmnist-cls, is, precision, recall
    value         DOUBLE PRECISION NOT NULL,
    settings      JSONB            NOT NULL DEFAULT '{}'::jsonb,  -- AR steps, guidance, temperature, sample count
    created_at    TIMESTAMPTZ      NOT NULL DEFAULT now(),
    UNIQUE (node_key, metric)
);
CREATE INDEX evaluations_experiment_idx ON evaluations (experiment_id);

-- Every object written to the artifact store, with its size and sha256.
CREATE TABLE artifacts (
    key          TEXT PRIMARY KEY,
    size_bytes   BIGINT      NOT NULL,
    sha256       TEXT        NOT NULL,
    content_type TEXT        NOT NULL,
    node_key     TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX artifacts_node_idx ON artifacts (node_key);

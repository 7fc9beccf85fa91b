-- D2C Lab schema, version 4 (issue 27): tags and a note on sweeps and experiments.

-- Set by PATCH /api/v1/sweeps/{id} and PATCH /api/v1/experiments/{id}; the API validates them (a tag is 1 to
-- 64 of [A-Za-z0-9._:-], at most 32 per row; a note at most 10,000 characters). An empty array and an empty
-- note mean none, so reads need no NULL case. GIN indexes answer "has all these tags" (tags @> ARRAY[...])
-- without a scan, for the sweeps list and the experiments find route.
ALTER TABLE sweeps ADD COLUMN tags TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE sweeps ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE experiments ADD COLUMN tags TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE experiments ADD COLUMN note TEXT NOT NULL DEFAULT '';
CREATE INDEX sweeps_tags_idx ON sweeps USING GIN (tags);
CREATE INDEX experiments_tags_idx ON experiments USING GIN (tags);
-- the find route lists across sweeps, newest first
CREATE INDEX experiments_created_idx ON experiments (created_at DESC, id DESC);

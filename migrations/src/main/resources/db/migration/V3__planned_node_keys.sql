-- D2C Lab schema, version 3 (issue 22).

-- The node keys of the arm's planned graph (plan order), stored at submission with nodes_total. An
-- arm links its nodes one at a time, as their inputs finish, so the links of an unfinished arm do not
-- yet name every node it will need; cancelling another arm must not stop those. The API reads them
-- here instead of planning every unfinished arm again. NULL for rows written before this column: the
-- API plans those (planning needs the Java node types, which SQL cannot run).
ALTER TABLE experiments ADD COLUMN planned_node_keys TEXT[];

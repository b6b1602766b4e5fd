-- Rollouts: every deployment action (create, deploy, scale, force, rollback) starts one; the
-- watcher polls ECS until it is decided. A finished rollout never changes.
CREATE TABLE rollouts (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    cluster              TEXT NOT NULL,
    service              TEXT NOT NULL,
    trigger              TEXT NOT NULL
                         CHECK (trigger IN ('create', 'deploy', 'scale', 'force', 'rollback')),
    from_task_definition TEXT,
    to_task_definition   TEXT NOT NULL,
    desired_count        INTEGER NOT NULL,
    status               TEXT NOT NULL DEFAULT 'in_progress'
                         CHECK (status IN ('in_progress', 'completed', 'failed', 'rolled_back', 'timed_out')),
    -- Running tasks of the new deployment per desired task, in percent.
    progress             INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    started_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    finished_at          TEXT,
    reason               TEXT,
    -- The `rollout` row of history that records this rollout.
    history_id           INTEGER REFERENCES history (id),
    -- The last DescribeServices snapshot the watcher saw (JSON).
    last_snapshot_json   TEXT,
    actor                TEXT NOT NULL
);

CREATE INDEX rollouts_service_id ON rollouts (cluster, service, id);
CREATE INDEX rollouts_status_id ON rollouts (status, id);

CREATE TRIGGER rollouts_no_delete
BEFORE DELETE ON rollouts
BEGIN
    SELECT RAISE(ABORT, 'rollouts are history: rows cannot be deleted');
END;

CREATE TRIGGER rollouts_finished_are_final
BEFORE UPDATE ON rollouts
WHEN OLD.status <> 'in_progress'
BEGIN
    SELECT RAISE(ABORT, 'a finished rollout cannot change');
END;

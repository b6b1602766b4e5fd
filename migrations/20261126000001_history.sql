-- Deployment history: one row per action the portal performs, with its outcome.
-- Append-only: rows are never deleted, and a finished row never changes.
CREATE TABLE history (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT NOT NULL,
    target        TEXT NOT NULL,
    actor         TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    started_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    finished_at   TEXT,
    duration_ms   INTEGER,
    request_json  TEXT NOT NULL,
    response_json TEXT,
    error         TEXT
);

CREATE INDEX history_status_id ON history (status, id);
CREATE INDEX history_kind_id ON history (kind, id);
CREATE INDEX history_actor_id ON history (actor, id);

CREATE TRIGGER history_no_delete
BEFORE DELETE ON history
BEGIN
    SELECT RAISE(ABORT, 'history is append-only: rows cannot be deleted');
END;

-- Only a pending row may change, only to finish it, and never what was asked or by whom.
CREATE TRIGGER history_finished_rows_are_final
BEFORE UPDATE ON history
WHEN OLD.status <> 'pending'
  OR NEW.status = 'pending'
  OR NEW.kind IS NOT OLD.kind
  OR NEW.target IS NOT OLD.target
  OR NEW.actor IS NOT OLD.actor
  OR NEW.started_at IS NOT OLD.started_at
  OR NEW.request_json IS NOT OLD.request_json
BEGIN
    SELECT RAISE(ABORT, 'history is append-only: a finished row cannot change');
END;

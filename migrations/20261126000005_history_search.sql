-- History search: what each row is about (cluster, service, task definition family), as
-- `domain::history::subject` derives it from kind + target, stored so that filters use
-- indexes; indexes for keyset pagination (`WHERE ... AND id < ? ORDER BY id DESC LIMIT n`)
-- under every filter, for the dashboard and for related entries.

ALTER TABLE history ADD COLUMN cluster TEXT;
ALTER TABLE history ADD COLUMN service TEXT;
ALTER TABLE history ADD COLUMN family TEXT;

-- The backfill rewrites finished rows once: lift the guard for it, then put it back,
-- stricter (below).
DROP TRIGGER history_finished_rows_are_final;

UPDATE history SET cluster = target
WHERE kind = 'cluster.create' AND target <> '';

UPDATE history SET family = target
WHERE kind = 'task_definition.register' AND target <> '';

UPDATE history SET family = CASE
        WHEN instr(target, ':') > 0 THEN rtrim(rtrim(target, '0123456789'), ':')
        ELSE target END
WHERE kind = 'task_definition.deregister' AND target <> '';

UPDATE history SET
    cluster = CASE WHEN instr(target, '/') > 1 THEN substr(target, 1, instr(target, '/') - 1) END,
    service = CASE WHEN instr(target, '/') > 0 THEN nullif(substr(target, instr(target, '/') + 1), '')
                   ELSE nullif(target, '') END
WHERE kind = 'rollout' OR kind LIKE 'service.%';

-- Only a pending row may change, only to finish it, and never what was asked, by whom, or
-- what it is about.
CREATE TRIGGER history_finished_rows_are_final
BEFORE UPDATE ON history
WHEN OLD.status <> 'pending'
  OR NEW.status = 'pending'
  OR NEW.kind IS NOT OLD.kind
  OR NEW.target IS NOT OLD.target
  OR NEW.actor IS NOT OLD.actor
  OR NEW.started_at IS NOT OLD.started_at
  OR NEW.request_json IS NOT OLD.request_json
  OR NEW.cluster IS NOT OLD.cluster
  OR NEW.service IS NOT OLD.service
  OR NEW.family IS NOT OLD.family
BEGIN
    SELECT RAISE(ABORT, 'history is append-only: a finished row cannot change');
END;

-- One (filter column, id) index per equality filter: the newest page, a deep page and a
-- filtered page are each one index range scan of `limit` rows.
CREATE INDEX history_cluster_id ON history (cluster, id) WHERE cluster IS NOT NULL;
CREATE INDEX history_service_id ON history (service, id) WHERE service IS NOT NULL;
CREATE INDEX history_family_id ON history (family, id) WHERE family IS NOT NULL;
-- One service (cluster and service name), the filter a manager uses most.
CREATE INDEX history_cluster_service_id ON history (cluster, service, id)
    WHERE service IS NOT NULL;
-- Date bounds become id bounds (ids grow with time), and the dashboard reads a window of
-- one kind.
CREATE INDEX history_started_at ON history (started_at);
CREATE INDEX history_kind_started_at ON history (kind, started_at);
-- Related entries: the steps of one IAM change request, a rollout and the action that
-- started it.
CREATE INDEX history_change_request_id
    ON history (json_extract(request_json, '$.changeRequestId'))
    WHERE kind LIKE 'change_request.%';
CREATE INDEX history_request_rollout_id
    ON history (json_extract(request_json, '$.rolloutId'))
    WHERE kind = 'rollout';
CREATE INDEX history_response_rollout_id
    ON history (json_extract(response_json, '$.rolloutId'))
    WHERE kind LIKE 'service.%';

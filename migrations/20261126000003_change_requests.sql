-- IAM change requests: requested by one user, approved by another, executed exactly once.
-- What is executed (kind, role, payload and its SHA-256) and who asked never change once
-- written; rows are never deleted.
CREATE TABLE change_requests (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL,
    role_name       TEXT NOT NULL,
    payload_json    TEXT NOT NULL,
    payload_sha256  TEXT NOT NULL,
    requested_by    TEXT NOT NULL,
    reason          TEXT NOT NULL,
    before_json     TEXT NOT NULL,
    after_json      TEXT NOT NULL,
    diff_json       TEXT NOT NULL,
    findings_json   TEXT NOT NULL,
    highest_severity TEXT CHECK (highest_severity IN ('info', 'warning', 'error')),
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'approved', 'applied', 'failed', 'rejected', 'withdrawn')),
    reviewed_by     TEXT,
    review_comment  TEXT,
    reviewed_at     TEXT,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    applied_at      TEXT,
    result_json     TEXT,
    error           TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX change_requests_status_id ON change_requests (status, id);
CREATE INDEX change_requests_role_id ON change_requests (role_name, id);
CREATE INDEX change_requests_requested_by_id ON change_requests (requested_by, id);

CREATE TRIGGER change_requests_no_delete
BEFORE DELETE ON change_requests
BEGIN
    SELECT RAISE(ABORT, 'change requests cannot be deleted');
END;

CREATE TRIGGER change_requests_payload_is_final
BEFORE UPDATE ON change_requests
WHEN NEW.kind IS NOT OLD.kind
  OR NEW.role_name IS NOT OLD.role_name
  OR NEW.payload_json IS NOT OLD.payload_json
  OR NEW.payload_sha256 IS NOT OLD.payload_sha256
  OR NEW.requested_by IS NOT OLD.requested_by
  OR NEW.created_at IS NOT OLD.created_at
BEGIN
    SELECT RAISE(ABORT, 'what a change request executes, and who asked, cannot change');
END;

-- Every version of every inline policy the portal applied (IAM keeps none). A delete is a
-- version without a document. Append-only.
CREATE TABLE inline_policy_versions (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    role_name         TEXT NOT NULL,
    policy_name       TEXT NOT NULL,
    version           INTEGER NOT NULL,
    document_json     TEXT,
    change_request_id INTEGER NOT NULL REFERENCES change_requests (id),
    applied_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    applied_by        TEXT NOT NULL,
    UNIQUE (role_name, policy_name, version)
);

CREATE TRIGGER inline_policy_versions_no_update
BEFORE UPDATE ON inline_policy_versions
BEGIN
    SELECT RAISE(ABORT, 'policy versions are append-only');
END;

CREATE TRIGGER inline_policy_versions_no_delete
BEFORE DELETE ON inline_policy_versions
BEGIN
    SELECT RAISE(ABORT, 'policy versions are append-only');
END;

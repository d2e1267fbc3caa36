-- The one definition of an open review item (used by `mubiao review`, `mubiao status` and the desk): a quarantined
-- file, document or figure of a file still in the inbox (source_files) that no reviewer has accepted or rejected
-- (review_log, via figure_corrections). One row per failed check (join quarantine on quarantine_id for its details).
CREATE VIEW open_items AS
SELECT coalesce(q.figure_id, q.document_id, q.source_file) AS item_id, q.level, q.quarantine_id
FROM quarantine q
LEFT JOIN figure_corrections c ON q.level = 'figure' AND c.figure_id = q.figure_id
WHERE q.status = 'open' AND c.status IS NULL
  AND q.source_file IN (SELECT source_file FROM source_files);
COMMENT ON VIEW open_items IS 'Quarantined items waiting for a reviewer, one row per failed check 待审核项目';
COMMENT ON COLUMN open_items.item_id IS 'figure_id, else document_id, else source_file: the item a reviewer decides on 项目编号';
COMMENT ON COLUMN open_items.level IS 'file | document | figure 隔离级别';
COMMENT ON COLUMN open_items.quarantine_id IS 'The quarantine row (one failed check) 隔离编号';

-- Documents arrive signed (transforms.pipeline signs the text at extraction); whether a document has been compared
-- with the others is its own fact, so a run killed between its loads and the near-duplicate step is caught up.
ALTER TABLE documents ADD COLUMN IF NOT EXISTS duplicates_compared BOOLEAN;
UPDATE documents SET duplicates_compared = text_signature IS NOT NULL;
COMMENT ON COLUMN documents.duplicates_compared IS 'true once the document was compared with the others for near-duplicates (NULL: a load since) 是否已查重';

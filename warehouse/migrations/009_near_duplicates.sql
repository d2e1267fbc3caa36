-- Near-duplicate documents (the same report from two files or sources): a text signature per document and
-- the copy it repeats. The views keep the figures of documents whose duplicate_of is NULL.
ALTER TABLE documents ADD COLUMN text_signature BIGINT[];
ALTER TABLE documents ADD COLUMN duplicate_of VARCHAR;
ALTER TABLE documents ADD COLUMN duplicate_similarity DOUBLE;
COMMENT ON COLUMN documents.text_signature IS 'MinHash signature of the text''s character 5-grams (transforms/near_duplicates.py) 文本指纹';
COMMENT ON COLUMN documents.duplicate_of IS 'document_id of the copy of the same report kept in the views; NULL when this is the kept copy 重复文档所对应的保留文档';
COMMENT ON COLUMN documents.duplicate_similarity IS 'Estimated Jaccard similarity of the texts (0-1) when duplicate_of is set 与保留文档的相似度';

-- Full-text search over title, summary and text answers (DESIGN.md §2.8),
-- with PostgreSQL's own Norwegian Snowball configuration. The service keeps
-- `body` (unstemmed text) in step; the generated vector is indexed.
CREATE TABLE application_search (
    application_id BIGINT PRIMARY KEY REFERENCES application(id),
    body TEXT NOT NULL,
    vector tsvector GENERATED ALWAYS AS (to_tsvector('norwegian', body)) STORED
);
CREATE INDEX application_search_vector ON application_search USING gin(vector);

-- Full-text search over title, summary and text answers (DESIGN.md §2.8),
-- with PostgreSQL's own Norwegian Snowball configuration. The service keeps
-- `body` (unstemmed text) in step; the generated vector is indexed. The
-- vector also holds the organisation's token "o<id>" at weight A (body words
-- have weight D, so no word matches it); the store ANDs 'o<id>:A' into every
-- search, so the GIN index intersects posting lists and only the
-- organisation's matches are read, not the nation's.
CREATE TABLE application_search (
    application_id BIGINT PRIMARY KEY REFERENCES application(id),
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    body TEXT NOT NULL,
    vector tsvector GENERATED ALWAYS AS (
        CAST('o' || CAST(organisation_id AS TEXT) || ':1A' AS tsvector)
        || to_tsvector('norwegian', body)) STORED
);
CREATE INDEX application_search_vector ON application_search USING gin(vector);

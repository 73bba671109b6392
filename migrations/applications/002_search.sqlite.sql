-- Full-text search over title, summary and text answers (DESIGN.md §2.8).
-- The service fills `body` with words already stemmed by the Snowball
-- Norwegian stemmer (applications/search_text.hpp), and stems a query the
-- same way, so FTS5's plain unicode61 tokenizer matches "søknadene" with
-- "søknad". rowid = application.id. remove_diacritics 0: å, æ and ø are
-- letters of their own in Norwegian.
CREATE VIRTUAL TABLE application_search USING fts5(
    body,
    tokenize = 'unicode61 remove_diacritics 0'
);

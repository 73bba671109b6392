-- Full-text search over title, summary and text answers (DESIGN.md §2.8).
-- The service fills `body` with words already stemmed by the Snowball
-- Norwegian stemmer (applications/search_text.hpp), and stems a query the
-- same way, so FTS5's plain unicode61 tokenizer matches "søknadene" with
-- "søknad". rowid = application.id. remove_diacritics 0: å, æ and ø are
-- letters of their own in Norwegian. `organisation` holds one token,
-- "o<organisation id>" (search_text.hpp fts5_organisation_token), ANDed into
-- every search so FTS5 intersects posting lists instead of matching
-- nationwide and filtering afterwards.
CREATE VIRTUAL TABLE application_search USING fts5(
    organisation,
    body,
    tokenize = 'unicode61 remove_diacritics 0'
);

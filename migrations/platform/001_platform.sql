-- Settings of this Spire installation (organisation display name and other
-- defaults), one row per key. Values are text; the code that owns a key
-- parses it.
CREATE TABLE app_setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

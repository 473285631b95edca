-- The enterprise a resident suspects (optional, issue 6): an enterprise of the registry
-- (its credit code, and its name as registered when the complaint came), or, when the
-- registry does not know what the resident wrote, their text alone. Officers see it; the
-- public register and the APIs never do (a resident's suspicion is not a finding).
-- No foreign key: the complaint keeps what was named even if the registry changes.
ALTER TABLE complaints ADD COLUMN suspect_code TEXT CHECK (suspect_code IS NULL OR length(suspect_code) = 18);
ALTER TABLE complaints ADD COLUMN suspect_name TEXT CHECK (suspect_code IS NULL OR suspect_name IS NOT NULL);

-- The river (or lake, reservoir) an outlet discharges into, by name as the water sections
-- carry it in `stations.river` (issue 5, item 4): a water section's page lists the outlets
-- on the same river. NULL when unknown (and for air outlets).
ALTER TABLE outlets ADD COLUMN receiving_water TEXT
    CHECK (receiving_water IS NULL OR length(trim(receiving_water)) > 0);

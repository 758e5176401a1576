-- Keep the visibility map of activities current, so that the reads of recent walks (this
-- week's boards, a goal's trailing pace, the team feed, the weekly series) stay index-only.
-- Walks are mostly inserted, and with PostgreSQL's defaults an insert-driven autovacuum comes
-- after 1 000 + 20 % of the table's rows: at a million walks, the newest 200 000 (the very
-- ones those reads look at) may sit on pages not yet marked all-visible, and each index entry
-- read then fetches its heap row too. Measured on the scale data set after 120 000 new walks:
-- the dashboard's team cards 7.6 → 5.5 ms once vacuumed (3 649 heap fetches → 0 for a user's
-- three teams). An insert-driven vacuum only visits the pages changed since the last one
-- (the rest are all-visible already) and skips index cleanup when few rows died, so running it
-- every ~0.5 % of the table is cheap.
-- depends: 0820.drop_redundant_activity_index

ALTER TABLE activities SET (autovacuum_vacuum_insert_scale_factor = 0.005,
                            autovacuum_vacuum_insert_threshold = 1000);

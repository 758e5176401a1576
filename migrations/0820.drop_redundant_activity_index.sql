-- activities_user_time_distance (user_id, activity_at) INCLUDE (distance), from 0500, is
-- covered by activities_by_user_time (user_id, activity_at DESC, id DESC) INCLUDE
-- (is_private, distance): the same leading key, read backwards as well as forwards, with the
-- distance in its leaf too. Every read that used it (team stats, the weekly series, the pace
-- samples, goal contributions) has the same index-only range on the other one; measured on the
-- scale data set with and without it (BENCHMARKS.md, 2026-12-04), no read route moved beyond
-- the run-to-run noise, while each walk logged maintained one btree fewer (the write's server
-- CPU per walk ≈ 1.56 → 1.35 ms under 8 writers) and the table lost 69 MB of index.
-- depends: 0810.user_achievements_fk_indexes

DROP INDEX activities_user_time_distance;

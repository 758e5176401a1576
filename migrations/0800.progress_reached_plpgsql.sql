-- progress_reached (0790) in PL/pgSQL, the same rule. A LANGUAGE sql function that the planner
-- cannot inline (it returns one record, not a set) has its body planned again on every call,
-- and activity_log calls it once per goal a walk moves: ≈ 190 µs a walk, an eighth of the
-- server's work for a plain walk. PL/pgSQL keeps the expressions' plans for the session.
-- depends: 0790.activity_log_function

CREATE OR REPLACE FUNCTION progress_reached(total numeric, target numeric, segment_ends float8[],
                                            milestones integer[], waypoints integer[],
                                            OUT new_milestones integer[],
                                            OUT new_waypoints integer[], OUT completes boolean)
    LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    new_milestones := ARRAY(SELECT m FROM unnest(ARRAY[25, 50, 75, 100]) m
                             WHERE total * 100 >= m * target AND m <> ALL (milestones)
                             ORDER BY m);
    new_waypoints := ARRAY(SELECT e.i - 1 FROM unnest(segment_ends) WITH ORDINALITY AS e(c, i)
                            WHERE e.i < cardinality(segment_ends)
                              AND segment_ends[cardinality(segment_ends)] > 0
                              AND total::float8
                                  >= e.c * (target::float8 / segment_ends[cardinality(segment_ends)])
                              AND (e.i - 1)::int <> ALL (waypoints)
                            ORDER BY e.i);
    completes := total >= target;
END
$$;

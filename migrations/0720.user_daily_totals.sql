-- Per user and local day (in the user's timezone) totals of their activities: maintained by the
-- activity write path in the transaction of every create, edit and delete, and rebuilt when the
-- user's timezone changes. GET /users/me/stats (best day, this week, this month) and the streak
-- recomputation read it, so their cost does not grow with a user's history. A day with no
-- activity has no row. The reconciliation job verifies it against the activities and repairs it
-- (which also covers what the previous release writes while this one is being deployed).
-- depends: 0005.activities

CREATE TABLE user_daily_totals (
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day        date NOT NULL,
    distance   numeric(16, 3) NOT NULL,
    duration   bigint NOT NULL,
    activities integer NOT NULL,
    PRIMARY KEY (user_id, day)
);
-- Best day: the user's longest day by distance (the latest among equals) is the first entry.
CREATE INDEX user_daily_totals_best ON user_daily_totals (user_id, distance DESC, day DESC);

INSERT INTO user_daily_totals (user_id, day, distance, duration, activities)
SELECT a.user_id, (a.activity_at AT TIME ZONE u.timezone)::date, sum(a.distance), sum(a.duration),
       count(*)
FROM activities a JOIN users u ON u.id = a.user_id
GROUP BY 1, 2;
ANALYZE user_daily_totals;

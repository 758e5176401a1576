-- dashboard_team_cards (0840) is no longer called: the team cards read the distance a goal
-- counted with the one contribution rule, milequest.db.contributions.counted_walks, which a
-- server function could only copy (docs/architecture.md#kept-plans). No released version
-- called it: it came and went within one unreleased change.
-- depends: 0850.profile_and_invites_plans

DROP FUNCTION dashboard_team_cards(uuid, timestamptz, integer);

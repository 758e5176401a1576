"""Analytics fixtures: the goals area's teams (memberships made in SQL, goals via the API)."""

from tests.integration.goals.conftest import make_team, team  # noqa: F401 (fixtures)

"""The read side over HTTP against `make run`, with `make seed` data: the dashboard, the team
board and rank, and the public boards (with Cache-Control, ETag and 304)."""

from __future__ import annotations

from functions.jobs import refresh_leaderboards
from tests.e2e.conftest import LocalApi
from tests.integration.conftest import use_database


def test_read_routes_answer_in_the_envelope_and_public_ones_are_cacheable(
    local_api: LocalApi, database_url: str
) -> None:
    token = local_api.seed_demo()
    use_database(database_url)  # the job runs here, on the server's database
    refresh_leaderboards.handler({}, None)

    status, headers, body = local_api.request("GET", "/dashboard", token=token)
    assert status == 200 and body["success"] is True, body
    assert headers["Cache-Control"] == "private, no-store"
    dash = body["data"]
    assert dash["teams"] and dash["teamLeaderboards"] and dash["recentActivities"]
    team_id = dash["teams"][0]["id"]
    assert dash["teams"][0]["progress"]["goalName"] == "Lisbon to Porto"

    for path in (f"/teams/{team_id}/leaderboard", f"/teams/{team_id}/leaderboard/rank"):
        status, headers, body = local_api.request("GET", f"{path}?period=all", token=token)
        assert status == 200 and body["success"] is True, (path, body)
        assert headers["Cache-Control"] == "private, no-store"

    for path in (
        "/leaderboards/global",
        "/leaderboards/teams?metric=average",
        "/teams/public",
        "/achievements",
    ):
        status, headers, body = local_api.request("GET", path)
        assert status == 200 and body["success"] is True, (path, body)
        assert headers["Cache-Control"].startswith("public, max-age="), path
        etag = headers["ETag"]
        status, _, body = local_api.request("GET", path, headers={"If-None-Match": etag})
        assert status == 304 and body is None, path

    status, _, body = local_api.request("GET", "/leaderboards/global?period=all")
    assert any(e["name"] == "Demo Walker" for e in body["data"]["entries"])
    status, _, body = local_api.request("GET", "/leaderboards/global?period=decade")
    assert status == 400 and body["error"]["code"] == "VALIDATION_ERROR"

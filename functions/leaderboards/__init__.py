"""leaderboards: a team's board and my rank on it (members), and the public global and
team-vs-team boards (cached at the CDN). `handler` is the Lambda entry of every route here."""

from functions.leaderboards import public_boards, team_boards
from milequest.api.entry import area_handler
from milequest.api.routing import collect

ROUTES = collect(team_boards.router, public_boards.router)
handler = area_handler(ROUTES)

"""The write routes a walker uses, each n times in a row, for the heavy user, in an order where
each one finds what it needs (its walks, comments and reactions are made by the ones before)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.harness import Walker, age_recent_walks, call, summary, timed


def _walk(i: int) -> dict[str, Any]:
    at = datetime.now(UTC) - timedelta(minutes=2 + i)  # forward in time: no back-dating
    return {"distance": 2500 + i % 3000, "duration": 2400 + i % 600, "timestamp": at.isoformat()}


def _ok(response: dict[str, Any], status: int = 200) -> dict[str, Any]:
    assert response["statusCode"] == status, response["body"]
    data: dict[str, Any] = json.loads(response["body"])["data"] if response.get("body") else {}
    return data


def steps(w: Walker) -> list[tuple[str, Callable[[int], Any]]]:
    made: list[str] = []
    comments: list[str] = []

    def go(method: str, path: str, body: Any = None, status: int = 200) -> dict[str, Any]:
        return _ok(call(method, path, w, body=body), status)

    def walk(i: int) -> str:
        return f"/activities/{made[i % len(made)]}"

    def log(i: int) -> None:
        made.append(go("POST", "/activities", _walk(i + 10_000), 201)["activity"]["id"])

    def comment(i: int) -> None:
        comments.append(go("POST", f"{walk(i)}/comments", {"text": f"nice {i}"}, 201)["id"])

    fire = "reactions/%F0%9F%94%A5"
    prefs = {"preferences": [{"category": "ACTIVITY_COMMENT", "channel": "PUSH"}]}
    out: list[tuple[str, Callable[[int], Any]]] = [
        ("POST /activities", log),
        ("PATCH /activities/{activityId}",
         lambda i: go("PATCH", walk(i), {"notes": f"edit {i}"})),
        ("POST /activities/{activityId}/comments", comment),
        ("DELETE /activities/{activityId}/comments/{commentId}",
         lambda i: go("DELETE", f"{walk(i)}/comments/{comments[i % len(comments)]}")),
        ("PUT /activities/{activityId}/reactions/{emoji}",
         lambda i: go("PUT", f"{walk(i)}/{fire}")),
        ("DELETE /activities/{activityId}/reactions/{emoji}",
         lambda i: go("DELETE", f"{walk(i)}/{fire}")),
        ("POST /activities/{activityId}/share",
         lambda i: go("POST", f"{walk(i)}/share", None, 201)),
        ("DELETE /activities/{activityId}/share", lambda i: go("DELETE", f"{walk(i)}/share")),
        ("PATCH /users/me", lambda i: go("PATCH", "/users/me", {"name": f"Walker {i}"})),
        ("PUT /notifications/preferences",
         lambda i: go("PUT", "/notifications/preferences", prefs)),
        ("POST /notifications/read-all", lambda i: go("POST", "/notifications/read-all")),
    ]  # fmt: skip
    notification = w.extra.get("id")
    if notification is not None:
        out.append(("POST /notifications/{id}/read",
                    lambda i: go("POST", f"/notifications/{notification}/read")))  # fmt: skip
    out.append(("DELETE /activities/{activityId}",
                lambda i: go("DELETE", f"/activities/{made.pop()}")))  # fmt: skip
    return out


# The one step no later step depends on may stop early (the harness's time cap): it is the slow
# one (a walk's removal recomputes its team's goal progress). The others take all n samples,
# so that each finds the n walks, comments and reactions the steps before it made.
CAPPED = "DELETE /activities/{activityId}"


def run(url: str, w: Walker, n: int) -> dict[str, Any]:
    """Each write route's median and p95."""
    age_recent_walks(url, [w.id])
    return {key: summary(timed(fn, n, cap=key == CAPPED)) for key, fn in steps(w)}

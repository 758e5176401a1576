"""Routes declared where they are handled.

An area's module makes a `Router` and decorates each handling function with its method and path
(`@router.get("/teams/{teamId}", "Team detail")`). The function's typed parameters say what it
receives, and the entry (`milequest.api.entry`) validates each before the call:

- `body: SomeModel`: the JSON body, validated by that pydantic model;
- `query: SomeModel`: the query string, validated by that model;
- `req: Request`: the request itself (connection, caller, headers);
- any other parameter: the path parameter of that name in camelCase (`team_id` is `{teamId}`);
  a `UUID` one is parsed (400 when it is not one), a `str` one is passed as it came.

`functions/registry.py` collects every area's routes; the local server, the CDK app, openapi.json
and the route-driven tests read them there. See docs/architecture.md#routes-and-the-registry.
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, get_origin
from uuid import UUID

from pydantic import BaseModel
from pydantic.alias_generators import to_camel

from milequest.api.responses import Serialised

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
MUTATING: frozenset[str] = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Memory/timeout classes the infrastructure maps to Lambda settings.
Profile = Literal["light", "standard", "heavy"]


@dataclass(frozen=True)
class Private:
    """Per-user response: never cached by anything in between."""

    header: str = "private, no-store"


@dataclass(frozen=True)
class Public:
    """Public response, cached by CloudFront and browsers for `max_age` seconds, with an ETag.

    `vary` names request headers the answer depends on (they join the CDN cache key)."""

    max_age: int = 60
    vary: tuple[str, ...] = ()

    @property
    def header(self) -> str:
        return f"public, max-age={self.max_age}"


CacheClass = Private | Public


@dataclass(frozen=True)
class Answer:
    """An answer a route gives besides its usual one (a `Reply` with this status), for OpenAPI:
    `data` is the model of the envelope's `data`, `headers` the headers it sets."""

    status: int
    description: str
    data: Any
    headers: tuple[str, ...] = ()


_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Param:
    """How one parameter of a handling function is filled from the request."""

    name: str  # the Python parameter
    source: Literal["request", "body", "query", "path"]
    path_name: str = ""  # the path parameter's name, for source="path"
    as_uuid: bool = False


@dataclass(frozen=True)
class Route:
    method: Method
    path: str
    handler: str  # the Lambda entry of the route's area, e.g. "functions.teams.handler"
    summary: str
    name: str  # unique, e.g. "teams-get_team" (Lambda function ids, operationId)
    fn: Callable[..., Any] = field(compare=False, repr=False)
    params: tuple[Param, ...] = ()
    auth: bool = True
    cache: CacheClass = field(default_factory=Private)
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    # Pydantic model (or list[...] of one) describing `data`, for OpenAPI; None: the function's
    # return annotation, read by `response_shape` (see there).
    response: Any = None
    status: int = 200
    answers: tuple[Answer, ...] = ()
    # False only for routes that manage their own database access (health must answer even
    # when the database is down).
    uses_db: bool = True
    profile: Profile = "standard"
    # Repeat `data`'s fields (or the error's message) at the top level of the envelope.
    mirror: bool = False

    @property
    def key(self) -> str:
        """API Gateway's routeKey, e.g. 'GET /teams/{teamId}'."""
        return f"{self.method} {self.path}"

    @property
    def module(self) -> str:
        return self.handler.rsplit(".", 1)[0]

    @property
    def area(self) -> str:
        return self.handler.split(".")[1]

    @property
    def path_params(self) -> list[str]:
        return _PARAM.findall(self.path)

    @property
    def response_shape(self) -> Any:
        """What `data` holds, for OpenAPI. The return annotation is evaluated here, not at
        registration: a generic such as `Page[Activity]` makes pydantic build a new model class,
        which a Lambda's cold start would pay for a schema only openapi.json uses."""
        return self.response if self.response is not None else _returned(self.fn)

    @property
    def mutating(self) -> bool:
        return self.method in MUTATING

    def pattern(self) -> re.Pattern[str]:
        """Regex matching concrete paths (used by the local server)."""
        regex = _PARAM.sub(
            lambda m: f"(?P<{m.group(1)}>[^/]+)",
            re.escape(self.path).replace(r"\{", "{").replace(r"\}", "}"),
        )
        return re.compile(f"^{regex}$")


F = typing.TypeVar("F", bound=Callable[..., Any])


class Router:
    """Collects the routes of one module; the area package gathers its modules' routers.

    `defaults` are route options every route of this router shares (e.g. `auth=False`)."""

    def __init__(self, **defaults: Any) -> None:
        self.routes: list[Route] = []
        self.defaults = defaults

    def route(
        self,
        method: Method,
        path: str,
        summary: str,
        *,
        also: tuple[Method, ...] = (),
        response: Any = None,
        **options: Any,
    ) -> Callable[[F], F]:
        """Register the decorated function for `method path` (and `also` methods, aliases)."""

        def register(fn: F) -> F:
            params, body, query = _params_of(fn, path)
            area = fn.__module__.split(".")[1]
            for i, m in enumerate((method, *also)):
                suffix = "" if i == 0 else f"_{m.lower()}"
                self.routes.append(
                    Route(
                        m,
                        path,
                        f"functions.{area}.handler",
                        summary if i == 0 else f"Alias of {method}",
                        name=f"{area}-{fn.__name__}{suffix}",
                        fn=fn,
                        params=params,
                        body=body,
                        query=query,
                        response=response,
                        **{**self.defaults, **options},
                    )
                )
            return fn

        return register

    def get(self, path: str, summary: str, **options: Any) -> Callable[[F], F]:
        return self.route("GET", path, summary, **options)

    def post(self, path: str, summary: str, **options: Any) -> Callable[[F], F]:
        return self.route("POST", path, summary, **options)

    def put(self, path: str, summary: str, **options: Any) -> Callable[[F], F]:
        return self.route("PUT", path, summary, **options)

    def patch(self, path: str, summary: str, **options: Any) -> Callable[[F], F]:
        return self.route("PATCH", path, summary, **options)

    def delete(self, path: str, summary: str, **options: Any) -> Callable[[F], F]:
        return self.route("DELETE", path, summary, **options)


def _params_of(
    fn: Callable[..., Any], path: str
) -> tuple[tuple[Param, ...], type[BaseModel] | None, type[BaseModel] | None]:
    from milequest.api.request import Request  # the request module imports this one

    hints = _parameter_hints(fn)
    in_path = set(_PARAM.findall(path))
    params: list[Param] = []
    body = query = None
    for name in inspect.signature(fn).parameters:
        hint = hints.get(name)
        if hint is Request:
            params.append(Param(name, "request"))
        elif name in ("body", "query") and _is_model(hint):
            params.append(Param(name, name))  # type: ignore[arg-type]
            if name == "body":
                body = hint
            else:
                query = hint
        elif to_camel(name) in in_path:
            in_path.discard(to_camel(name))
            params.append(Param(name, "path", to_camel(name), as_uuid=hint is UUID))
        else:
            raise TypeError(
                f"{fn.__qualname__}: parameter {name!r} is not body, query or in {path}"
            )
    if in_path:
        raise TypeError(f"{fn.__qualname__}: no parameter for {sorted(in_path)} of {path}")
    return tuple(params), body, query


def _parameter_hints(fn: Callable[..., Any]) -> dict[str, Any]:
    """The parameters' annotations, evaluated; the return annotation is left alone (see
    `Route.response_shape`)."""
    annotations = {k: v for k, v in fn.__annotations__.items() if k != "return"}

    def probe() -> None: ...

    probe.__annotations__ = annotations
    return typing.get_type_hints(probe, globalns=fn.__globals__)


def _is_model(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, BaseModel)


def _returned(fn: Callable[..., Any]) -> Any:
    """The response shape from the return annotation, when it is a model or a list of them
    (`Serialised[Model]`: the model its JSON text follows)."""
    hint = typing.get_type_hints(fn).get("return")
    if get_origin(hint) is Serialised:
        hint = typing.get_args(hint)[0]
    if _is_model(hint) or (get_origin(hint) is list and _is_model(typing.get_args(hint)[0])):
        return hint
    return None


def collect(*routers: Router) -> tuple[Route, ...]:
    """The routes of an area, from its modules' routers."""
    return tuple(route for router in routers for route in router.routes)

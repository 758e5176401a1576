"""Base models for the wire: camelCase JSON, strict inputs."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class ApiModel(BaseModel):
    """Output model: snake_case in Python, camelCase on the wire."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, from_attributes=True, defer_build=True
    )


class InputModel(BaseModel):
    """Request model: unknown fields and NaN/Infinity are errors, never silently dropped."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        allow_inf_nan=False,
        str_strip_whitespace=True,
        defer_build=True,
    )


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


FiniteFloat = Annotated[float, AfterValidator(_finite)]

T = TypeVar("T")
U = TypeVar("U")


class Page(ApiModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None
    has_more: bool = False

    def map(self, fn: Callable[[T], U]) -> Page[U]:
        """The same page with each item turned into another shape."""
        return Page[U](
            items=[fn(i) for i in self.items], next_cursor=self.next_cursor, has_more=self.has_more
        )


class Empty(ApiModel):
    pass


class Deleted(ApiModel):
    """What a DELETE answers when there is nothing else to say."""

    deleted: bool = True


def dump(value: Any) -> Any:
    """Turn handler results (models, lists of models, dicts) into JSON-ready data."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, list | tuple):
        return [dump(v) for v in value]
    if isinstance(value, dict):
        return {k: dump(v) for k, v in value.items()}
    return value


class QueryModel(InputModel):
    """Query-string model: unknown parameters (cache busters, tracking) are ignored."""

    model_config = ConfigDict(extra="ignore")


class PageQuery(QueryModel):
    limit: int = Field(default=20, ge=1, le=50)
    cursor: str | None = None

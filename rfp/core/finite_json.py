"""JSON out of the app is valid JSON: never `Infinity` or `NaN`.

Python's json writes them by default, and a browser's JSON.parse (or any strict reader)
then fails on the whole answer. The bounds keep the engine's figures finite
(rfp.domain.bounds); this is the last line: a figure that is not finite anyway (data
saved before the bounds existed) answers a 500 naming the figure, in JSON, and is logged.
"""

from __future__ import annotations

import math
from typing import Any

from flask.json.provider import DefaultJSONProvider


class NotFiniteFigure(ValueError):
    """A figure about to be sent as JSON is infinite or not a number."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(
            f"A figure of the answer ({path}) is not a finite number; nothing was sent. "
            "An administrator needs to correct the evaluation's figures."
        )


def first_not_finite(value: Any, path: str = "") -> str | None:
    """The path ("vendors[0].cost.tco") of the first infinite or NaN float, or None."""
    if isinstance(value, float):
        return None if math.isfinite(value) else (path or "the answer")
    items: Any = ()
    if isinstance(value, dict):
        items = ((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
    elif isinstance(value, list | tuple):
        items = ((f"{path}[{i}]", v) for i, v in enumerate(value))
    for inner_path, inner in items:
        found = first_not_finite(inner, inner_path)
        if found:
            return found
    return None


class FiniteJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing to write `Infinity` and `NaN` (app.json)."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        kwargs.setdefault("allow_nan", False)
        try:
            return super().dumps(obj, **kwargs)
        except ValueError as exc:
            path = first_not_finite(obj)
            if path is None:
                raise
            raise NotFiniteFigure(path) from exc

"""The one way an operation says no: `Refused(field, message, kind)`.

Operations check before they write and raise `Refused` for what they will not do;
nothing has been written when it is raised (and the unit of work rolls back whatever
was flushed). `field` names the input at fault, so that a form can show the message
under it ("" for the request as a whole); `kind` says why, and the web layer maps it to
the HTTP answer in one place (rfp.core.unit_of_work):

- `invalid` (400): the input is wrong; correct it and send again;
- `forbidden` (403): this person may not do this;
- `not_found` (404): no such thing, or not theirs to know of;
- `conflict` (409): the stage or the state forbids it now; the same request could
  succeed at another time.

Pure Python: the CLI and the scenario import raise and read it as well as the views.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum


class RefusalKind(StrEnum):
    INVALID = "invalid"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"

    @property
    def status(self) -> int:
        return _STATUS[self]


_STATUS = {
    RefusalKind.INVALID: 400,
    RefusalKind.FORBIDDEN: 403,
    RefusalKind.NOT_FOUND: 404,
    RefusalKind.CONFLICT: 409,
}

INVALID = RefusalKind.INVALID
FORBIDDEN = RefusalKind.FORBIDDEN
NOT_FOUND = RefusalKind.NOT_FOUND
CONFLICT = RefusalKind.CONFLICT


class Refused(Exception):
    """A change was refused; nothing was written.

    `subject_id` optionally names the row the refusal is about (a question of a
    scorecard, a vendor of a list), for forms that repeat a field per row.
    """

    def __init__(
        self,
        field: str,
        message: str,
        kind: RefusalKind | str = RefusalKind.INVALID,
        *,
        subject_id: int | None = None,
    ) -> None:
        self.field = field
        self.message = message
        self.kind = RefusalKind(kind)
        self.subject_id = subject_id
        super().__init__(f"{field}: {message}" if field else message)

    @property
    def status(self) -> int:
        return self.kind.status

    @property
    def refusals(self) -> list[Refused]:
        """Every refusal this one stands for (itself, or each of several)."""
        return [self]


class Refusals(Refused):
    """Several refusals at once (a form that saves many rows): nothing was written. Its
    kind is the most serious of its parts' (a conflict outweighs bad input)."""

    def __init__(self, refusals: Sequence[Refused]) -> None:
        parts = [r for refusal in refusals for r in refusal.refusals]
        if not parts:
            raise ValueError("Refusals needs at least one refusal")
        kind = max((r.kind for r in parts), key=lambda k: k.status)
        super().__init__("", "; ".join(r.message for r in parts), kind)
        self.parts = parts

    @property
    def refusals(self) -> list[Refused]:
        return list(self.parts)


def refuse_all(refusals: Iterable[Refused]) -> None:
    """Raise the refusals collected while checking a whole form, if there are any."""
    found = list(refusals)
    if len(found) == 1:
        raise found[0]
    if found:
        raise Refusals(found)

"""What the Letters page shows of each vendor's letter: its kind, the vendor's standing,
whether the lead saved it, and once sent, when, by whom and how its e-mail fared."""

from __future__ import annotations

from dataclasses import dataclass

from rfp import models as m
from rfp.domain.scoring.result import VendorResult
from rfp.domain.vocabulary import LetterKind, MailStatus


@dataclass(frozen=True)
class LetterRow:
    vendor: m.Vendor
    outcome: VendorResult
    kind: LetterKind
    letter: m.OutcomeLetter | None
    message: m.MailMessage | None

    @property
    def state(self) -> str:
        if self.letter is None:
            return "Draft, not reviewed"
        if not self.letter.sent:
            return "Reviewed, not sent"
        return "Sent"

    @property
    def badge(self) -> str:
        if self.letter is None:
            return "badge-muted"
        return "badge-ok" if self.letter.sent else "badge-warn"

    @property
    def standing(self) -> str:
        if self.outcome.rank is not None:
            return f"rank {self.outcome.rank}"
        return "disqualified" if self.outcome.disqualified else "not ranked"

    @property
    def may_send(self) -> bool:
        return self.letter is not None and not self.letter.sent and bool(self.vendor.contact_email)

    @property
    def mail_status(self) -> str:
        return MailStatus(self.message.status).label if self.message is not None else ""

"""What the outbox shows of each message: its kind, to whom, its subject, status,
attempts and last error, never its body (a body may carry a link that is a secret)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rfp import models as m
from rfp.areas.mail.operations import kind_label
from rfp.domain.vocabulary import MailStatus

STATUS_BADGES = {
    MailStatus.QUEUED: "badge-muted",
    MailStatus.SENT: "badge-ok",
    MailStatus.FAILED: "badge-bad",
}


@dataclass(frozen=True)
class OutboxRow:
    message: m.MailMessage

    @property
    def kind(self) -> str:
        return kind_label(self.message.kind)

    @property
    def status_label(self) -> str:
        return MailStatus(self.message.status).label

    @property
    def badge(self) -> str:
        return STATUS_BADGES[MailStatus(self.message.status)]

    @property
    def attachments(self) -> list[str]:
        return [a.get("filename", "") for a in self.message.attachments or []]

    @property
    def retrying(self) -> bool:
        """Waiting after a failed attempt (it will be tried again by itself)."""
        return self.message.status is MailStatus.QUEUED and bool(self.message.last_error)

    @property
    def may_send_again(self) -> bool:
        return self.message.status is MailStatus.FAILED


@dataclass(frozen=True)
class OutboxPage:
    rows: list[OutboxRow]
    counts: Mapping[MailStatus, int]
    shown: MailStatus | None  # the status filtered on, or None for every message

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def outbox_page(
    messages: Sequence[m.MailMessage],
    counts: Mapping[MailStatus, int],
    shown: MailStatus | None,
) -> OutboxPage:
    return OutboxPage([OutboxRow(message) for message in messages], counts, shown)

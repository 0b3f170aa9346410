"""Competition ranking ("1, 2, 2, 4") with a tolerance for floating-point ties."""

from __future__ import annotations

from collections.abc import Sequence

TIE_TOLERANCE = 1e-9


def competition_order(
    entries: Sequence[tuple[str, str, float]], tolerance: float = TIE_TOLERANCE
) -> list[tuple[str, int]]:
    """Rank (key, name, total) entries, highest total first.

    Totals within `tolerance` of the first total of their group share its rank, and the
    next rank skips as many places as the group holds. Tied entries are listed by name.
    Returns (key, rank) pairs in display order.
    """
    by_total = sorted(entries, key=lambda e: -e[2])
    ordered: list[tuple[str, int]] = []
    position = 0
    while position < len(by_total):
        head = by_total[position][2]
        group_end = position
        while group_end < len(by_total) and head - by_total[group_end][2] <= tolerance:
            group_end += 1
        group = sorted(by_total[position:group_end], key=lambda e: (e[1], e[0]))
        ordered.extend((key, position + 1) for key, _name, _total in group)
        position = group_end
    return ordered

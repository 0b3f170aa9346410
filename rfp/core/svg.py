"""What every chart drawn as inline SVG shares: the palette and coordinates as text.

The charts themselves are geometry built in their areas (results, pilot) and drawn by
templates, every text escaped by Jinja.
"""

from __future__ import annotations

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#8C8C8C",
    "#F0E442",
)


def colour(index: int) -> str:
    """The palette's colour for the index-th series, round again after the eighth."""
    return PALETTE[index % len(PALETTE)]


def px(value: float) -> str:
    """An SVG coordinate, three decimals without trailing zeros."""
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"

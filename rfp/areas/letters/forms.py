"""The letter's form: the lead's four paragraphs and the choice to disclose the awarded
vendor's price; and the buttons (CSRF only) to start again from the draft and to send."""

from __future__ import annotations

from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length

from rfp.areas.letters.drafting import LetterWords
from rfp.areas.letters.operations import MAX_FIELD_LENGTH
from rfp.core.forms import CheckedForm

TOO_LONG = f"At most {MAX_FIELD_LENGTH:,} characters."


def _text(label: str, description: str) -> TextAreaField:
    return TextAreaField(
        label,
        description=description,
        validators=[Length(max=MAX_FIELD_LENGTH, message=TOO_LONG)],
    )


class LetterForm(CheckedForm):
    opening = _text("Opening", "The first paragraph, after the result in one sentence.")
    strengths = _text(
        "Strengths",
        "One point a line (start a line with “- ” for a bullet). Drafted from the consensus "
        "rationales and the evaluators' justifications: rewrite them for the vendor.",
    )
    weaknesses = _text(
        "Weaknesses",
        "Where the proposal fell short (for the awarded vendor: points to settle before "
        "contract). Drafted like the strengths: rewrite before sending.",
    )
    closing = _text("Closing", "Next steps, or the offer of a debrief call.")
    disclose_winner_price = BooleanField(
        "Disclose the awarded vendor's price in this letter",
        description="Off by default: the letter then states this vendor's own quote only, "
        "and withholds the awarded proposal's price score and total.",
    )

    def words(self) -> LetterWords:
        return LetterWords(
            opening=self.opening.data or "",
            strengths=self.strengths.data or "",
            weaknesses=self.weaknesses.data or "",
            closing=self.closing.data or "",
        )


def letter_form(words: LetterWords, disclose: bool) -> LetterForm:
    """The form filled with the saved words or the draft (a POST's own data wins)."""
    return LetterForm(
        opening=words.opening,
        strengths=words.strengths,
        weaknesses=words.weaknesses,
        closing=words.closing,
        disclose_winner_price=disclose,
    )


class ButtonForm(CheckedForm):
    """ "Start again from the draft" and "Send": CSRF only."""

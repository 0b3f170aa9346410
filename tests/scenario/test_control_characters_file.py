"""Every control character the rules refuse is found in a scenario file, however JSON
writes it (an escape such as \\u0000, \\b and \\f, or DEL and the C1 controls as they
are), with the path of its field; a backslash typed in a text is not one."""

from __future__ import annotations

import pytest

from rfp.scenario.checks import ScenarioError
from rfp.scenario.schema import normalise_scenario


@pytest.mark.parametrize(
    ("character", "named"),
    [
        ("\x00", "NUL"),
        ("\x07", "U+0007"),
        ("\x08", "U+0008"),  # JSON's \b
        ("\x0c", "U+000C"),  # JSON's \f
        ("\x1b", "ESC"),
        ("\x7f", "DEL"),
        ("\x85", "U+0085"),  # a C1 control, written as it is
    ],
)
def test_a_control_character_in_a_vendor_name_is_refused_with_its_path(
    make_scenario, character, named
):
    doc = make_scenario()
    doc["vendors"][1]["name"] = f"Beta{character} Support"
    with pytest.raises(ScenarioError) as refused:
        normalise_scenario(doc)
    assert f"vendors[1].name: contains a control character ({named}); remove it" in (
        refused.value.errors
    )


def test_backslashes_tabs_and_line_ends_are_text(make_scenario):
    doc = make_scenario()
    doc["vendors"][1]["name"] = "Beta\\bf Support\\f"  # a backslash, then b or f
    doc["vendors"][1]["notes"] = "Line one\r\nLine two\tend"
    assert normalise_scenario(doc)["vendors"][1]["name"] == "Beta\\bf Support\\f"

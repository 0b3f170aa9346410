"""Every control character the rules refuse is found in a scenario file, however JSON
writes it (an escape such as \\u0000, \\b and \\f, or DEL and the C1 controls as they
are), with the path of its field; a backslash typed in a text is not one."""

from __future__ import annotations

import json
import re

import pytest

from rfp.scenario.checks import ScenarioError
from rfp.scenario.schema import load_scenario_text, normalise_scenario


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


# The file's own text is searched (not the document written again): every way a JSON
# file can carry the character, in every encoding json.loads reads.
CHARACTERS = [("\x00", "NUL"), ("\x0c", "U+000C"), ("\x1b", "ESC"), ("\x7f", "DEL"),
              ("\x85", "U+0085"), ("\x9f", "U+009F")]  # fmt: skip


def _file_texts(doc):
    """(label, text) for the same document written as a file can be."""
    plain = json.dumps(doc, ensure_ascii=False)
    escaped = json.dumps(doc)  # every non-ASCII character as \\u00xx, lower case
    upper = re.sub(r"\\u([0-9a-f]{4})", lambda m: "\\u" + m.group(1).upper(), escaped)
    return [
        ("str, as it is", plain),
        ("str, escaped", escaped),
        ("UTF-8, escaped in upper case", upper.encode("utf-8")),
        ("UTF-8, as it is", plain.encode("utf-8")),
        ("UTF-8 with a BOM", b"\xef\xbb\xbf" + plain.encode("utf-8")),
        ("UTF-16", plain.encode("utf-16")),
        ("UTF-32 little-endian", plain.encode("utf-32-le")),
    ]


@pytest.mark.parametrize(("character", "named"), CHARACTERS)
def test_a_control_character_in_the_file_text_is_found_however_it_is_written(
    make_scenario, character, named
):
    doc = make_scenario()
    doc["vendors"][1]["name"] = f"Beta{character} Support"
    for label, text in _file_texts(doc):
        with pytest.raises(ScenarioError) as refused:
            load_scenario_text(text)
        assert f"vendors[1].name: contains a control character ({named}); remove it" in (
            refused.value.errors
        ), label


def test_a_control_character_in_a_field_name_of_the_file_is_found(make_scenario):
    doc = make_scenario()
    doc["vendors"][0]["bad\u0085key"] = 1
    for label, text in _file_texts(doc):
        with pytest.raises(ScenarioError) as refused:
            load_scenario_text(text)
        assert (
            "vendors[0]: a field name contains a control character (U+0085); remove it"
            in refused.value.errors
        ), label


def test_a_file_without_control_characters_reads_in_every_encoding(make_scenario):
    doc = make_scenario()
    # Characters next to the refused ones, and text that looks like their escapes.
    doc["vendors"][1]["name"] = "Beta \u00a0\u00a3\u00bf\u0100 Support \\u0000 \\b"
    doc["vendors"][1]["notes"] = "Line one\r\nLine two\tend"
    for label, text in _file_texts(doc):
        scenario = load_scenario_text(text)
        assert scenario["vendors"][1]["name"] == doc["vendors"][1]["name"], label
        assert scenario["vendors"][1]["notes"] == doc["vendors"][1]["notes"], label

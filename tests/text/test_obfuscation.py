"""Every obfuscation sellers use, found in the shipped lexicon by the real detector."""

from __future__ import annotations

import pytest

from wildwatch import Detector

# (what the seller wrote, the group it must be found for, words a reviewer must see
# highlighted: part of a match's text in the post, exactly as written)
CASES = [
    ("carved ivory bangle", "elephant", "carved ivory"),
    ("CARVED IVORY", "elephant", "CARVED IVORY"),
    ("CaRvEd IvOrY", "elephant", "CaRvEd IvOrY"),
    ("1v0ry tusk for sale", "elephant", "1v0ry tusk"),
    ("selling 1vory now", "elephant", "1vory"),
    ("old 1v0ry", "elephant", "1v0ry"),
    ("i.v.o.r.y bangle", "elephant", "i.v.o.r.y bangle"),
    ("i-v-o-r-y", "elephant", "i-v-o-r-y"),
    ("i v o r y", "elephant", "i v o r y"),
    ("i_v_o_r_y", "elephant", "i_v_o_r_y"),
    ("i*v*o*r*y", "elephant", "i*v*o*r*y"),
    ("i . v . o . r . y", "elephant", "i . v . o . r . y"),
    ("iv\u200bory bangle", "elephant", "iv\u200bory bangle"),
    ("i\u200dv\u200co\u2060r\ufeffy", "elephant", "i\u200dv\u200co\u2060r\ufeffy"),
    ("ｉｖｏｒｙ", "elephant", "ｉｖｏｒｙ"),
    ("ＩＶＯＲＹ ＢＡＮＧＬＥ", "elephant", "ＩＶＯＲＹ ＢＡＮＧＬＥ"),
    ("іvоrу", "elephant", "іvоrу"),  # Cyrillic і, о, у
    ("ivοry", "elephant", "ivοry"),  # Greek omicron
    ("𝐢𝐯𝐨𝐫𝐲", "elephant", "𝐢𝐯𝐨𝐫𝐲"),  # mathematical bold
    ("ⓘⓥⓞⓡⓨ", "elephant", "ⓘⓥⓞⓡⓨ"),  # circled letters
    ("ivoryyyy bangle", "elephant", "ivoryyyy bangle"),
    ("iiivory", "elephant", "iiivory"),
    ("i\u0301vo\u0300ry", "elephant", "i\u0301vo\u0300ry"),  # combining accents
    ("#CarvedIvoryTusk", "elephant", "#CarvedIvoryTusk"),
    ("#carvedivorytusk", "elephant", "#carvedivorytusk"),
    ("#IvoryForSale", "elephant", "#IvoryForSale"),
    ("#oldivorytusks", "elephant", "ivory"),
    ("#LoroGrisAfricano", "birds", "LoroGrisAfricano"),  # a phrase run together in a tag
    ("#HuevosDeTortuga", "marine_turtle", "HuevosDeTortuga"),
    ("#ant1qu3iv0ry", "elephant", "#ant1qu3iv0ry"),  # leetspeak inside a tag
    ("象牙手镯", "elephant", "象牙"),
    ("象 牙 手镯", "elephant", "象 牙"),
    ("象-牙", "elephant", "象-牙"),
    ("象．牙", "elephant", "象．牙"),  # full-width full stop
    ("熊膽", "bear", "熊膽"),  # Traditional for 熊胆
    ("犀角杯", "rhino", "犀角"),
    ("穿山甲片", "pangolin", "穿山甲片"),
    ("ngà voi thật", "elephant", "ngà voi"),
    ("nga voi that", "elephant", "nga voi"),  # Vietnamese typed without diacritics
    ("NGÀ VOI", "elephant", "NGÀ VOI"),
    ("vảy tê tê", "pangolin", "vảy tê tê"),
    ("vay te te", "pangolin", "vay te te"),
    ("งาช้าง", "elephant", "งาช้าง"),
    ("นอแรด", "rhino", "นอแรด"),
    ("sisik trenggiling", "pangolin", "sisik trenggiling"),
    ("べっ甲", "marine_turtle", "べっ甲"),
    ("p4ng0lin scales", "pangolin", "p4ng0lin scales"),
    ("rh1n0 h0rn", "rhino", "rh1n0 h0rn"),
    ("RHINO-HORN", "rhino", "RHINO-HORN"),
    ("rhino\u00a0horn", "rhino", "rhino\u00a0horn"),  # no-break space
    ("rhino\nhorn", "rhino", "rhino\nhorn"),
    ("bear   bile", "bear", "bear   bile"),
    ("hawksbill shell", "marine_turtle", "hawksbill shell"),
    ("white plastic", "elephant", "white plastic"),
]


def test_the_table_is_long_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize(("written", "group", "highlight"), CASES)
def test_obfuscation_is_found(detector: Detector, written: str, group: str,
                              highlight: str) -> None:
    verdict = detector.scan({"id": "p", "text": written})
    groups = {match.group for match in verdict.matches}
    shown = {match.text for match in verdict.matches if match.group == group}
    assert group in groups, f"{written!r}: no {group} match in {verdict.matches}"
    assert any(highlight in text for text in shown), (
        f"{written!r}: highlighted {shown}, wanted {highlight!r}")

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "tracker" / "translations" / "ko" / "LC_MESSAGES" / "messages.po"


def korean_catalog():
    with CATALOG.open("rb") as file:
        return read_po(file)


def test_every_message_has_a_korean_translation():
    catalog = korean_catalog()
    untranslated = [m.id for m in catalog if m.id and (
        "fuzzy" in m.flags or not (m.string if isinstance(m.string, str) else all(m.string)))]
    assert untranslated == []


def test_the_catalog_holds_every_message_in_the_code():
    catalog = korean_catalog()
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    method_map = [("tracker/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    in_code = {msg if isinstance(msg, str) else msg[0]
               for _, _, msg, *_ in extract_from_dir(str(ROOT), method_map, keywords=keywords)}
    assert sorted(in_code - known) == [], "run `make extract-messages` and translate the new entries"

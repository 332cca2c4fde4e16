"""What every importer does with headers and cells."""
import re

from flask_babel import gettext as _

from tracker.importers.records import FileProblem
from tracker.vocabulary import normalise_label

# A leading apostrophe that an export put before =, +, - or @ so spreadsheets show text.
_FORMULA_GUARD = re.compile(r"^'(?=[=+\-@])")


def header_index(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """{folded header name: field} from {field: (names people write, ...)}."""
    return {normalise_label(a): field for field, names in aliases.items() for a in names}


def match_headers(headers: list[str], index: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """header -> field for the known columns (Korean or English, any order or spacing), and the
    names of the unknown ones. Two columns for one field are refused."""
    mapping: dict[str, str] = {}
    unknown: list[str] = []
    seen: dict[str, str] = {}
    for header in headers:
        field = index.get(normalise_label(header or ""))
        if field is None:
            if (header or "").strip():
                unknown.append(header)
            continue
        if field in seen:
            raise FileProblem(_("Columns “%(a)s” and “%(b)s” are the same field; keep one.",
                                a=seen[field], b=header))
        seen[field] = header
        mapping[header] = field
    return mapping, unknown


def cell_text(value) -> str:
    """A cell as text: numbers without a spurious .0, lists joined, an export's guard removed."""
    if value is None:
        return ""
    if isinstance(value, str):  # most cells: the same as below, without the regular expression
        text = value.strip()
        return text[1:] if len(text) > 1 and text[0] == "'" and text[1] in "=+-@" else text
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, list):
        value = ", ".join(cell_text(v) for v in value)
    return _FORMULA_GUARD.sub("", str(value).strip())

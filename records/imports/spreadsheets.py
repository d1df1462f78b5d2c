"""XLSX workbooks read safely: the zip directory checked first (size, ratio, encryption, macros), then
the sheets read by openpyxl in read-only mode, formulas kept as their text (never computed), so that a
formula cell is reported as an error of its row like a CSV one. A text cell is text whatever it begins
with: one beginning like a formula is given escaped as CSV escapes it (a leading apostrophe), so that
the table reader keeps it as written."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.utils.translation import gettext
from openpyxl import load_workbook

from records.formats.table import FORMULA_START

XLSX_MAX_RATIO = 100  # a workbook (a zip) may expand to at most this many times its size
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted (or legacy .xls) Office file


class SpreadsheetRefused(Exception):
    """The workbook cannot be read safely; the message says why."""


Sheet = tuple[str, list[str], list[list[Any]]]  # a sheet's title, header and rows


def xlsx_sheets(content: bytes, *, max_unpacked: int) -> list[Sheet]:
    """Every sheet's title, header and rows (a sheet without any cell left out). Raises SpreadsheetRefused."""
    check_zip(content, max_unpacked)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
        sheets = [(sheet.title, [[_value(cell) for cell in line] for line in sheet.iter_rows()]) for sheet in workbook]
        workbook.close()
    except Exception:  # openpyxl raises many kinds for a broken workbook
        raise SpreadsheetRefused(gettext("The file is not a readable XLSX workbook.")) from None
    found = [(title, [str(cell or "") for cell in lines[0]], lines[1:]) for title, lines in sheets if lines]
    if not found:
        raise SpreadsheetRefused(gettext("The file is empty."))
    return found


def _value(cell: Any) -> Any:
    """A cell's value; a text cell beginning like a formula escaped with an apostrophe (a formula cell,
    data type "f", is left as its text, which the reader refuses)."""
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "s" and isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def check_zip(content: bytes, max_unpacked: int) -> zipfile.ZipFile:
    """An XLSX's zip directory read without unpacking anything: refused when encrypted, macro-enabled,
    or expanding beyond `max_unpacked` bytes or XLSX_MAX_RATIO times its size (a zip bomb)."""
    if content.startswith(OLE2_SIGNATURE):
        raise SpreadsheetRefused(
            gettext("The file is password-protected (or an old .xls); save it as an ordinary .xlsx without a password.")
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except Exception:  # BadZipFile, and whatever a damaged directory makes zipfile raise (NotImplementedError…)
        raise SpreadsheetRefused(gettext("The file is not a readable XLSX workbook.")) from None
    names = {info.filename.lower() for info in infos}
    if any(name.endswith("vbaproject.bin") for name in names):
        raise SpreadsheetRefused(gettext("The workbook holds macros; save it as an .xlsx without macros."))
    if any(info.flag_bits & 0x1 for info in infos):
        raise SpreadsheetRefused(gettext("The workbook is encrypted; save it without a password."))
    unpacked = sum(info.file_size for info in infos)
    if unpacked > max_unpacked or unpacked > XLSX_MAX_RATIO * max(len(content), 1):
        raise SpreadsheetRefused(
            gettext("The workbook expands to far more than its size; it is refused as a zip bomb.")
        )
    if "xl/workbook.xml" not in names:
        raise SpreadsheetRefused(gettext("The file is not a readable XLSX workbook."))
    return archive

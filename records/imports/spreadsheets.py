"""XLSX workbooks read safely: the zip directory checked first (size, ratio, encryption, macros), then
the sheets read by openpyxl in read-only mode, formulas kept as their text (never computed), so that a
formula cell is reported as an error of its row like a CSV one. A text cell is text whatever it begins
with: one beginning like a formula is given escaped as CSV escapes it (a leading apostrophe), so that
the table reader keeps it as written."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from records.content.registry import registry
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


def sheet_type(title: str) -> str | None:
    """The record type a sheet's title names: its name or plural, or its name in a language of the site,
    in any case."""
    wanted = title.strip().casefold()
    for spec in registry:
        names = {spec.name, spec.plural}
        for language in ("en", "ru", "kk"):
            with translation.override(language):
                names |= {str(spec.verbose_name), str(spec.verbose_name_plural)}
        if wanted in {name.casefold() for name in names}:
            return spec.name
    return None


def sheet_types(sheets: list[Sheet], record_type: str) -> list[str]:
    """The record type of each sheet: a workbook of one sheet is of `record_type` if given, else of the type
    its sheet's name names; in a workbook of several, each sheet's name names its type. Raises
    SpreadsheetRefused when a type is not named."""
    if len(sheets) == 1:
        found = record_type or sheet_type(sheets[0][0])
        if not found:
            raise SpreadsheetRefused(
                gettext("Say which record type the table holds (record_type), or name its sheet by the type.")
            )
        return [found]
    types = [sheet_type(title) for title, _, _ in sheets]
    unknown = [title for (title, _, _), found in zip(sheets, types, strict=True) if found is None]
    if unknown:
        raise SpreadsheetRefused(
            gettext(
                "Sheets whose names are not a record type: %(sheets)s. In a workbook of several sheets, name "
                "each sheet by the type of its records: %(types)s."
            )
            % {"sheets": ", ".join(repr(title) for title in unknown[:20]), "types": ", ".join(registry.names())}
        )
    return [found for found in types if found]


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

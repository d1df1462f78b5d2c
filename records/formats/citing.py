"""Bibliographic forms: sources as CSL-JSON and BibTeX, and "cite this record" for any record.

CSL-JSON is the Citation Style Language's data format (what Zotero and citeproc read); BibTeX is
written by `bibtexparser`, whose LaTeX-encoding middleware escapes special characters. A record is
cited as a dataset entry of Bailanys at a revision, with that revision's permanent URL.
"""

from __future__ import annotations

import datetime as dt
import re

import bibtexparser
from bibtexparser.middlewares import LatexEncodingMiddleware
from bibtexparser.model import Entry, Field
from django.utils import timezone
from unidecode import unidecode

from records.dates import edtf
from records.models import Record, Source

PORTAL_TITLE = "Bailanys: regional foreign relations of Kazakhstan"

CSL_TYPES = {
    "book": "book",
    "edited_book": "book",
    "document_collection": "book",
    "journal_article": "article-journal",
    "newspaper_article": "article-newspaper",
    "web_page": "webpage",
    "report": "report",
    "archival_file": "manuscript",
}
BIBTEX_TYPES = {
    "book": "book",
    "edited_book": "book",
    "document_collection": "book",
    "journal_article": "article",
    "newspaper_article": "article",
    "web_page": "online",
    "report": "techreport",
    "archival_file": "misc",
}

# The fields a source shares with CSL-JSON and BibTeX, one pair (their key, its field) each: the exports
# write them, the import (records/imports/) reads them back. BibTeX's "container" is `journal` for
# articles and `booktitle` otherwise.
CSL_FIELDS = (
    ("container-title", "container_title"),
    ("publisher", "publisher"),
    ("publisher-place", "publisher_place"),
    ("volume", "volume"),
    ("issue", "issue"),
    ("edition", "edition"),
    ("DOI", "doi"),
    ("URL", "url"),
    ("language", "language"),
)
BIBTEX_FIELDS = (
    ("container", "container_title"),
    ("publisher", "publisher"),
    ("address", "publisher_place"),
    ("volume", "volume"),
    ("number", "issue"),
    ("edition", "edition"),
    ("doi", "doi"),
    ("url", "url"),
    ("language", "language"),
)


def _date_parts(value: str) -> dict | None:
    """CSL date from an EDTF value: a year (or day) or a range of them; the EDTF itself as `raw`."""
    if not value:
        return None
    try:
        bounds = edtf.parse(value)
    except Exception:
        return {"raw": value}
    parts = []
    for bound in (bounds.lower, bounds.upper):
        if bound is None:
            continue
        precise = re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
        parts.append([bound.year, bound.month, bound.day] if precise else [bound.year])
    if len(parts) == 2 and parts[0] == parts[1]:
        parts = parts[:1]
    return {"date-parts": parts, "raw": value} if parts else {"raw": value}


def archival_location(source: Source) -> str:
    bits = [
        f"fund {source.fund}" if source.fund else "",
        f"series {source.series}" if source.series else "",
        f"file {source.file}" if source.file else "",
        f"pp. {source.pages}" if source.pages else "",
    ]
    return ", ".join(bit for bit in bits if bit)


def source_csl(source: Source, base_url: str = "") -> dict:
    """A source as one CSL-JSON item."""
    kind = source.kind_id
    item: dict = {"id": f"bailanys-{source.pk}", "type": CSL_TYPES.get(kind, "document"), "title": source.label}
    if source.authors:
        item["author"] = source.authors
    if source.editors:
        item["editor"] = source.editors
    issued = _date_parts(source.date)
    if issued:
        item["issued"] = issued
    for key, name in CSL_FIELDS:
        value = getattr(source, name)
        if value:
            item[key] = value
    if kind == "archival_file":
        if source.archive_id:
            item["archive"] = source.archive.label
        item["archive_location"] = archival_location(source)
    elif source.pages:
        item["page"] = source.pages
    if source.accessed:
        item["accessed"] = {"date-parts": [[source.accessed.year, source.accessed.month, source.accessed.day]]}
    if base_url:
        item["note"] = f"Bailanys source {base_url.rstrip('/')}{source.get_absolute_url()}"
    return item


def _bibtex_names(people: list[dict]) -> str:
    names = []
    for person in people:
        if person.get("literal"):
            names.append("{" + person["literal"] + "}")
        else:
            names.append(", ".join(part for part in (person.get("family", ""), person.get("given", "")) if part))
    return " and ".join(names)


def bibtex_key(source: Source) -> str:
    first = (source.authors or [{}])[0]
    name = (
        first.get("family") or first.get("literal") or (source.archive.acronym if source.archive_id else "") or "source"
    )
    year = ""
    if source.date:
        try:
            lower = edtf.parse(source.date).lower
            year = str(lower.year) if lower else ""
        except Exception:
            year = ""
    stem = re.sub(r"[^A-Za-z0-9]", "", unidecode(name)).lower() or "source"
    return f"{stem}{year}-{source.pk}"


def sources_bibtex(sources: list[Source]) -> str:
    """BibTeX for several sources (LaTeX-escaped by bibtexparser)."""
    library = bibtexparser.Library()
    for source in sources:
        fields = [Field("title", source.label)]
        if source.authors:
            fields.append(Field("author", _bibtex_names(source.authors)))
        if source.editors:
            fields.append(Field("editor", _bibtex_names(source.editors)))
        issued = _date_parts(source.date)
        if issued and issued.get("date-parts"):
            fields.append(Field("year", str(issued["date-parts"][0][0])))
        kind = source.kind_id
        container = "journal" if kind in ("journal_article", "newspaper_article") else "booktitle"
        for key, name in BIBTEX_FIELDS:
            value = getattr(source, name)
            if value:
                fields.append(Field(container if key == "container" else key, value))
        if kind == "archival_file":
            if source.archive_id:
                fields.append(Field("howpublished", source.archive.label))
            fields.append(Field("note", archival_location(source)))
        elif source.pages:
            fields.append(Field("pages", source.pages.replace("-", "--")))
        if source.accessed:
            fields.append(Field("urldate", source.accessed.isoformat()))
        library.add(Entry(BIBTEX_TYPES.get(kind, "misc"), bibtex_key(source), fields))
    return bibtexparser.write_string(library, prepend_middleware=[LatexEncodingMiddleware(keep_math=True)])


def record_csl(record: Record, *, revision: int, revised_at: dt.datetime, permalink: str) -> dict:
    """A record at one revision, as a CSL-JSON dataset item of Bailanys."""
    today = timezone.localdate()
    return {
        "id": f"bailanys-{record.pk}-r{revision}",
        "type": "dataset",
        "title": record.label,
        "author": [{"literal": "Bailanys contributors"}],
        "container-title": PORTAL_TITLE,
        "publisher": "Bailanys",
        "version": f"revision {revision}",
        "issued": {"date-parts": [[revised_at.year, revised_at.month, revised_at.day]]},
        "accessed": {"date-parts": [[today.year, today.month, today.day]]},
        "URL": permalink,
    }


def record_bibtex(record: Record, *, revision: int, revised_at: dt.datetime, permalink: str) -> str:
    library = bibtexparser.Library()
    library.add(
        Entry(
            "misc",
            f"bailanys{record.pk}r{revision}",
            [
                Field("title", record.label),
                Field("author", "{Bailanys contributors}"),
                Field("howpublished", PORTAL_TITLE),
                Field("version", str(revision)),
                Field("year", str(revised_at.year)),
                Field("url", permalink),
                Field("urldate", timezone.localdate().isoformat()),
            ],
        )
    )
    return bibtexparser.write_string(library, prepend_middleware=[LatexEncodingMiddleware(keep_math=True)])


def record_citation_text(record: Record, *, revision: int, revised_at: dt.datetime, permalink: str) -> str:
    """A plain-text citation: Bailanys contributors. "Title." Bailanys, revision N, date. URL (accessed ...)."""
    return (
        f'Bailanys contributors. "{record.label}." {PORTAL_TITLE}, revision {revision}, '
        f"{revised_at:%Y-%m-%d}. {permalink} (accessed {timezone.localdate():%Y-%m-%d})."
    )

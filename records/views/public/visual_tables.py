"""The tables of /map/, /timeline/ and /network/: what readers without JavaScript and screen readers use
(the drawings read the whole of the data from the API). Each shows a bounded part of its view's data,
TABLE_ROWS rows, with links to the next and the previous part, so that every row can be reached: the
map's and the network's parts are slices of their bounded, ordered data (the heaviest first); the
timeline's a keyset walk in date order through every dated record. Rows are written as prepared
strings (format_html), not by template loops: a page costs the same whatever its data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.template.defaultfilters import floatformat
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from records.reads.geography import MapLink, MapPlace
from records.reads.network import Edge, Node
from records.reads.pagination import BadCursor, date_cursor, decode_date_cursor
from records.reads.timeline import Entry, Timeline
from records.templatetags.records_display import rlabel, type_name

TABLE_ROWS = 50


@dataclass
class TablePart:
    """The rows of a table shown on the page, where they stand among all, and the links to the others."""

    rows: SafeString
    first: int  # the number of the first row shown (from 1), 0 when none is
    last: int
    total: int | None  # None: not said here (the timeline says its own total)
    next_url: str = ""
    previous_url: str = ""
    previous_is_start: bool = False  # the previous link goes back to the first rows (a keyset walk)


def _url(params: dict, anchor: str, **part) -> str:
    return "?" + urlencode({**params, **part}) + "#" + anchor


def offset(text: str) -> int:
    """A table's first row from its `…_from` parameter: anything but a small whole number is 0."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else 0


def sliced(items: list, start: int, name: str, params: dict, anchor: str, row: Callable) -> TablePart:
    """TABLE_ROWS of `items` from `start` (on a row boundary of the parts), with links to the next and
    the previous part (the query parameter `<name>_from`)."""
    start = min(start - start % TABLE_ROWS, max(len(items) - 1, 0) // TABLE_ROWS * TABLE_ROWS)
    shown = items[start : start + TABLE_ROWS]
    key = f"{name}_from"
    back = {key: start - TABLE_ROWS} if start > TABLE_ROWS else {}  # the first part: no parameter
    return TablePart(
        rows=_rows(shown, row),
        first=start + 1 if shown else 0,
        last=start + len(shown),
        total=len(items),
        next_url=_url(params, anchor, **{key: start + TABLE_ROWS}) if start + TABLE_ROWS < len(items) else "",
        previous_url=_url(params, anchor, **back) if start else "",
    )


def _rows(items: Iterable, row: Callable) -> SafeString:
    return format_html_join("\n", "{}", ((row(item),) for item in items))


def _count(value: int) -> str:
    return number_format(value)


# ------------------------------------------------------------------ the map


def _pair_row(first: tuple[str, str], second: tuple[str, str], agreements: int, events: int) -> SafeString:
    """A row of two linked records (url, name) and the agreements and events joining them."""
    return format_html(
        '<tr><td><a href="{}">{}</a></td><td><a href="{}">{}</a></td>'
        '<td class="num">{}</td><td class="num">{}</td></tr>',
        *first,
        *second,
        _count(agreements),
        _count(events),
    )


def map_link_row(link: MapLink) -> SafeString:
    home, partner = link.home, link.partner
    return _pair_row(
        (f"{home.url}#partners-title", home.name),
        (f"{partner.url}#partners-title", partner.name),
        link.agreements,
        link.events,
    )


def map_place_row(item: MapPlace) -> SafeString:
    place = item.place
    return format_html(
        '<tr><td><a href="{}#partners-title">{}</a></td><td>{}</td><td class="num">{}</td>'
        '<td class="num">{}</td><td class="num">{}</td></tr>',
        item.url,
        item.name,
        rlabel(place.kind),
        floatformat(place.latitude, "-4"),
        floatformat(place.longitude, "-4"),
        _count(item.partnerships),
    )


# ------------------------------------------------------------------ the network


def network_edge_row(edge: Edge) -> SafeString:
    return _pair_row(
        (edge.source.web_url, edge.source.name), (edge.target.web_url, edge.target.name), edge.agreements, edge.events
    )


def network_node_row(node: Node) -> SafeString:
    return format_html(
        '<tr><td><a href="{}">{}</a></td><td>{}</td><td class="num">{}</td></tr>',
        node.web_url,
        node.name,
        type_name(node.type),
        _count(node.weight),
    )


# ------------------------------------------------------------------ the timeline


def timeline_row_writer() -> Callable[[Entry], SafeString]:
    words = {"agreement": _("Agreement"), "event": _("Event")}
    uncertain, certain = _("uncertain"), _("certain")

    def row(entry: Entry) -> SafeString:
        date_text = format_html('<br><span class="muted small">{}</span>', entry.date_text) if entry.date_text else ""
        spheres = (
            format_html('<br><span class="muted small">{}</span>', ", ".join(entry.spheres)) if entry.spheres else ""
        )
        certainty = format_html('<span class="certainty uncertain">{}</span>', uncertain) if entry.uncertain else ""
        certainty = certainty or certain
        return format_html(
            '<tr><td>{}{}</td><td><a href="{}">{}</a></td><td>{}: {}{}</td><td>{}</td></tr>',
            entry.date_words,
            date_text,
            entry.url,
            entry.title,
            words.get(entry.type, entry.type),
            entry.kind_label,
            spheres,
            certainty,
        )

    return row


def timeline_after(text: str) -> tuple[dt.date, int] | None:
    """The walk's key from the page's `after` parameter; None (the first rows) when it is not ours."""
    if not text:
        return None
    try:
        return decode_date_cursor(text)
    except BadCursor:
        return None


def timeline_part(data: Timeline, walked: bool, params: dict, anchor: str) -> TablePart:
    """The timeline's rows: a page of the walk in date order (`walked`: it started after a key)."""
    key = data.last_key
    return TablePart(
        rows=_rows(data.entries, timeline_row_writer()),
        first=1 if data.entries else 0,
        last=len(data.entries),
        total=None,
        next_url=_url(params, anchor, after=date_cursor(*key)) if data.more and key else "",
        previous_url=_url(params, anchor) if walked else "",
        previous_is_start=True,
    )

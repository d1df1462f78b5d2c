"""Showing records on pages: labels in the reader's language (marked with their own language when they
fall back), links to records, EDTF dates in words, certainty marks, external identifiers as links,
and query strings for facets and pagination."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.formats import localize, number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from records.content.languages import current_language, label_language
from records.content.registry import registry
from records.dates.display import date_human, edtf_human
from records.models.base import pick_label

register = template.Library()

IDENTIFIER_URLS = {
    "wikidata": ("Wikidata", "https://www.wikidata.org/wiki/{}"),
    "geonames": ("GeoNames", "https://www.geonames.org/{}"),
    "viaf": ("VIAF", "https://viaf.org/viaf/{}"),
    "orcid": ("ORCID", "https://orcid.org/{}"),
    "isni": ("ISNI", "https://isni.org/isni/{}"),
    "ror": ("ROR", "https://ror.org/{}"),
}
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}


@register.filter
def rlabel(record) -> str:
    """A record's (or vocabulary term's) label in the reader's language, with `lang` when it differs."""
    if record is None:
        return ""
    labels = getattr(record, "labels", None) or {}
    fallback = getattr(record, "label", None) or getattr(record, "code", "") or str(record)
    language = current_language()  # once: a page shows hundreds of labels
    text = pick_label(labels, fallback, language)
    lang = label_language(labels, language)
    if lang != language:
        return format_html('<span lang="{}">{}</span>', lang, text)
    return conditional_escape(text)


@register.filter
def attr(obj, name: str):
    """`obj.<name>`: one template shows several kinds of link (a party, a participant, a subject...)."""
    return getattr(obj, name, None)


@register.filter
def edtf(value: str) -> str:
    return edtf_human(value)


@register.filter
def type_name(record_or_type) -> str:
    name = getattr(record_or_type, "record_type", record_or_type)
    spec = registry.find(name)
    return str(spec.verbose_name) if spec else str(name)


@register.simple_tag
def record_link(record, show_type: bool = False) -> str:
    """A link to a record's page, its label in the reader's language; withdrawn records say so."""
    if record is None:
        return ""
    link = format_html('<a href="{}">{}</a>', record.get_absolute_url(), rlabel(record))
    if show_type:
        link = format_html('{} <span class="type-tag">{}</span>', link, type_name(record))
    if getattr(record, "status", "published") != "published":
        link = format_html('{} <span class="mark mark-withdrawn">{}</span>', link, _("withdrawn"))
    return link


@register.inclusion_tag("records/_certainty.html")
def certainty(item, with_note: bool = True) -> dict:
    """An "uncertain"/"disputed" mark (and its note) for a record or a link; nothing when certain."""
    value = getattr(item, "certainty", "certain")
    note = (getattr(item, "certainty_note", "") or getattr(item, "note", "")) if with_note else ""
    return {"certainty": value, "note": note}


@register.simple_tag
def identifier_link(scheme: str, value: str) -> str:
    known = IDENTIFIER_URLS.get(scheme)
    if known is None:
        return format_html("{}: {}", scheme, value)
    name, url = known
    return format_html('<a href="{}" rel="external">{} {}</a>', url.format(value), name, value)


@register.filter
def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


@register.simple_tag
def with_params(params: dict, **changes) -> str:
    """`?` + the list's own (cleaned) parameters with some changed or, given None, removed."""
    merged = {key: value for key, value in params.items() if value not in (None, "")}
    for key, value in changes.items():
        if value is None or value == "":
            merged.pop(key, None)
        else:
            merged[key] = value
    return "?" + urlencode(merged) if merged else "?"


@register.simple_tag
def facet_url(params: dict, name: str, value) -> str:
    """The list with facet `name` set to `value` (or cleared, given None); back to the first page."""
    merged = {key: val for key, val in params.items() if val not in (None, "") and key != "cursor"}
    if value is None:
        merged.pop(name, None)
    else:
        merged[name] = value
    return "?" + urlencode(merged) if merged else "?"


@register.simple_tag
def record_types() -> list:
    return list(registry)


@register.filter
def people(names: list) -> str:
    """Authors or editors as "Family, G.; Other, H." (CSL name objects)."""
    shown = []
    for person in names or []:
        if person.get("literal"):
            shown.append(person["literal"])
        else:
            shown.append(", ".join(part for part in (person.get("family"), person.get("given")) if part))
    return "; ".join(shown)


@register.filter
def figure(value) -> str:
    """A decimal as a reader writes it: grouped thousands, no trailing zeros (120,500,000; 12.8)."""
    if value is None:
        return ""
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return number_format(Decimal(text), force_grouping=True)


@register.filter
def day(value) -> str:
    """A date or datetime written out in the reader's language (3 December 1999, 3 декабря 1999 г.)."""
    return date_human(value)


def _shown(value) -> str:
    """A value as `{{ value }}` shows it: localized, then escaped."""
    return conditional_escape(str(localize(value)))


@register.simple_tag
def figure_html(statistic) -> SafeString:
    """A statistic's value as readers see it: qualifier, figure (machine-readable in <data>), unit or
    currency (records/_figure.html)."""
    return _figure(statistic, _shown(statistic.value))


def _figure(statistic, shown_value: str) -> SafeString:
    qualifier = "" if statistic.value_qualifier == "exact" else f"{_shown(statistic.get_value_qualifier_display())} "
    measure = rlabel(statistic.unit) if statistic.unit else _shown(statistic.currency)
    return mark_safe(f'{qualifier}<data value="{shown_value}">{_shown(figure(statistic.value))}</data> {measure}')


def _day(value) -> str:
    """`value|date:"Y-m-d"`, at the cost of `isoformat` for a date."""
    return value.isoformat() if type(value) is dt.date else _shown(date_filter(value, "Y-m-d"))


@register.simple_tag
def series_row(point, record) -> SafeString:
    """One row of a series' table (records/_series.html), written in Python: a series has up to
    hundreds of rows, and the template language spends most of a figure's page on them."""
    statistic = point.statistic
    pk, value = _shown(statistic.pk), _shown(statistic.value)
    period = edtf_human(statistic.date)
    current = ' class="current"' if statistic.pk == record.pk else ""
    note = statistic.reliability_note
    sources = "; ".join(record_link(source) for source in point.sources) or "—"
    mark = f' <a href="#note-{pk}" class="note-mark" aria-label="{_shown(_("Reliability note"))}">*</a>' if note else ""
    return mark_safe(
        f'\n      <tr data-id="{pk}" data-start="{_day(point.start)}" data-end="{_day(point.end)}"'
        f' data-value="{value}" data-period="{conditional_escape(period)}" data-note="{1 if note else 0}"'
        f"{current}>\n"
        f'        <td><a href="{conditional_escape(statistic.get_absolute_url())}">'
        f"{conditional_escape(period or '—')}</a></td>\n"
        f'        <td class="num">{_figure(statistic, value)}\n{mark}</td>\n'
        f"        <td>{sources}</td>\n"
        "      </tr>\n    "
    )


@register.simple_tag
def partnership_item(item) -> SafeString:
    """One agreement or event of a place's partnerships (records/detail_place.html), written in
    Python: a place's page shows up to two hundred of them."""
    record = item.record
    partners = ", ".join(rlabel(partner) for partner in item.partners)
    return mark_safe(
        f'\n        <li><span class="when">{conditional_escape(edtf_human(record.date) or "—")}</span>\n'
        f'          <span class="what">{record_link(record)} <span class="type-tag">{rlabel(record.kind)}</span>\n'
        f'          <span class="muted small">{_shown(_("partners:"))} {partners}</span></span></li>\n        '
    )

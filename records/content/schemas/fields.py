"""The field types content schemas are built of: plain text, EDTF dates, labels by language, external
identifiers, vocabulary terms and references to other records, each refusing what it cannot store."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pycountry
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext, gettext_noop
from rest_framework import serializers

from records.dates import edtf
from records.models import (
    Record,
)
from records.models.base import MAX_ID

# Keys a client may send back unchanged from a GET: they are shown, never written.
READ_ONLY_KEYS = {"id", "url", "web_url", "type", "revision", "status", "name_display", "updated_at", "created_at"}
LINK_READ_ONLY_KEYS = {"type", "name", "url", "web_url", "label", "role_label"}

TAG_RE = re.compile(r"<\s*[a-zA-Z/!?]")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
IDENTIFIER_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{1,29}$")
IDENTIFIER_FORMATS = {
    "wikidata": (re.compile(r"^Q[1-9][0-9]*$"), gettext_noop("a Wikidata id looks like Q232")),
    "geonames": (re.compile(r"^[1-9][0-9]*$"), gettext_noop("a GeoNames id is a number")),
    "viaf": (re.compile(r"^[1-9][0-9]*$"), gettext_noop("a VIAF id is a number")),
    "orcid": (
        re.compile(r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$"),
        gettext_noop("an ORCID looks like 0000-0002-1825-0097"),
    ),
    "isni": (re.compile(r"^[0-9]{15}[0-9X]$"), gettext_noop("an ISNI has 16 characters")),
    "ror": (re.compile(r"^0[a-z0-9]{6}[0-9]{2}$"), gettext_noop("a ROR id looks like 05gq02987")),
    "bin": (re.compile(r"^[0-9]{12}$"), gettext_noop("a Kazakh business identification number has 12 digits")),
}
ISO_CODE_RE = re.compile(r"^([A-Z]{2})(-[A-Z0-9]{1,3})?$")
CURRENCIES = {c.alpha_3 for c in pycountry.currencies}
# Currencies of the period that ISO 4217 has since withdrawn.
CURRENCIES |= {"SUR", "DEM", "FRF", "ITL", "ESP", "NLG", "ATS", "BEF", "FIM", "IEP", "PTE", "GRD", "SKK", "SIT", "TRL"}
COUNTRIES = {c.alpha_2 for c in pycountry.countries} | {"SU", "XK"}


def strings_in(value: Any) -> Iterator[str]:
    """Every string in a decoded JSON value, keys included: for what no text may hold anywhere."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            stack += item


def plain_text(value: str) -> str:
    if CONTROL_RE.search(value):
        raise serializers.ValidationError(gettext("Control characters are not allowed."))
    if TAG_RE.search(value):
        raise serializers.ValidationError(gettext("Plain text only: markup such as <tags> is not allowed."))
    return value


class PlainText(serializers.CharField):
    """Text that is stored and shown as text: no markup, no control characters."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            raise serializers.ValidationError(gettext("Expected text."))
        return plain_text(super().to_internal_value(data))


def text(max_length: int = 500, **kwargs: Any) -> PlainText:
    """An optional plain-text field that defaults to the empty string."""
    return PlainText(max_length=max_length, required=False, allow_blank=True, default="", **kwargs)


class EDTFField(serializers.CharField):
    """A historical date in EDTF, validated by the `edtf` library."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", edtf.MAX_LENGTH)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            raise serializers.ValidationError(gettext('Expected an EDTF date as text, e.g. "2001-09-03".'))
        value = data.strip()
        if not value:
            if self.allow_blank:
                return ""
            self.fail("blank")
        try:
            edtf.parse(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return value


class LabelsField(serializers.DictField):
    """Names by language: {"en": "East Kazakhstan Region", "ru": "Восточно-Казахстанская область", ...}."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=PlainText(max_length=500), required=False, default=dict, **kwargs)

    def to_internal_value(self, data: Any) -> dict:
        if not isinstance(data, dict):
            raise serializers.ValidationError(gettext("Expected an object of names by language code."))
        bad = [key for key in data if not isinstance(key, str) or not LANGUAGE_RE.match(key)]
        if bad:
            raise serializers.ValidationError(
                gettext("Not a language code: %(code)s (use en, ru, kk, ...).") % {"code": repr(str(bad[0])[:20])}
            )
        value = super().to_internal_value(data)
        return {key: name.strip() for key, name in value.items() if name.strip()}


class IdentifiersField(serializers.DictField):
    """External authority identifiers: {"wikidata": "Q232", "geonames": "1537162"}."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=PlainText(max_length=200), required=False, default=dict, **kwargs)

    def to_internal_value(self, data: Any) -> dict:
        if not isinstance(data, dict):
            raise serializers.ValidationError(gettext("Expected an object of identifiers by scheme."))
        value = super().to_internal_value(data)
        errors = []
        for key, ident in value.items():
            if not IDENTIFIER_KEY_RE.match(key):
                errors.append(
                    gettext("%(key)s is not a scheme name (lower-case letters, digits, _).") % {"key": repr(key[:30])}
                )
            elif key in IDENTIFIER_FORMATS and not IDENTIFIER_FORMATS[key][0].match(ident):
                errors.append(f"{key}: {gettext(IDENTIFIER_FORMATS[key][1])}.")
        if errors:
            raise serializers.ValidationError(errors)
        return {key: ident for key, ident in value.items() if ident}


class VocabularyField(serializers.SlugRelatedField):
    """A term of a controlled vocabulary, given by its code."""

    def __init__(self, model: type[models.Model], **kwargs: Any) -> None:
        self.vocabulary = model
        super().__init__(slug_field="code", queryset=model.objects.all(), **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            raise serializers.ValidationError(gettext("Expected a code of the vocabulary, as text."))
        # Terms looked up once per validation run (a proposal of many records repeats the same few).
        cache: dict = self.context.setdefault("_vocabulary_terms", {}) if isinstance(self.context, dict) else {}
        key = (self.vocabulary, data)
        if key in cache:
            return cache[key]
        try:
            cache[key] = self.get_queryset().get(code=data)
            return cache[key]
        except self.vocabulary.DoesNotExist:
            codes = ", ".join(self.vocabulary.objects.filter(active=True).values_list("code", flat=True)[:40])
            raise serializers.ValidationError(
                gettext("%(value)s is not a known %(vocabulary)s; use one of: %(codes)s.")
                % {"value": repr(data[:60]), "vocabulary": self.vocabulary._meta.verbose_name, "codes": codes}
            ) from None


class DefaultTerm:
    """A vocabulary term as a field's default, looked up once per validation run."""

    requires_context = True

    def __init__(self, vocabulary: type[models.Model], code: str) -> None:
        self.vocabulary, self.code = vocabulary, code

    def __call__(self, field: serializers.Field):
        cache: dict = field.context.setdefault("_vocabulary_terms", {})
        key = (self.vocabulary, self.code)
        if key not in cache:
            cache[key] = self.vocabulary.objects.get(code=self.code)
        return cache[key]


class RecordRef(serializers.Field):
    """A published record of one of `types`, by its id, or a new record of the same proposal by "$ref"."""

    def __init__(self, *, types: tuple[str, ...], **kwargs: Any) -> None:
        self.types = types
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int | str:
        refs: dict[str, str] = self.context.get("refs", {})
        if is_new_ref(data):
            if data not in refs:
                raise serializers.ValidationError(
                    gettext("%(ref)s names no new record of this proposal.") % {"ref": repr(data[:40])}
                )
            if refs[data] not in self.types:
                raise serializers.ValidationError(
                    gettext("%(ref)s is a %(type)s; expected %(expected)s.")
                    % {"ref": repr(data[:40]), "type": refs[data], "expected": self.expected}
                )
            return data
        if isinstance(data, bool) or not isinstance(data, (int, str)):
            raise serializers.ValidationError(
                gettext("Expected the id of a %(expected)s.") % {"expected": self.expected}
            )
        try:
            pk = int(data)
        except ValueError:
            raise serializers.ValidationError(
                gettext("Expected the id of a %(expected)s.") % {"expected": self.expected}
            ) from None
        if not 0 < pk <= MAX_ID:
            raise serializers.ValidationError(
                gettext("No published %(expected)s has the id %(id)s.") % {"expected": self.expected, "id": pk}
            )
        found = record_types_of([pk], self.context)
        if pk not in found:
            raise serializers.ValidationError(
                gettext("No published %(expected)s has the id %(id)s.") % {"expected": self.expected, "id": pk}
            )
        if found[pk] not in self.types:
            raise serializers.ValidationError(
                gettext("Record %(id)s is a %(type)s; expected %(expected)s.")
                % {"id": pk, "type": found[pk], "expected": self.expected}
            )
        return pk

    def to_representation(self, value: Any) -> int | str | None:
        return value.pk if isinstance(value, models.Model) else value

    @property
    def expected(self) -> str:
        return " or ".join(self.types)


class RecordRefList(serializers.ListField):
    """Several records of one type, e.g. the agreements signed at an event (a many-to-many field)."""

    def __init__(self, *, types: tuple[str, ...], **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", list)
        kwargs.setdefault("max_length", 500)
        super().__init__(child=RecordRef(types=types), **kwargs)

    def to_internal_value(self, data: Any) -> list:
        value = super().to_internal_value(data)
        if len(set(map(str, value))) != len(value):
            raise serializers.ValidationError(gettext("A record is listed twice."))
        return value

    def to_representation(self, data: Any) -> list:
        if hasattr(data, "all"):  # a set of records: in id order, the same whatever order the rows come in
            return sorted(obj.pk for obj in data.all())
        return list(data)


def is_new_ref(value: Any) -> bool:
    """A reference field's value naming a new record of the same proposal ("$org1"). Only reference
    fields (RecordRef, RecordRefList) hold these; in any other field a leading "$" is just text."""
    return isinstance(value, str) and value.startswith("$")


def reference_values(fields: dict[str, serializers.Field], data: Any, *, by: str = "name") -> list[tuple[tuple, Any]]:
    """Every value that `data` holds in a reference field (RecordRef, RecordRefList, and those of nested
    link rows) of a schema with `fields`, with its path (field names or list positions). `by="name"`
    reads data as a client sends it (keys are the field names), `by="source"` as it is validated (keys
    are the fields' sources)."""
    found: list[tuple[tuple, Any]] = []
    if not isinstance(data, dict):
        return found
    for name, field in fields.items():
        key = name if by == "name" else field.source
        if field.read_only or key not in data:
            continue
        value = data[key]
        if isinstance(field, RecordRef):
            found.append(((name,), value))
        elif isinstance(field, RecordRefList) and isinstance(value, list):
            found += [((name, i), v) for i, v in enumerate(value)]
        elif isinstance(field, serializers.ListSerializer) and isinstance(value, list):
            for i, row in enumerate(value):
                found += [((name, i, *path), v) for path, v in reference_values(field.child.fields, row, by=by)]
        elif isinstance(field, serializers.Serializer):
            found += [((name, *path), v) for path, v in reference_values(field.fields, value, by=by)]
    return found


def new_refs_in(fields: dict[str, serializers.Field], data: Any, *, by: str = "name") -> list[tuple[tuple, str]]:
    """Every "$ref" (a new record of the same proposal) among `data`'s reference values, with its path."""
    return [(path, value) for path, value in reference_values(fields, data, by=by) if is_new_ref(value)]


def record_types_of(pks: list[int], context: dict) -> dict[int, str]:
    """Types of the published records among `pks`, cached for one validation run."""
    cache: dict[int, str | None] = context.setdefault("_published_types", {})
    missing = [pk for pk in pks if pk not in cache]
    if missing:
        rows = dict(Record.objects.published().filter(pk__in=missing).values_list("pk", "record_type"))
        for pk in missing:
            cache[pk] = rows.get(pk)
    return {pk: cache[pk] for pk in pks if cache.get(pk)}


class StrictSerializer(serializers.Serializer):
    """Refuses keys it does not know, so a misspelt field is an error rather than silently lost."""

    allowed_extra_keys: set[str] = set()

    def to_internal_value(self, data: Any) -> dict:
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": [gettext("Expected an object.")]})
        known = {name for name, field in self.fields.items() if not field.read_only}
        unknown = sorted(str(key) for key in data if key not in known and key not in self.allowed_extra_keys)
        if unknown:
            raise serializers.ValidationError({key[:60]: [gettext("Unknown field.")] for key in unknown[:20]})
        return super().to_internal_value(data)

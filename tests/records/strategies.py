"""Hypothesis strategies read from the content schemas: for every field a value that is usually of the
right kind (a known vocabulary code, an EDTF date, an id of a published record of the right type, a
"$ref" of the same proposal) and sometimes anything at all, so that generated records are often valid
and the invalid ones are near misses as well as nonsense."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from rest_framework import serializers

from records.content.registry import registry
from records.content.schemas import (
    EDTFField,
    IdentifiersField,
    LabelsField,
    PlainText,
    RecordRef,
    RecordRefList,
    VocabularyField,
)

# Any JSON value: what a client may send in place of a field.
junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def now_and_then(usual: st.SearchStrategy, odd: st.SearchStrategy, one_in: int = 20) -> st.SearchStrategy:
    """`usual`, and once in about `one_in` times `odd` (not at an end of the range, which hypothesis
    draws more often than the rest)."""
    return st.integers(0, one_in - 1).flatmap(lambda n: odd if n == one_in // 2 else usual)


def one_of_or(values: list, odd: Any) -> st.SearchStrategy:
    return now_and_then(st.sampled_from(values), st.just(odd)) if values else st.just(odd)


# Text as people type it (Latin, Cyrillic and Kazakh letters, digits, "$" and "&" anywhere, astral
# characters) and now and then as attackers do (any character: control characters, markup, marks).
words = now_and_then(
    st.text(alphabet=st.sampled_from("abcxyz AZ019$&.,-'\"ӘәҒғҚқҢңӨөҰұҮүҺһІіЖжШщЁё𝐓😀"), min_size=1, max_size=40),
    st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("<>&$"), max_size=40),
)


@st.composite
def edtf_dates(draw) -> str:
    """EDTF values of the kinds historians write: years, months, days, seasons of uncertainty, unspecified
    digits, intervals with open or unknown ends."""

    def one(unspecified: bool = True) -> str:
        year = draw(st.integers(1500, 2030))
        value = str(year)
        if draw(st.booleans()):
            month = draw(st.integers(1, 12))
            value += f"-{month:02d}"
            if draw(st.booleans()):
                value += f"-{draw(st.integers(1, 28)):02d}"
        elif unspecified and draw(st.integers(0, 4)) == 0:
            value = value[:3] + "X"
        return value + draw(st.sampled_from(["", "", "?", "~", "%"]))

    shape = draw(st.sampled_from(["single", "single", "interval", "open_end", "open_start"]))
    if shape == "single":
        return one()
    # The edtf library refuses unspecified digits in most intervals ("199X/..", "150X/150X?"), which
    # EDTF allows; they are drawn in single values only.
    if shape == "open_end":
        return one(unspecified=False) + draw(st.sampled_from(["/..", "/"]))
    if shape == "open_start":
        return draw(st.sampled_from(["../", "/"])) + one(unspecified=False)
    return f"{one(unspecified=False)}/{one(unspecified=False)}"


# Fields whose text has a form of its own.
SPECIAL = {
    "iso_code": one_of_or(["KZ", "KZ-VOS", "RU-OMS", "", " kz "], "KZ-VOSTOK"),
    "value_currency": one_of_or(["USD", "KZT", "SUR", ""], "XYZ"),
    "currency": one_of_or(["USD", "KZT", "", ""], "XYZ"),
    "language": one_of_or(["en", "ru", "kk", ""], "english"),
    "doi": one_of_or(["10.1234/abc", "https://doi.org/10.5555/xyz", ""], "11.1/x"),
}


def field_values(field: serializers.Field, world: dict[str, Any]) -> st.SearchStrategy:
    """A value for one field of a content schema: usually of its kind, now and then anything."""
    return now_and_then(_typed(field, world), junk)


def _typed(field: serializers.Field, world: dict[str, Any]) -> st.SearchStrategy:
    if isinstance(field, RecordRefList):
        return st.lists(_typed(field.child, world), max_size=3)
    if isinstance(field, RecordRef):
        ids = [pk for record_type in field.types for pk in world["ids"].get(record_type, [])]
        refs = [ref for ref, record_type in world["refs"].items() if record_type in field.types]
        return one_of_or(ids + refs, world["missing_id"]) | one_of_or(ids + refs, "$nowhere")
    if isinstance(field, serializers.ListSerializer):
        return st.lists(schema_values(field.child, world), max_size=2)
    if isinstance(field, serializers.Serializer):
        return schema_values(field, world)
    if isinstance(field, VocabularyField):
        return one_of_or(world["codes"][field.vocabulary], "unknown-term")
    if isinstance(field, serializers.ChoiceField):
        return one_of_or(list(field.choices), "neither")
    if isinstance(field, EDTFField):
        return now_and_then(edtf_dates(), words, one_in=10)
    if field.field_name in SPECIAL:
        return SPECIAL[field.field_name]
    if isinstance(field, LabelsField):
        return st.dictionaries(one_of_or(["en", "ru", "kk", "de"], "EN"), words, max_size=3)
    if isinstance(field, IdentifiersField):
        return st.dictionaries(
            one_of_or(["wikidata", "viaf"], "Bad Key"),
            now_and_then(st.from_regex(r"\AQ[1-9][0-9]{0,6}\Z"), words),
            max_size=2,
        )
    if isinstance(field, serializers.URLField):
        return one_of_or(["https://example.org/archive/1", "http://президент.kz/", ""], "not a url")
    if isinstance(field, serializers.DateField):
        return now_and_then(st.dates().map(str), words)
    if isinstance(field, serializers.DecimalField):
        low, high = field.min_value, field.max_value
        return now_and_then(
            st.decimals(
                min_value=Decimal(-90 if low is None else low),
                max_value=Decimal(90 if high is None else high),
                places=2,
            ).map(str),
            st.sampled_from(["1e400", "-1000", "12.3456789", "NaN"]),
        )
    if isinstance(field, serializers.BooleanField):
        return st.booleans()
    if isinstance(field, serializers.IntegerField):
        return st.integers(-5, 3000)
    if isinstance(field, serializers.ListField):
        return st.lists(_typed(field.child, world), max_size=3)
    if isinstance(field, PlainText | serializers.CharField):
        return words
    return junk


def schema_values(schema: serializers.Serializer, world: dict[str, Any]) -> st.SearchStrategy:
    """A state for `schema`: its required fields always present, the others now and then."""
    required, optional = {}, {}
    for name, field in schema.fields.items():
        if field.read_only:
            continue
        # A name or title is needed unless another field stands in for it (checked by `validate`).
        needed = field.required or name in ("name", "title")
        (required if needed else optional)[name] = field_values(field, world)
    return st.fixed_dictionaries(required, optional=optional)


@st.composite
def _statistic(draw, world: dict[str, Any]) -> dict:
    """A figure has a unit or a currency (one of them): mostly so, as a careful researcher writes it."""
    data = draw(schema_values(registry.get("statistic").schema(), world))
    if draw(st.integers(0, 9)) != 5:
        data.pop("unit", None)
        data.pop("currency", None)
        if draw(st.booleans()):
            data["unit"] = draw(
                st.sampled_from(world["codes"][registry.get("statistic").schema().fields["unit"].vocabulary])
            )
        else:
            data["currency"] = draw(st.sampled_from(["USD", "KZT", "SUR"]))
    return data


def states(record_type: str, world: dict[str, Any]) -> st.SearchStrategy:
    if record_type == "statistic":
        return _statistic(world)
    return schema_values(registry.get(record_type).schema(), world)

"""The controlled vocabularies as clients see them: a stable name for each, and where it is used.

`place_kind`, `sphere`, ... name the vocabularies in the API (`/api/v1/vocabularies/<name>/`) and in
filter error messages; `used_by` says which record fields take their codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from records import models as m
from records.content.registry import registry
from records.models import Vocabulary


@dataclass(frozen=True)
class VocabularySpec:
    name: str
    model: type[Vocabulary]

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def description(self) -> str:
        return " ".join((self.model.__doc__ or "").split())


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


VOCABULARIES: dict[str, VocabularySpec] = {
    _snake(model.__name__): VocabularySpec(_snake(model.__name__), model) for model in m.VOCABULARIES
}


def vocabulary(name: str) -> VocabularySpec | None:
    return VOCABULARIES.get(name)


def vocabulary_of_model(model: type[Vocabulary]) -> VocabularySpec:
    return VOCABULARIES[_snake(model.__name__)]


def vocabulary_of_field(model, field_name: str) -> VocabularySpec:
    """The vocabulary a record model's field (foreign key or many-to-many) takes its codes from."""
    return vocabulary_of_model(model._meta.get_field(field_name).related_model)


@cache
def used_by() -> dict[str, list[str]]:
    """Vocabulary name → the record fields and link fields that take its codes ("agreement.spheres")."""
    uses: dict[str, list[str]] = {name: [] for name in VOCABULARIES}
    for spec in registry:
        for field in spec.model._meta.get_fields():
            target = getattr(field, "related_model", None)
            takes_codes = isinstance(target, type) and issubclass(target, Vocabulary)
            if (field.concrete or field.many_to_many) and takes_codes:
                uses[vocabulary_of_model(target).name].append(f"{spec.name}.{field.name}")
    links = {
        "agreement.parties.role": m.AgreementParty,
        "event.participants.role": m.EventParticipant,
        "statistic.subjects.role": m.StatisticSubject,
    }
    for label, model in links.items():
        uses[vocabulary_of_model(model._meta.get_field("role").related_model).name].append(label)
    return uses

"""Content schemas: the one validation path for every record's content.

A content schema (a DRF serializer) describes one record type's editable content. The same class

- validates a proposal's data when it is submitted, again when it is approved, and the seed file;
- produces the canonical JSON of that content (`serializer.data` after validation), which proposals
  store and which three-way merges compare;
- produces the snapshot of a published record (`serializer(instance).data`), which revisions store.

So a proposal's data, a revision's snapshot and the API's record JSON share one shape: a client can
GET a record, change a field and send it back as a proposal's `data`.

fields.py holds the field types, core.py what every record has, record_types.py one schema per type.
"""

from records.content.schemas.core import (
    CitationSchema,
    LinkSchema,
    NamedSchema,
    RecordSchema,
    SuccessionSchema,
    TitledSchema,
    unique_links,
)
from records.content.schemas.fields import (
    CONTROL_RE,
    COUNTRIES,
    CURRENCIES,
    IDENTIFIER_FORMATS,
    IDENTIFIER_KEY_RE,
    ISO_CODE_RE,
    LANGUAGE_RE,
    LINK_READ_ONLY_KEYS,
    READ_ONLY_KEYS,
    TAG_RE,
    DefaultTerm,
    EDTFField,
    IdentifiersField,
    LabelsField,
    PlainText,
    RecordRef,
    RecordRefList,
    StrictSerializer,
    VocabularyField,
    is_new_ref,
    new_refs_in,
    plain_text,
    record_types_of,
    reference_values,
    strings_in,
    text,
)
from records.content.schemas.record_types import (
    AgreementSchema,
    BorderSchema,
    EventSchema,
    OrganizationSchema,
    ParticipantSchema,
    PartySchema,
    PersonNameSchema,
    PersonSchema,
    PlaceSchema,
    PositionSchema,
    SourceSchema,
    StatisticSchema,
    SubjectSchema,
    check_succession_types,
    validate_money,
)

__all__ = [
    "AgreementSchema",
    "BorderSchema",
    "CONTROL_RE",
    "COUNTRIES",
    "CURRENCIES",
    "CitationSchema",
    "DefaultTerm",
    "EDTFField",
    "EventSchema",
    "IDENTIFIER_FORMATS",
    "IDENTIFIER_KEY_RE",
    "ISO_CODE_RE",
    "IdentifiersField",
    "LANGUAGE_RE",
    "LINK_READ_ONLY_KEYS",
    "LabelsField",
    "LinkSchema",
    "NamedSchema",
    "OrganizationSchema",
    "ParticipantSchema",
    "PartySchema",
    "PersonNameSchema",
    "PersonSchema",
    "PlaceSchema",
    "PlainText",
    "PositionSchema",
    "READ_ONLY_KEYS",
    "RecordRef",
    "RecordRefList",
    "RecordSchema",
    "SourceSchema",
    "StatisticSchema",
    "StrictSerializer",
    "SubjectSchema",
    "SuccessionSchema",
    "TAG_RE",
    "TitledSchema",
    "VocabularyField",
    "check_succession_types",
    "is_new_ref",
    "strings_in",
    "new_refs_in",
    "reference_values",
    "plain_text",
    "record_types_of",
    "text",
    "unique_links",
    "validate_money",
]

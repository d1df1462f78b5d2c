"""Bailanys records: the shared core, the types, vocabularies, revisions and proposals."""

from records.models.agreements import Agreement, AgreementParty, Event, EventParticipant
from records.models.base import Certainty, Link, Record, RecordQuerySet, RecordStatus, RecordType, Succession
from records.models.imports import Import, ImportFormat, ImportStatus
from records.models.organizations import Organization, Person, Position
from records.models.places import Place, PlaceBorder
from records.models.proposals import (
    ApprovalRun,
    Comment,
    Notification,
    Proposal,
    ProposalAction,
    ProposalItem,
    ProposalStatus,
)
from records.models.publication import Publication, PublicationState, publication_current, publication_pinned
from records.models.readings import Reading
from records.models.revisions import Revision
from records.models.search import FacetCount, SearchWord
from records.models.sources import Citation, Source
from records.models.statistics import Statistic, StatisticSubject
from records.models.views import MapPair, MapPairTotal, NetworkEdge, NetworkEnd, NetworkNode, TimelineItem
from records.models.vocabularies import (
    VOCABULARIES,
    AgreementKind,
    AgreementLevel,
    EventKind,
    Indicator,
    OrganizationKind,
    PlaceKind,
    Role,
    SourceKind,
    Sphere,
    Unit,
    Vocabulary,
)

__all__ = [
    "MapPair",
    "MapPairTotal",
    "NetworkEdge",
    "NetworkEnd",
    "NetworkNode",
    "TimelineItem",
    "publication_current",
    "publication_pinned",
    "VOCABULARIES",
    "Agreement",
    "AgreementKind",
    "AgreementLevel",
    "AgreementParty",
    "Certainty",
    "Citation",
    "Comment",
    "Event",
    "FacetCount",
    "Import",
    "ImportFormat",
    "ImportStatus",
    "EventKind",
    "EventParticipant",
    "Indicator",
    "Link",
    "Notification",
    "Organization",
    "OrganizationKind",
    "Person",
    "Place",
    "PlaceBorder",
    "PlaceKind",
    "Position",
    "ApprovalRun",
    "Proposal",
    "ProposalAction",
    "ProposalItem",
    "ProposalStatus",
    "Reading",
    "Record",
    "RecordQuerySet",
    "RecordStatus",
    "RecordType",
    "Publication",
    "PublicationState",
    "Revision",
    "SearchWord",
    "Role",
    "Source",
    "SourceKind",
    "Sphere",
    "Statistic",
    "StatisticSubject",
    "Succession",
    "Unit",
    "Vocabulary",
]

"""Records tied to others through a link table: agreements through their parties, events through their
participants, figures through what they are about — read the same way for every such link."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model, Prefetch, QuerySet
from django.db.models.functions import Coalesce

from records.models import (
    Agreement,
    AgreementParty,
    Event,
    EventParticipant,
    Record,
    RecordStatus,
    Statistic,
    StatisticSubject,
)
from records.models.base import EARLIEST

RELATED_LIMIT = 50  # related records shown per section of a record page


@dataclass(frozen=True)
class Linking:
    model: type[Record]  # the linking record: Agreement
    links: type[Model]  # its links: AgreementParty
    record: str  # the link's field naming the linking record, also its record type: "agreement"
    other: str  # the link's field naming the record linked to: "party"
    related_name: str  # the linking record's links: "party_links"

    def links_with_other(self) -> Prefetch:
        """The record's links with the records they point at: one query for a page of records."""
        return Prefetch(self.related_name, self.links.objects.select_related(self.other))

    def others(self, record: Record) -> list[Record]:
        """The records `record` is linked to (its links prefetched)."""
        return [getattr(link, self.other) for link in getattr(record, self.related_name).all()]


AGREEMENT_PARTIES = Linking(Agreement, AgreementParty, "agreement", "party", "party_links")
EVENT_PARTICIPANTS = Linking(Event, EventParticipant, "event", "participant", "participant_links")
STATISTIC_SUBJECTS = Linking(Statistic, StatisticSubject, "statistic", "subject", "subject_links")


def links_to(linking: Linking, record: Record, *select: str) -> list[Model]:
    """The links naming `record` from published linking records, each with its linking record (and
    `select`), in date order; RELATED_LIMIT + 1 of them, so that a page can say there are more."""
    links: QuerySet = linking.links.objects.filter(
        **{linking.other: record, f"{linking.record}__status": RecordStatus.PUBLISHED}
    )
    return list(
        links.select_related(linking.record, *select).order_by(
            Coalesce(f"{linking.record}__date_lower", EARLIEST), f"{linking.record}_id"
        )[: RELATED_LIMIT + 1]
    )

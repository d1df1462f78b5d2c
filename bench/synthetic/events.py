"""Synthetic events: visits, delegations, meetings, exhibitions, forums... with participants and places,
the agreements signed at them, and now and then the larger event they are part of."""

from __future__ import annotations

from bench.synthetic.data import SPHERE_WEIGHTS, SPHERES
from bench.synthetic.dates import day, interval
from bench.synthetic.parties import Parties
from bench.synthetic.rows import Rows, Run

EVENT_KINDS = ["visit", "delegation", "meeting", "exhibition", "forum", "conference", "festival", "days_of_culture"]
EVENT_WEIGHTS = [25, 15, 20, 12, 10, 8, 4, 6]
ROLES = {"host", "guest", "participant", "head_of_delegation", "organizer"}


class Events:
    """Makes the events, with their participants, places and agreements."""

    # The vocabulary terms written, by field (checked before a run; the schema names the vocabulary).
    CODES = {"kind": set(EVENT_KINDS), "participants.role": ROLES}

    def __init__(self, run: Run, parties: Parties) -> None:
        self.run = run
        self.parties = parties

    def make(self, rows: Rows, n: int) -> None:
        run, rng, parties = self.run, self.run.rng, self.parties
        kind = rng.choices(EVENT_KINDS, weights=EVENT_WEIGHTS)[0]
        participants = self._participants(kind)
        host = participants[0][0]
        cities = parties.places.cities_of_country.get(parties.country_of(host)) or []
        place = run.pick(cities) if cities and run.chance(0.8) else None
        labels = self._labels(kind, host, participants[1][0], place)
        if kind in ("exhibition", "forum", "festival", "conference") and run.chance(0.6):
            y, m, d = rng.randint(1991, 2014), rng.randint(1, 12), rng.randint(1, 24)
            date = interval(day(y, m, d), day(y, m, d + rng.randint(1, 4)))
        else:
            date = run.date()
        agreements = self._agreements()
        part_of = self._part_of(n)
        rows.add("records_event", (run.id(n), kind, run.id(place), run.id(part_of)))
        participant_items = run.links(rows, "records_event_participant", n, participants)
        for agreement in agreements:
            rows.add("records_event_agreement", (run.id(n), run.id(agreement)))
        citations = run.citations(rows, n, rng.choice((1, 1, 2)), ("date", "participants"))
        own = {
            "kind": kind,
            "place": place,
            "part_of": part_of,
            "participants": participant_items,
            "agreements": agreements,
        }
        places = parties.places_of([p for p, _ in participants]) + ([place] if place is not None else [])
        run.record(
            rows, n, "event", own, label=labels["en"], labels=labels, date=date, citations=citations, places=places
        )

    def _participants(self, kind: str) -> list[tuple[int, str]]:
        """(n, role) of the host, the guest (in either country), a head of delegation, an organizer."""
        run = self.run
        host, guest = self.parties.party(True), self.parties.party(False)
        if run.chance(0.5):
            host, guest = guest, host
        participants = [(host, "host"), (guest, "guest" if kind in ("visit", "delegation") else "participant")]
        if run.chance(0.5):
            participants.append((run.any("person"), "head_of_delegation"))
        if run.chance(0.2):
            org = run.pick(self.parties.organizations.kazakh)
            if (org, "organizer") not in participants and org not in (host, guest):
                participants.append((org, "organizer"))
        return participants

    def _labels(self, kind: str, host: int, guest: int, place: int | None) -> dict:
        (h_en, h_ru), (g_en, g_ru) = self.parties.name_of(host), self.parties.name_of(guest)
        where = place if place is not None else self.parties.country_of(host)
        where_en, where_ru = self.parties.places.names[where] if where is not None else (h_en, h_ru)
        sphere_en, sphere_ru = SPHERES[self.run.rng.choices(list(SPHERES), weights=SPHERE_WEIGHTS)[0]]
        en, ru = {
            "visit": (f"Visit of the delegation of {g_en} to {h_en}", f"Визит делегации: {g_ru} — {h_ru}"),
            "delegation": (f"Delegation of {g_en} in {where_en}", f"Делегация: {g_ru} — {where_ru}"),
            "meeting": (f"Meeting of the heads of {h_en} and {g_en}", f"Встреча руководителей: {h_ru} и {g_ru}"),
            "exhibition": (
                f"International {sphere_en} exhibition in {where_en}",
                f"Международная выставка ({sphere_ru}): {where_ru}",
            ),
            "forum": (
                f"Forum of {sphere_en} cooperation of {h_en} and {g_en}",
                f"Форум сотрудничества ({sphere_ru}): {h_ru} и {g_ru}",
            ),
            "conference": (f"Conference on {sphere_en} cooperation in {where_en}", f"Конференция ({sphere_ru})"),
            "festival": (f"Festival of {g_en} in {where_en}", f"Фестиваль: {g_ru} — {where_ru}"),
            "days_of_culture": (f"Days of culture of {g_en} in {h_en}", f"Дни культуры: {g_ru} — {h_ru}"),
        }[kind]
        return {"en": en, "ru": ru}

    def _agreements(self) -> list[int]:
        """Agreements signed at the event (a quarter of events), in order."""
        run = self.run
        agreements: list[int] = []
        if run.chance(0.25):
            for _ in range(run.rng.choice((1, 1, 2))):
                agreement = run.any("agreement")
                if agreement not in agreements:
                    agreements.append(agreement)
        return sorted(agreements)

    def _part_of(self, n: int) -> int | None:
        """Now and then, an earlier event this one is part of."""
        first = self.run.start["event"]
        if n > first + 10 and self.run.chance(0.05):
            return first + int(self.run.rng.random() * (n - first))
        return None

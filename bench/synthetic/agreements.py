"""Synthetic agreements between a Kazakh and a foreign party (2–4 parties, with roles and spheres)."""

from __future__ import annotations

import re
from decimal import Decimal

from bench.synthetic.data import CURRENCIES, SPHERE_WEIGHTS, SPHERES
from bench.synthetic.dates import Date
from bench.synthetic.parties import Parties
from bench.synthetic.rows import Rows, Run, dec

AGREEMENT_KINDS = {  # code: (English, Russian, weight)
    "agreement": ("Agreement", "Соглашение", 40), "memorandum": ("Memorandum of understanding", "Меморандум", 25),
    "contract": ("Contract", "Контракт", 12), "protocol": ("Protocol", "Протокол", 10),
    "work_plan": ("Work plan", "План мероприятий", 8), "treaty": ("Treaty", "Договор", 5),
}  # fmt: skip
AGREEMENT_STATUSES = (["signed", "in_force", "expired", "unknown", "planned", "terminated"], [60, 20, 10, 5, 3, 2])
LEVELS = {"intergovernmental", "interregional", "institutional", "commercial"}
QUARTER_RE = re.compile(r"^[0-9]{4}-(01|04|07|10)/[0-9]{4}-(03|06|09|12)$")


class Agreements:
    """Makes the agreements, with their parties, spheres and citations."""

    # The vocabulary terms written, by field (checked before a run; the schema names the vocabulary).
    CODES = {
        "kind": set(AGREEMENT_KINDS),
        "level": LEVELS,
        "spheres": set(SPHERES),
        "parties.role": {"party", "signatory"},
    }

    def __init__(self, run: Run, parties: Parties) -> None:
        self.run = run
        self.parties = parties

    def make(self, rows: Rows, n: int) -> None:
        run, rng = self.run, self.run.rng
        kind = rng.choices(list(AGREEMENT_KINDS), weights=[k[2] for k in AGREEMENT_KINDS.values()])[0]
        first, second = self.parties.party(True), self.parties.party(False)
        parties = [(first, "party"), (second, "party")]
        for _ in range(rng.choice((0, 0, 0, 1, 2))):
            extra = run.any("person")
            if (extra, "signatory") not in parties:
                parties.append((extra, "signatory"))
        level = self._level(first, second)
        spheres = self._spheres()
        date, date_text = self._date()
        status = run.weighted(AGREEMENT_STATUSES)
        place_signed = self.parties.places.some_place(run.chance(0.6)) if run.chance(0.4) else None
        if place_signed is not None and place_signed in self.parties.places.regions_of:
            place_signed = None
        amount, currency = None, ""
        if run.chance(0.1):
            amount = Decimal(rng.randint(10, 500000) * 1000)
            currency = run.weighted(CURRENCIES)
        labels = self._labels(kind, spheres[0], first, second)
        row = (run.id(n), kind, level, status, run.id(place_signed), amount, currency)
        rows.add("records_agreement", row)
        party_items = run.links(rows, "records_agreement_party", n, parties)
        for sphere in spheres:
            rows.add("records_agreement_sphere", (run.id(n), sphere))
        citations = run.citations(rows, n, rng.choice((1, 1, 2, 3)), ("date", "parties", "spheres"))
        own = {
            "kind": kind,
            "level": level,
            "agreement_status": status,
            "place_signed": place_signed,
            "parties": party_items,
            "spheres": spheres,
            "value_amount": dec(amount) if amount is not None else None,
            "value_currency": currency,
        }
        places = self.parties.places_of([p for p, _ in parties]) + ([place_signed] if place_signed is not None else [])
        run.record(
            rows,
            n,
            "agreement",
            own,
            label=labels["en"],
            labels=labels,
            date=date,
            date_text=date_text,
            citations=citations,
            places=places,
        )

    def _level(self, first: int, second: int) -> str | None:
        """Between countries or regions, companies, or institutions (or not known)."""
        kind = self.parties.organizations.kind
        if self.parties.is_place(first) and self.parties.is_place(second):
            return "intergovernmental" if first in self.parties.places.countries else "interregional"
        if kind.get(first) == "company" or kind.get(second) == "company":
            return "commercial"
        if self.run.chance(0.7):
            return "institutional"
        return None

    def _spheres(self) -> list[str]:
        """One to three spheres, in the vocabulary's order."""
        rng = self.run.rng
        spheres = []
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            sphere = rng.choices(list(SPHERES), weights=SPHERE_WEIGHTS)[0]
            if sphere not in spheres:
                spheres.append(sphere)
        spheres.sort(key=lambda code: self.run.ctx.sphere_order[code])
        return spheres

    def _date(self) -> tuple[Date, str]:
        """The date, and for half of the quarters the source's own wording ("2nd quarter of 1998")."""
        date = self.run.date()
        date_text = ""
        if QUARTER_RE.match(date.text) and self.run.chance(0.5):
            quarter = ("1st", "2nd", "3rd", "4th")[(int(date.text[5:7]) - 1) // 3]
            date_text = f"{quarter} quarter of {date.text[:4]}"
        return date, date_text

    def _labels(self, kind: str, sphere: str, first: int, second: int) -> dict:
        (a_en, a_ru), (b_en, b_ru) = self.parties.name_of(first), self.parties.name_of(second)
        kind_en, kind_ru, _ = AGREEMENT_KINDS[kind]
        sphere_en, sphere_ru = SPHERES[sphere]
        title = f"{kind_en} on {sphere_en} cooperation between {a_en} and {b_en}"
        return {"en": title, "ru": f"{kind_ru} о сотрудничестве ({sphere_ru}): {a_ru} и {b_ru}"}

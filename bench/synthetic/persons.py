"""Synthetic persons: Kazakh and Russian names in three scripts, holding positions at organizations."""

from __future__ import annotations

from bench.synthetic.dates import interval, year
from bench.synthetic.organizations import POSITION_TITLES, Organizations
from bench.synthetic.rows import Rows, Run
from bench.synthetic.words import FAMILY, GIVEN_FEMALE, GIVEN_MALE, latin


class Persons:
    """Makes the persons, and keeps their names for the titles of later records (records by n, not id)."""

    def __init__(self, run: Run, organizations: Organizations) -> None:
        self.run = run
        self.organizations = organizations
        self.names: dict[int, tuple[str, str]] = {}  # n → (English, Russian)

    def make(self, rows: Rows, n: int) -> None:
        run = self.run
        female = run.chance(0.35)
        given = run.pick(GIVEN_FEMALE if female else GIVEN_MALE)
        father = run.pick(GIVEN_MALE)
        family = run.pick(FAMILY)
        if female:
            family_ru = family + "а" if family.endswith(("ов", "ев", "ин")) else family
            patronymic_ru, patronymic_kk = father + "овна", father + "қызы"
        else:
            family_ru = family
            patronymic_ru, patronymic_kk = father + "ович", father + "ұлы"
        ru = f"{given} {patronymic_ru} {family_ru}"
        kk = f"{given} {patronymic_kk} {family_ru}"
        en = f"{latin(given)} {latin(family_ru)}"
        labels = {"en": en, "ru": ru, "kk": kk}
        aliases = [f"{latin(family_ru)} {latin(given)[0]}. {latin(patronymic_ru)[0]}."]
        positions, places, titles = self._positions(rows, n)
        rows.add("records_person", (run.id(n),))
        citations = run.citations(rows, n, 1) if run.chance(0.3) else []
        self.names[n] = (en, ru)
        run.record(
            rows,
            n,
            "person",
            {"positions": positions},
            label=en,
            labels=labels,
            aliases=aliases,
            citations=citations,
            places=places,
            type_text=" ".join(titles),
        )

    def _positions(self, rows: Rows, n: int) -> tuple[list[dict], list[int], list[str]]:
        """Positions of person n at random organizations: the snapshot's items, the organizations' places,
        and the titles."""
        run, organizations = self.run, self.organizations
        positions, places, titles = [], [], []
        for position in range(run.rng.choice((0, 1, 1, 1, 2))):
            org = run.any("organization")
            title = run.pick(POSITION_TITLES.get(organizations.kind[org], ["staff member"]))
            start = run.rng.randint(1991, 2012)
            date = interval(year(start), year(start + run.rng.randint(1, 8))) if run.chance(0.7) else year(start)
            rows.add(
                "records_position",
                (position, "certain", "", run.id(n), title, run.id(org), date.text, date.lower, date.upper),
            )
            positions.append(
                {"certainty": "certain", "note": "", "title": title, "organization": org, "date": date.text}
            )
            places += [p for p in organizations.seats[org] if p is not None]
            titles.append(title)
        return positions, places, titles

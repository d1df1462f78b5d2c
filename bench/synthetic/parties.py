"""What agreements, events and statistics are between: places and organizations of Kazakhstan and of its
partners (and people), with the names and places they lend to the records about them."""

from __future__ import annotations

from bench.synthetic.organizations import Organizations
from bench.synthetic.persons import Persons
from bench.synthetic.places import Places
from bench.synthetic.rows import Run


class Parties:
    """Picks the parties of agreements, events and statistics, and tells what they are called and where."""

    def __init__(self, run: Run, places: Places, organizations: Organizations, persons: Persons) -> None:
        self.run = run
        self.places = places
        self.organizations = organizations
        self.persons = persons

    def party(self, kazakh: bool) -> int:
        """A place or an organization of Kazakhstan or of a partner country."""
        run, places, organizations = self.run, self.places, self.organizations
        r = run.rng.random()
        if r < 0.55:
            if kazakh:
                return run.pick(places.kz_regions)
            return run.pick(places.regions_of[places.partner_country()] or places.foreign_regions)
        if r < 0.9:
            return run.pick((organizations.kazakh if kazakh else organizations.foreign) or list(organizations.kind))
        return places.kz if kazakh else places.partner_country()

    def places_of(self, ns: list[int]) -> list[int]:
        """The places records are about, as `records.content.types` derives them: places, and organizations' seats."""
        out = []
        for n in ns:
            if n in self.places.country:
                out.append(n)
            elif n in self.organizations.seats:
                out += [p for p in self.organizations.seats[n] if p is not None]
        return out

    def country_of(self, n: int) -> int | None:
        if n in self.places.country:
            return self.places.country[n]
        place, country = self.organizations.seats.get(n, (None, None))
        return self.places.country[place] if place is not None else country

    def name_of(self, n: int) -> tuple[str, str]:
        """(English, Russian) name of a place, organization or person."""
        return self.places.names.get(n) or self.organizations.names.get(n) or self.persons.names[n]

    def is_place(self, n: int) -> bool:
        return n in self.places.country

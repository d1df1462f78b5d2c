"""Synthetic places: real countries (Kazakhstan and its partners first), their real ISO 3166-2 regions
(names in English and Russian from pycountry), then synthetic districts and cities with Kazakh, Russian
and Latin names, coordinates near their region."""

from __future__ import annotations

import gettext
from decimal import Decimal

import pycountry

from bench.synthetic.data import CENTRES, PARTNER_WEIGHTS, PARTNERS
from bench.synthetic.rows import Rows, Run, dec
from bench.synthetic.words import MIDDLES, PREFIXES, ROOTS

SUBDIVISION_KINDS = {
    "region": "region", "administrative region": "region", "oblast": "region", "province": "region",
    "city": "city", "autonomous city": "city", "municipality": "city", "republic": "republic",
    "autonomous region": "autonomous_region", "autonomous district": "autonomous_region",
    "administrative territory": "krai", "voivodship": "voivodeship", "voivodeship": "voivodeship",
    "prefecture": "prefecture", "state": "federal_state", "land": "federal_state", "county": "county",
    "district": "district", "aimag": "aimag",
}  # fmt: skip


class Places:
    """Makes the places, and keeps what later types pick places from (records by n, not id)."""

    # The vocabulary terms written, by field (checked before a run; the schema names the vocabulary).
    CODES = {"kind": {"country", "region", "city", "district", *SUBDIVISION_KINDS.values()}}

    def __init__(self, run: Run) -> None:
        self.run = run
        self._ru1 = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
        self._kk1 = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["kk"])
        self._ru2 = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["ru"])
        self.names: dict[int, tuple[str, str]] = {}  # n → (English, Russian)
        self.country: dict[int, int] = {}  # n → its country's n (a country's own n)
        self.centre: dict[int, tuple[float, float]] = {}
        self.countries: list[int] = []
        self.country_by_code: dict[str, int] = {}
        self.kz_regions: list[int] = []
        self.foreign_regions: list[int] = []
        self.regions_of: dict[int, list[int]] = {}
        self.cities_of_country: dict[int, list[int]] = {}
        self._partner_weights: list[int] | None = None
        self._plan = self._planned()

    @property
    def kz(self) -> int:
        return self.country_by_code["KZ"]

    def _planned(self) -> list[tuple[str, object]]:
        """The countries and regions, in order (the cities follow): which countries, which of their regions."""
        total = self.run.counts["place"]
        all_codes = PARTNERS + sorted(c.alpha_2 for c in pycountry.countries if c.alpha_2 not in PARTNERS)
        n_countries = min(len(all_codes), max(3, round(total * 0.004)))
        n_regions = max(n_countries + 1, round(total * 0.15))
        codes = all_codes[:n_countries]
        subdivisions = {
            code: sorted(
                (s for s in pycountry.subdivisions.get(country_code=code) or [] if s.parent_code is None),
                key=lambda s: s.code,
            )
            for code in codes
        }
        taken = dict.fromkeys(codes, 0)
        regions: list[tuple[str, object]] = []
        while len(regions) < n_regions:
            progressed = False
            for code in codes:
                if len(regions) >= n_regions:
                    break
                if taken[code] < len(subdivisions[code]):
                    regions.append(("region", subdivisions[code][taken[code]]))
                    taken[code] += 1
                    progressed = True
            if not progressed:  # every real region is used: synthetic ones, round robin
                for code in codes:
                    if len(regions) >= n_regions:
                        break
                    regions.append(("region", code))
        return [("country", code) for code in codes] + regions

    # -------------------------------------------------------------- making them

    def make(self, rows: Rows, n: int) -> None:
        index = n - self.run.start["place"]
        if index < len(self._plan):
            what, item = self._plan[index]
            if what == "country":
                self._country(rows, n, item)
            else:
                self._region(rows, n, item)
        else:
            self._city(rows, n)

    def name(self) -> tuple[str, str, str, str]:
        """A Kazakh-style place name: (English, Russian, Kazakh, Kazakh-Latin spelling)."""
        p, m, r = self.run.pick(PREFIXES), self.run.pick(MIDDLES), self.run.pick(ROOTS)
        ru, kk, en, kz = (p[i] + m[i] + r[i] for i in range(4))
        return en, ru, kk, kz

    def _coords(self, centre: tuple[float, float], spread: float) -> tuple[Decimal, Decimal]:
        rng = self.run.rng
        lat = max(-89.0, min(89.0, centre[0] + (rng.random() - 0.5) * spread))
        lon = max(-179.0, min(179.0, centre[1] + (rng.random() - 0.5) * spread * 1.5))
        return Decimal(round(lat * 10000)).scaleb(-4), Decimal(round(lon * 10000)).scaleb(-4)

    def _write(
        self,
        rows: Rows,
        n: int,
        *,
        kind: str,
        labels: dict,
        aliases: list[str],
        parent: int | None,
        iso: str,
        coords: tuple[Decimal, Decimal],
    ) -> None:
        run = self.run
        borders = []
        if parent in self.regions_of and run.chance(0.1):  # a region bordering another of its country
            siblings = [p for p in self.regions_of.get(self.country[n], []) if p != n]
            if siblings:
                borders.append((run.pick(siblings),))
        borders = run.links(rows, "records_place_border", n, borders)
        lat, lon = coords
        rows.add("records_place", (run.id(n), kind, run.id(parent), iso, lat, lon))
        citations = run.citations(rows, n, 1) if run.chance(0.1) else []
        own = {
            "kind": kind,
            "parent": parent,
            "iso_code": iso,
            "latitude": dec(lat),
            "longitude": dec(lon),
            "borders": borders,
        }
        en = labels["en"]
        core = {"label": en, "labels": labels, "aliases": aliases, "citations": citations, "type_text": iso}
        run.record(rows, n, "place", own, **core, places=[n], notes="")
        self.names[n] = (en, labels.get("ru", en))

    def _country(self, rows: Rows, n: int, code: str) -> None:
        country = pycountry.countries.get(alpha_2=code)
        en = getattr(country, "common_name", None) or country.name
        labels = {"en": en}
        for lang, catalogue in (("ru", self._ru1), ("kk", self._kk1)):
            translated = catalogue.gettext(country.name)
            if translated != country.name:
                labels[lang] = translated
        aliases = [country.official_name] if getattr(country, "official_name", None) else []
        centre = CENTRES.get(code) or (self.run.rng.uniform(-40, 60), self.run.rng.uniform(-120, 150))
        self.centre[n] = centre
        self.country[n] = n
        self.countries.append(n)
        self.regions_of[n] = []
        self.cities_of_country[n] = []
        self.country_by_code[code] = n
        coords = self._coords(centre, 0)
        self._write(rows, n, kind="country", labels=labels, aliases=aliases, parent=None, iso=code, coords=coords)

    def _region(self, rows: Rows, n: int, item) -> None:
        if isinstance(item, str):  # a synthetic region of country `item`
            code, iso = item, ""
            en, ru, kk, kz = self.name()
            kind = "region"
            labels = {"en": f"{en} Region", "ru": f"{ru}ская область", "kk": f"{kk} облысы"}
            aliases = [f"{kz} oblysy"] if kz != en else []
        else:
            code, iso = item.country_code, item.code
            kind = SUBDIVISION_KINDS.get(item.type.lower(), "region")
            labels = {"en": item.name}
            ru = self._ru2.gettext(item.name)
            if ru != item.name:
                labels["ru"] = ru
            aliases = []
        country = self.country_by_code[code]
        self.country[n] = country
        coords = self._coords(self.centre[country], 8)
        self.centre[n] = (float(coords[0]), float(coords[1]))
        self.regions_of[country].append(n)
        (self.kz_regions if code == "KZ" else self.foreign_regions).append(n)
        self._write(rows, n, kind=kind, labels=labels, aliases=aliases, parent=country, iso=iso, coords=coords)

    def _city(self, rows: Rows, n: int) -> None:
        run = self.run
        # Kazakh regions hold half the cities: the portal is about them.
        region = run.pick(self.kz_regions) if run.chance(0.5) else run.pick(self.foreign_regions)
        en, ru, kk, kz = self.name()
        kind = "city" if run.chance(0.6) else "district"
        if kind == "district":
            labels = {"en": f"{en} District", "ru": f"{ru}ский район", "kk": f"{kk} ауданы"}
        else:
            labels = {"en": en, "ru": ru, "kk": kk}
        aliases = [kz] if kz != en and kind == "city" else []
        country = self.country[region]
        self.country[n] = country
        self.cities_of_country[country].append(n)
        coords = self._coords(self.centre[region], 2)
        self._write(rows, n, kind=kind, labels=labels, aliases=aliases, parent=region, iso="", coords=coords)

    # -------------------------------------------------------------- what later types pick

    def some_place(self, kazakh: bool) -> int:
        """A region (mostly) or city of Kazakhstan or of a partner country."""
        country = self.kz if kazakh else self.partner_country()
        cities = self.cities_of_country.get(country) or []
        if cities and self.run.chance(0.4):
            return self.run.pick(cities)
        return self.run.pick(self.regions_of[country] or [country])

    def partner_country(self) -> int:
        foreign = self.countries[1:]
        if self._partner_weights is None:
            codes = [self._plan[c - self.run.start["place"]][1] for c in foreign]
            self._partner_weights = [PARTNER_WEIGHTS.get(code, 1) for code in codes]
        return self.run.rng.choices(foreign, weights=self._partner_weights)[0]

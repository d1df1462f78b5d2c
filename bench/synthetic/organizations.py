"""Synthetic organizations located in places: the administration of each region first (akimats in
Kazakhstan, governments elsewhere), archives, then companies, universities, banks, departments..."""

from __future__ import annotations

from bench.synthetic.data import SPHERES
from bench.synthetic.dates import NO_DATE, interval, year
from bench.synthetic.places import Places
from bench.synthetic.rows import Rows, Run
from bench.synthetic.words import COMPANY_WORDS

ORG_KINDS = (
    ["company", "joint_venture", "university", "association", "chamber_of_commerce", "bank", "research_institute"]
    + ["department", "archive"],
    [45, 10, 9, 6, 4, 4, 4, 8, 2],
)
# The names of an organization of each kind, (English, Russian), with the words of `Organizations._names`.
NAMES = {
    "akimat": ("Akimat of {place_en}", "Акимат: {place_ru}"),
    "government": ("Government of {place_en}", "Правительство: {place_ru}"),
    "archive": ("State Archive of {place_en}", "Государственный архив: {place_ru}"),
    "company": ("{word_en}{name_en_lower} LLP", "ТОО «{word_ru}{name_ru_lower}»"),
    "joint_venture": ("{word_en}-{other_en} joint venture", "СП «{word_ru}-{other_ru}»"),
    "university": ("{place_en} State University", "Государственный университет: {place_ru}"),
    "association": ("Association of {sphere_en} enterprises of {place_en}", "Ассоциация ({sphere_ru}): {place_ru}"),
    "chamber_of_commerce": ("Chamber of Commerce of {place_en}", "Торгово-промышленная палата: {place_ru}"),
    "bank": ("{name_en} Bank", "Банк «{name_ru}»"),
    "research_institute": ("{name_en} Research Institute", "НИИ «{name_ru}»"),
    "department": ("Department of {sphere_en} affairs of {place_en}", "Управление ({sphere_ru}): {place_ru}"),
}
# What people hold at an organization of each kind (see persons.py).
POSITION_TITLES = {
    "akimat": ["akim", "deputy akim", "head of the foreign relations department"],
    "government": ["governor", "deputy governor", "minister of the regional government"],
    "ministry": ["minister", "deputy minister", "head of department"],
    "company": ["director general", "chairman of the board", "commercial director"],
    "joint_venture": ["director general", "deputy director"],
    "university": ["rector", "vice-rector for international relations", "professor"],
    "archive": ["director", "chief archivist"],
    "chamber_of_commerce": ["chairman", "executive director"],
    "association": ["president", "executive secretary"],
    "bank": ["chairman of the board", "managing director"],
    "research_institute": ["director", "senior researcher"],
    "department": ["head of department", "chief specialist"],
}


class Organizations:
    """Makes the organizations, and keeps what later types pick them by (records by n, not id)."""

    # The vocabulary terms written, by field (checked before a run; the schema names the vocabulary).
    CODES = {"kind": set(NAMES)}

    def __init__(self, run: Run, places: Places) -> None:
        self.run = run
        self.places = places
        self.seats: dict[int, tuple[int | None, int | None]] = {}  # n → (place n, country n), either may be None
        self.kind: dict[int, str] = {}
        self.names: dict[int, tuple[str, str]] = {}  # n → (English, Russian)
        self.kazakh: list[int] = []
        self.foreign: list[int] = []
        self.archives: list[int] = []

    def make(self, rows: Rows, n: int) -> None:
        run = self.run
        kind, place, kazakh = self._kind_and_place(n - run.start["organization"])
        en, ru, acronym = self._names(kind, place)
        if kind == "archive":
            self.archives.append(n)
        labels = {"en": en, "ru": ru}
        # When only the country is known (a fifth of companies), the place is left empty.
        country = self.places.country[place]
        only_country = kind in ("company", "joint_venture", "bank") and run.chance(0.2)
        place_n = None if only_country else place
        country_n = country if only_country or run.chance(0.3) else None
        rows.add("records_organization", (run.id(n), kind, acronym, run.id(place_n), run.id(country_n), None))
        self.seats[n] = (place_n, country_n)
        self.kind[n] = kind
        self.names[n] = (en, ru)
        (self.kazakh if kazakh else self.foreign).append(n)
        citations = run.citations(rows, n, 1) if run.chance(0.3) else []
        date = interval(year(run.rng.randint(1991, 2008)), year(2024)) if run.chance(0.3) else NO_DATE
        own = {"kind": kind, "acronym": acronym, "place": place_n, "country": country_n}
        run.record(
            rows,
            n,
            "organization",
            own,
            label=en,
            labels=labels,
            date=date,
            citations=citations,
            places=[p for p in (place_n, country_n) if p is not None],
            type_text=acronym,
            acronym=acronym,
        )

    def _kind_and_place(self, index: int) -> tuple[str, int, bool]:
        """The kind of organization `index` of the run, its place, and whether it is Kazakh."""
        run, places = self.run, self.places
        kazakh = run.chance(0.5)
        regions = places.kz_regions + places.foreign_regions
        if index < min(len(regions), run.counts["organization"] // 10):
            # the administration of each region first: akimats in Kazakhstan, governments elsewhere
            region = regions[index]
            kazakh = region in places.kz_regions
            return ("akimat" if kazakh else "government"), region, kazakh
        if index == len(regions) or (index % 50 == 7):
            return "archive", places.some_place(kazakh), kazakh
        kind = run.weighted(ORG_KINDS)
        return kind, places.some_place(kazakh), kazakh

    def _names(self, kind: str, place: int) -> tuple[str, str, str]:
        """(English, Russian, acronym) of an organization of `kind` in `place`."""
        run = self.run
        place_en, place_ru = self.places.names[place]
        word_ru, word_en = run.pick(COMPANY_WORDS)
        name_en, name_ru, _, _ = self.places.name()
        sphere_en, sphere_ru = SPHERES[run.pick(list(SPHERES))]
        words = {
            "place_en": place_en,
            "place_ru": place_ru,
            "word_en": word_en,
            "word_ru": word_ru,
            "name_en": name_en,
            "name_ru": name_ru,
            "name_en_lower": name_en.lower(),
            "name_ru_lower": name_ru.lower(),
            "sphere_en": sphere_en,
            "sphere_ru": sphere_ru,
        }
        if kind == "joint_venture":
            words["other_ru"], words["other_en"] = run.pick(COMPANY_WORDS)
        en, ru = (template.format(**words) for template in NAMES[kind])
        acronym = ""
        if kind == "archive":
            acronym = "SA" + "".join(w[0] for w in place_en.split()[:2]).upper()
        elif kind == "university":
            acronym = "".join(w[0] for w in en.split()).upper()[:10]
        return en, ru, acronym

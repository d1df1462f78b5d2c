"""Synthetic records at scale, for benchmarks: `manage.py generate_synthetic --records N --seed S`.

The same N and S give the same content, record for record: one `random.Random` drives everything, in a
fixed order, over fixed word lists and the country and region lists of `pycountry`. The records spread
over all seven types in the proportions a mature portal might have (`SHARES`):

- places: real countries (Kazakhstan and its partners first) → their real ISO 3166-2 regions (names
  in English and Russian from pycountry) → synthetic districts and cities with Kazakh, Russian and
  Latin names, coordinates near their region;
- organizations located in places (akimats, companies, universities, archives...), persons holding
  positions at them, sources (archival files kept by the archives, publications);
- agreements between a Kazakh and a foreign party (2–4 parties, with roles and spheres), events with
  participants and places, statistics about places or organizations, with values in currencies or units;
- dates in every EDTF shape the portal supports: days, months, years, intervals, `1996?`, `2004~`, `199X`;
- citations from records to sources.

Each record is marked `identifiers: {"synthetic": "<seed>-<n>"}`. This module only *makes* rows: the
revision snapshot of each record is built here in exactly the shape `records.content.schemas` gives (the tests
check it against `state_of` and `state_validate`), and records/bulk.py writes everything with COPY.
"""

from __future__ import annotations

import calendar
import datetime as dt
import gettext
import hashlib
import json
import random
import re
import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from decimal import Decimal

import pycountry

from bench import bulk
from bench.bulk import STAGE, STAGE_COLUMNS
from records.workflow.indexing import names_of, search_texts

# Share of each type in N records (places at least MIN_PLACES, so that small runs still have a hierarchy).
SHARES = {
    "place": 0.02,
    "organization": 0.08,
    "person": 0.10,
    "source": 0.06,
    "agreement": 0.30,
    "event": 0.25,
    "statistic": 0.19,
}
ORDER = ["place", "organization", "person", "source", "agreement", "event", "statistic"]
MIN_RECORDS = 100
QUARTER_RE = re.compile(r"^[0-9]{4}-(01|04|07|10)/[0-9]{4}-(03|06|09|12)$")
MIN_PLACES = 24
SUMMARY_PREFIX = "Synthetic data"

# Kazakhstan first, then its main partners (their regions come first too); then every other country.
PARTNERS = [
    "KZ", "RU", "CN", "KG", "UZ", "TM", "TJ", "MN", "TR", "DE", "PL", "CZ", "KR", "JP", "US", "FR",
    "IT", "GB", "IN", "IR", "AZ", "BY", "UA", "GE", "AM", "LT", "LV", "EE", "HU", "AT", "NL", "BE",
    "ES", "SK", "BG", "RO", "FI", "SE", "CH", "AE", "SA", "EG", "PK", "AF", "MY", "SG", "TH", "VN",
    "ID", "CA", "BR", "AR", "AU", "IL", "MD",
]  # fmt: skip
# Rough centres (latitude, longitude) of the main partners; other countries get a deterministic spot.
CENTRES = {
    "KZ": (48.0, 67.0), "RU": (56.0, 60.0), "CN": (36.0, 104.0), "KG": (41.2, 74.8), "UZ": (41.4, 64.6),
    "TM": (39.0, 59.6), "TJ": (38.9, 71.3), "MN": (46.9, 103.8), "TR": (39.0, 35.2), "DE": (51.2, 10.5),
    "PL": (51.9, 19.1), "CZ": (49.8, 15.5), "KR": (35.9, 127.8), "JP": (36.2, 138.3), "US": (39.8, -98.6),
    "FR": (46.2, 2.2), "IT": (42.8, 12.6), "GB": (54.0, -2.0), "IN": (22.0, 79.0), "IR": (32.4, 53.7),
    "AZ": (40.1, 47.6), "BY": (53.7, 28.0), "UA": (48.4, 31.2), "GE": (42.3, 43.4), "AM": (40.1, 45.0),
}  # fmt: skip
# Weights of foreign countries as partners: Russia and China dominate, as in the article.
PARTNER_WEIGHTS = {"RU": 30, "CN": 15, "KG": 6, "UZ": 6, "DE": 5, "TR": 5, "KR": 4, "PL": 3, "CZ": 3, "MN": 3}

SUBDIVISION_KINDS = {
    "region": "region", "administrative region": "region", "oblast": "region", "province": "region",
    "city": "city", "autonomous city": "city", "municipality": "city", "republic": "republic",
    "autonomous region": "autonomous_region", "autonomous district": "autonomous_region",
    "administrative territory": "krai", "voivodship": "voivodeship", "voivodeship": "voivodeship",
    "prefecture": "prefecture", "state": "federal_state", "land": "federal_state", "county": "county",
    "district": "district", "aimag": "aimag",
}  # fmt: skip

# Name parts: (Russian, Kazakh, Latin from Russian, Latin from Kazakh).
PREFIXES = [
    ("Ак", "Ақ", "Ak", "Aq"), ("Кара", "Қара", "Kara", "Qara"), ("Сары", "Сары", "Sary", "Sary"),
    ("Кок", "Көк", "Kok", "Kok"), ("Жана", "Жаңа", "Zhana", "Jana"), ("Ески", "Ескі", "Eski", "Eski"),
    ("Улы", "Ұлы", "Uly", "Uly"), ("Таш", "Тас", "Tash", "Tas"), ("Бай", "Бай", "Bai", "Bai"),
    ("Кызыл", "Қызыл", "Kyzyl", "Qyzyl"), ("Ала", "Ала", "Ala", "Ala"), ("Бес", "Бес", "Bes", "Bes"),
    ("Жел", "Жел", "Zhel", "Jel"), ("Талды", "Талды", "Taldy", "Taldy"), ("Шал", "Шал", "Shal", "Shal"),
    ("Есиль", "Есіл", "Esil", "Esil"), ("Кен", "Кен", "Ken", "Ken"), ("Тем", "Тем", "Tem", "Tem"),
    ("Уш", "Үш", "Ush", "Ush"), ("Мын", "Мың", "Myn", "Myn"), ("Ой", "Ой", "Oi", "Oi"),
    ("Тогыз", "Тоғыз", "Togyz", "Toghyz"), ("Жаксы", "Жақсы", "Zhaksy", "Jaqsy"), ("Кос", "Қос", "Kos", "Qos"),
]  # fmt: skip
MIDDLES = [
    ("", "", "", ""), ("", "", "", ""), ("", "", "", ""), ("ба", "ба", "ba", "ba"), ("ту", "ту", "tu", "tu"),
    ("ке", "ке", "ke", "ke"), ("са", "са", "sa", "sa"), ("ты", "ты", "ty", "ty"), ("мы", "мы", "my", "my"),
]  # fmt: skip
ROOTS = [
    ("булак", "бұлақ", "bulak", "bulaq"), ("су", "су", "su", "su"), ("тау", "тау", "tau", "tau"),
    ("коль", "көл", "kol", "kol"), ("агаш", "ағаш", "agash", "aghash"), ("кум", "құм", "kum", "qum"),
    ("тобе", "төбе", "tobe", "tobe"), ("жар", "жар", "zhar", "jar"), ("кудук", "құдық", "kuduk", "qudyq"),
    ("озек", "өзек", "ozek", "ozek"), ("арал", "арал", "aral", "aral"), ("терек", "терек", "terek", "terek"),
    ("кайын", "қайың", "kaiyn", "qaiyng"), ("шокы", "шоқы", "shoky", "shoqy"), ("сай", "сай", "sai", "sai"),
    ("дала", "дала", "dala", "dala"), ("курган", "қорған", "kurgan", "qorgan"), ("тал", "тал", "tal", "tal"),
    ("жол", "жол", "zhol", "jol"), ("бастау", "бастау", "bastau", "bastau"), ("кора", "қора", "kora", "qora"),
    ("узек", "үзек", "uzek", "uzek"), ("мола", "мола", "mola", "mola"), ("кент", "кент", "kent", "kent"),
]  # fmt: skip
GIVEN_MALE = [
    "Ерлан", "Марат", "Нурлан", "Серик", "Болат", "Асхат", "Бауыржан", "Данияр", "Айдар", "Канат",
    "Иван", "Сергей", "Андрей", "Дмитрий", "Алексей", "Владимир", "Тимур", "Руслан", "Ержан", "Галым",
]  # fmt: skip
GIVEN_FEMALE = [
    "Айгуль", "Гульнара", "Сауле", "Алия", "Динара", "Жанна", "Ольга", "Елена", "Наталья", "Татьяна",
    "Мария", "Анна", "Салтанат", "Асель", "Камила",
]  # fmt: skip
FAMILY = [
    "Ахметов", "Омаров", "Жумабаев", "Касымов", "Искаков", "Байжанов", "Сулейменов", "Мусин",
    "Тулегенов", "Кенжебаев", "Ержанов", "Садыков", "Нурланов", "Абдрахманов", "Иванов", "Петров",
    "Смирнов", "Кузнецов", "Попов", "Соколов", "Морозов", "Волков", "Лебедев", "Козлов", "Новиков",
    "Ким", "Ли", "Шевченко", "Бондаренко", "Мельников",
]  # fmt: skip
RU_LATIN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "_",
            "y",
            "_",
            "e",
            "iu",
            "ia",
        ],
        strict=True,
    )
)
COMPANY_WORDS = [
    ("Алтын", "Altyn"), ("Темир", "Temir"), ("Мунай", "Munai"), ("Транс", "Trans"), ("Агро", "Agro"),
    ("Энерго", "Energo"), ("Строй", "Stroi"), ("Инвест", "Invest"), ("Сервис", "Servis"), ("Торг", "Torg"),
    ("Казах", "Kazakh"), ("Евразия", "Eurasia"), ("Степь", "Step"), ("Шелк", "Silk"), ("Восток", "Vostok"),
]  # fmt: skip

SPHERES = {  # code: (English phrase, Russian phrase)
    "trade": ("trade", "торговля"), "economic": ("economic", "экономика"),
    "scientific": ("scientific", "наука"), "technical": ("technical", "техника"),
    "humanitarian": ("humanitarian", "гуманитарная сфера"), "cultural": ("cultural", "культура"),
    "tourism": ("tourism", "туризм"), "education": ("education", "образование"),
    "health": ("health", "здравоохранение"), "customs": ("customs", "таможенное дело"),
    "transport": ("transport", "транспорт"), "energy": ("energy", "энергетика"),
    "agriculture": ("agricultural", "сельское хозяйство"), "investment": ("investment", "инвестиции"),
    "industry": ("industrial", "промышленность"), "migration": ("migration", "миграция"),
}  # fmt: skip
SPHERE_WEIGHTS = [30, 25, 6, 4, 5, 8, 5, 6, 3, 2, 4, 3, 5, 4, 3, 1]
AGREEMENT_KINDS = {  # code: (English, Russian, weight)
    "agreement": ("Agreement", "Соглашение", 40), "memorandum": ("Memorandum of understanding", "Меморандум", 25),
    "contract": ("Contract", "Контракт", 12), "protocol": ("Protocol", "Протокол", 10),
    "work_plan": ("Work plan", "План мероприятий", 8), "treaty": ("Treaty", "Договор", 5),
}  # fmt: skip
AGREEMENT_STATUSES = (["signed", "in_force", "expired", "unknown", "planned", "terminated"], [60, 20, 10, 5, 3, 2])
EVENT_KINDS = ["visit", "delegation", "meeting", "exhibition", "forum", "conference", "festival", "days_of_culture"]
EVENT_WEIGHTS = [25, 15, 20, 12, 10, 8, 4, 6]
INDICATORS = {  # code: (English, Russian, unit or None for money, weight)
    "trade_turnover": ("Trade turnover", "Товарооборот", None, 30), "exports": ("Exports", "Экспорт", None, 12),
    "imports": ("Imports", "Импорт", None, 12), "investment": ("Investment", "Инвестиции", None, 10),
    "deal_value": ("Value of deals", "Сумма сделок", None, 4),
    "repatriates": ("Repatriates", "Репатрианты", "persons", 5), "tourists": ("Tourists", "Туристы", "persons", 6),
    "joint_ventures": ("Joint ventures", "Совместные предприятия", "companies", 6),
    "enterprises": ("Enterprises", "Предприятия", "enterprises", 4),
    "trade_share": ("Share in trade", "Доля в товарообороте", "percent", 5),
    "accommodation_facilities": ("Accommodation facilities", "Средства размещения", "facilities", 2),
    "housing": ("Houses built", "Построено домов", "houses", 2), "employment": ("Jobs", "Рабочие места", "persons", 2),
}  # fmt: skip
CURRENCIES = (["USD", "KZT", "RUB", "EUR", "CNY"], [70, 12, 10, 6, 2])
QUALIFIERS = (["exact", "approximate", "more_than", "at_least", "at_most"], [70, 18, 6, 4, 2])
PUBLICATION_KINDS = (
    ["book", "journal_article", "newspaper_article", "edited_book", "web_page", "report", "document_collection"],
    [20, 35, 15, 8, 10, 7, 5],
)
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
ORG_KINDS = (
    ["company", "joint_venture", "university", "association", "chamber_of_commerce", "bank", "research_institute"]
    + ["department", "archive"],
    [45, 10, 9, 6, 4, 4, 4, 8, 2],
)
NOTES = [
    "Mentioned in the regional press of the time.",
    "The figures differ between the sources; the lower one is given.",
    "Known from the report of the regional akimat to the Ministry of Foreign Affairs.",
    "The text of the document has not been found in the archives consulted.",
    "Signed during an official visit; ratification is not documented.",
    "Part of a series of similar documents signed in the same year.",
]
QUOTES = [
    "Стороны договорились о расширении торгово-экономического сотрудничества.",
    "Объём взаимной торговли вырос почти вдвое.",
    "Делегация ознакомилась с работой промышленных предприятий области.",
    "Было подписано соглашение о сотрудничестве в гуманитарной сфере.",
]
UNCERTAIN_NOTES = ["The date is given differently in other sources.", "Only one source mentions it."]

# What this module writes into; every code here must exist in the vocabularies (checked before a run).
VOCABULARY_CODES = {
    "placekind": {"country", "region", "city", "district", "republic", "autonomous_region", "krai", "voivodeship"}
    | {"prefecture", "federal_state", "county", "aimag"},
    "organizationkind": set(POSITION_TITLES) | set(ORG_KINDS[0]),
    "agreementkind": set(AGREEMENT_KINDS),
    "agreementlevel": {"intergovernmental", "interregional", "institutional", "commercial"},
    "eventkind": set(EVENT_KINDS),
    "sphere": set(SPHERES),
    "indicator": set(INDICATORS),
    "role": {"party", "signatory", "participant", "host", "guest", "organizer", "delegation"}
    | {"head_of_delegation", "partner", "subject"},
    "unit": {unit for *_, unit, _w in INDICATORS.values() if unit},
    "sourcekind": set(PUBLICATION_KINDS[0]) | {"archival_file"},
}


def plan_counts(records: int) -> dict[str, int]:
    """How many records of each type N records hold (they add up to N)."""
    if records < MIN_RECORDS:
        raise ValueError(f"Generate at least {MIN_RECORDS} records.")
    places = max(MIN_PLACES, round(records * SHARES["place"]))
    rest = records - places
    weights = {name: SHARES[name] for name in ORDER[1:]}
    total = sum(weights.values())
    counts = {"place": places} | {name: int(rest * share / total) for name, share in weights.items()}
    counts["agreement"] += records - sum(counts.values())
    return counts


def synthetic_summary(records: int, seed: int) -> str:
    return f"{SUMMARY_PREFIX} (seed {seed}, {records} records): generated for benchmarks, not real data"


# ------------------------------------------------------------------ dates


@dataclass(frozen=True, slots=True)
class Date:
    """An EDTF string with the bounds `records.dates.edtf.parse` gives it (the tests check they agree)."""

    text: str
    lower: dt.date | None
    upper: dt.date | None


def _last(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def day(year: int, month: int, dom: int) -> Date:
    value = dt.date(year, month, dom)
    return Date(value.isoformat(), value, value)


def month(year: int, mon: int, suffix: str = "") -> Date:
    return Date(f"{year}-{mon:02d}{suffix}", dt.date(year, mon, 1), _last(year, mon))


def year(value: int, suffix: str = "") -> Date:
    return Date(f"{value}{suffix}", dt.date(value, 1, 1), dt.date(value, 12, 31))


def decade(value: int) -> Date:
    start = value - value % 10
    return Date(f"{start // 10}X", dt.date(start, 1, 1), dt.date(start + 9, 12, 31))


def interval(first: Date, last: Date) -> Date:
    return Date(f"{first.text}/{last.text}", first.lower, last.upper)


NO_DATE = Date("", None, None)


# ------------------------------------------------------------------ rows


@dataclass(slots=True)
class Rows:
    """What one batch of records becomes: rows by table (records/bulk.py's TABLES), in order."""

    tables: dict[str, list[tuple]] = field(default_factory=dict)
    count: int = 0

    def add(self, table: str, row: tuple) -> None:
        self.tables.setdefault(table, []).append(row)


@dataclass(frozen=True)
class Context:
    """What the rows need from the database: ids, the proposal, its author and reviewer, the time."""

    ids: list[int]  # ids[n] is the id of synthetic record n
    proposal_id: int
    author_id: int
    reviewer_id: int
    summary: str
    now: dt.datetime
    sphere_order: dict[str, int]  # the vocabulary's order, which is how a record's spheres are listed
    ids_max: int = 0
    step: dt.timedelta = dt.timedelta(0)  # between the publication of two consecutive ids (see _created)


def _dec(value: Decimal) -> str:
    """A decimal as the state serializers show it (normalize_output)."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _latin(name: str) -> str:
    out = []
    for char in name:
        low = char.lower()
        latin = RU_LATIN.get(low)
        if latin is None:
            out.append(char)
        elif latin != "_":
            out.append(latin.capitalize() if char != low else latin)
    return "".join(out)


def _jsonb_order(labels: dict) -> dict:
    """Labels in the order PostgreSQL's jsonb keeps keys (by length, then bytes), as a reload shows them."""
    return {key: labels[key] for key in sorted(labels, key=lambda k: (len(k.encode()), k.encode()))}


class Generator:
    """Makes the rows of N synthetic records, type by type, in batches; see the module docstring."""

    def __init__(self, records: int, seed: int, batch: int = 5000) -> None:
        self.records = records
        self.seed = seed
        self.batch = batch
        self.counts = plan_counts(records)
        self.rng = random.Random(f"bailanys-synthetic:{seed}")
        self.start: dict[str, int] = {}
        n = 0
        for name in ORDER:
            self.start[name] = n
            n += self.counts[name]
        self._ru1 = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
        self._kk1 = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["kk"])
        self._ru2 = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["ru"])
        # What later types pick from, filled as the earlier types are made (indexes n, not ids).
        self.place_parent: dict[int, int] = {}
        self.place_names: dict[int, tuple[str, str]] = {}  # n → (English, Russian)
        self.place_country: dict[int, int] = {}
        self.centre: dict[int, tuple[float, float]] = {}
        self.countries: list[int] = []
        self.country_by_code: dict[str, int] = {}
        self.kz_regions: list[int] = []
        self.foreign_regions: list[int] = []
        self.regions_of: dict[int, list[int]] = {}
        self.cities_of_country: dict[int, list[int]] = {}
        self.org_places: dict[int, tuple[int | None, int | None]] = {}  # n → (place n, country n)
        self.org_kind: dict[int, str] = {}
        self.org_names: dict[int, tuple[str, str]] = {}
        self.kz_orgs: list[int] = []
        self.foreign_orgs: list[int] = []
        self.archives: list[int] = []
        self.person_names: dict[int, tuple[str, str]] = {}
        self.ctx: Context | None = None

    # -------------------------------------------------------------- driving

    def batches(self, ctx: Context) -> Iterator[tuple[str, Rows]]:
        """(record type, rows) for every batch of records, in order; ids from `ctx`."""
        self.ctx = ctx
        makers: dict[str, Callable[[Rows, int], None]] = {
            "place": self._place,
            "organization": self._organization,
            "person": self._person,
            "source": self._source,
            "agreement": self._agreement,
            "event": self._event,
            "statistic": self._statistic,
        }
        self._plan_places()
        for name in ORDER:
            if name == "organization":
                self.kz = self.country_by_code["KZ"]
            first, count = self.start[name], self.counts[name]
            for offset in range(0, count, self.batch):
                rows = Rows()
                for n in range(first + offset, first + min(count, offset + self.batch)):
                    makers[name](rows, n)
                    rows.count += 1
                yield name, rows

    # -------------------------------------------------------------- shared pieces

    def _id(self, n: int | None) -> int | None:
        return None if n is None else self.ctx.ids[n]

    def _created(self, n: int) -> dt.datetime:
        """When record n was published: spread over the years before the run, in id order (as if the
        records had been added one by one), so that "recently changed" lists look as they would."""
        ctx = self.ctx
        return ctx.now - (ctx.ids_max - ctx.ids[n]) * ctx.step

    def _chance(self, p: float) -> bool:
        return self.rng.random() < p

    def _pick(self, seq: list):
        return seq[int(self.rng.random() * len(seq))]

    def _weighted(self, choices: tuple[list, list]):
        return self.rng.choices(choices[0], weights=choices[1])[0]

    def _date(self, *, first: int = 1991, last: int = 2014, shapes: str = "general") -> Date:
        """A date in one of the EDTF shapes the portal supports, mostly days and months."""
        rng = self.rng
        y = rng.randint(first, last)
        m = rng.randint(1, 12)
        r = rng.random()
        if shapes == "figure":  # statistics: years, quarters, half-years
            if r < 0.6:
                return year(y)
            if r < 0.8:
                q = rng.randint(0, 3)
                return interval(month(y, 3 * q + 1), month(y, 3 * q + 3))
            if r < 0.9:
                return interval(month(y, 1), month(y, 6))
            if r < 0.95:
                return year(y, "~")
            return interval(year(y), year(min(y + rng.randint(1, 4), last)))
        if r < 0.45:
            return day(y, m, rng.randint(1, calendar.monthrange(y, m)[1]))
        if r < 0.65:
            return month(y, m)
        if r < 0.77:
            return year(y)
        if r < 0.82:
            q = rng.randint(0, 3)
            return interval(month(y, 3 * q + 1), month(y, 3 * q + 3))
        if r < 0.87:
            start = rng.randint(1, 25)
            return interval(day(y, m, start), day(y, m, start + rng.randint(1, 3)))
        if r < 0.91:
            return interval(year(y), year(min(y + rng.randint(1, 5), last)))
        if r < 0.95:
            return year(y, "?")
        if r < 0.97:
            return month(y, m, "?")
        if r < 0.985:
            return year(y, "~")
        return decade(y)

    def _certainty(self) -> tuple[str, str]:
        r = self.rng.random()
        if r < 0.94:
            return "certain", ""
        if r < 0.985:
            return "uncertain", self._pick(UNCERTAIN_NOTES)
        return "disputed", "Sources disagree on this."

    def _citations(self, rows: Rows, n: int, how_many: int, fields: tuple[str, ...] = ()) -> list[dict]:
        """Citations of random sources, as rows and as the snapshot lists them."""
        start, count = self.start["source"], self.counts["source"]
        out = []
        used: list[int] = []
        for position in range(how_many):
            source = start + int(self.rng.random() * count)
            if source in used or source == n:
                continue
            used.append(source)
            page = self.rng.randint(1, 400)
            locator = f"p. {page}" if self._chance(0.6) else f"pp. {page}-{page + self.rng.randint(1, 6)}"
            quote = self._pick(QUOTES) if self._chance(0.1) else ""
            cited = self._pick(fields) if fields and self._chance(0.15) else ""
            rows.add("records_citation", (self._id(n), self._id(source), cited, locator, quote, position))
            out.append({"source": self._id(source), "field": cited, "locator": locator, "quote": quote})
        return out

    def _record(
        self,
        rows: Rows,
        n: int,
        record_type: str,
        *,
        label: str,
        labels: dict,
        aliases: list[str] = (),
        date: Date = NO_DATE,
        date_text: str = "",
        notes: str | None = None,
        citations: list[dict],
        own: dict,
        places: list[int],
        type_text: str = "",
        acronym: str = "",
    ) -> None:
        """The shared core: the staged core row (search texts included) and the revision 1 snapshot."""
        labels = _jsonb_order(labels)
        aliases = list(aliases)
        if notes is None:
            notes = self._pick(NOTES) if self._chance(0.12) else ""
        certainty, certainty_note = self._certainty()
        identifiers = {"synthetic": f"{self.seed}-{n}"}
        texts = search_texts(
            names=names_of(label, labels, aliases, acronym),
            label=label,
            labels=labels,
            notes=notes,
            date_text=date_text,
            certainty_note=certainty_note,
            type_text=type_text,
            quotes=[c["quote"] for c in citations],
        )
        rows.add(
            "synthetic_stage",
            (
                self._id(n),
                record_type,
                label,
                json.dumps(labels, ensure_ascii=False),
                aliases,
                json.dumps(identifiers),
                notes,
                certainty,
                certainty_note,
                date.text,
                date_text,
                date.lower,
                date.upper,
                texts["names"],
                texts["english"],
                texts["russian"],
                texts["other"],
                [self._id(p) for p in places],
                self._created(n),
            ),
        )
        snapshot = {
            **own,
            "aliases": aliases,
            "identifiers": identifiers,
            "notes": notes,
            "certainty": certainty,
            "certainty_note": certainty_note,
            "date": date.text,
            "date_text": date_text,
            "citations": citations,
        }
        ctx = self.ctx
        rows.add(
            "records_revision",
            (
                self._id(n),
                1,
                "create",
                json.dumps(snapshot, ensure_ascii=False),
                ctx.summary,
                ctx.proposal_id,
                ctx.author_id,
                ctx.reviewer_id,
                self._created(n),
            ),
        )

    def _name(self) -> tuple[str, str, str, str]:
        """A Kazakh-style place name: (English, Russian, Kazakh, Kazakh-Latin spelling)."""
        p, m, r = self._pick(PREFIXES), self._pick(MIDDLES), self._pick(ROOTS)
        ru, kk, en, kz = (p[i] + m[i] + r[i] for i in range(4))
        return en, ru, kk, kz

    # -------------------------------------------------------------- places

    def _plan_places(self) -> None:
        """Decide the hierarchy: which countries, which of their regions, how many cities where."""
        total = self.counts["place"]
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
        plan: list[tuple[str, object]] = [("country", code) for code in codes]
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
        self._place_plan = plan + regions
        self._n_cities = total - len(self._place_plan)

    def _place(self, rows: Rows, n: int) -> None:
        index = n - self.start["place"]
        if index < len(self._place_plan):
            what, item = self._place_plan[index]
            if what == "country":
                self._country(rows, n, item)
            else:
                self._region(rows, n, item)
        else:
            self._city(rows, n)

    def _coords(self, centre: tuple[float, float], spread: float) -> tuple[Decimal, Decimal]:
        lat = max(-89.0, min(89.0, centre[0] + (self.rng.random() - 0.5) * spread))
        lon = max(-179.0, min(179.0, centre[1] + (self.rng.random() - 0.5) * spread * 1.5))
        return Decimal(round(lat * 10000)).scaleb(-4), Decimal(round(lon * 10000)).scaleb(-4)

    def _write_place(
        self,
        rows: Rows,
        n: int,
        *,
        kind: str,
        en: str,
        labels: dict,
        aliases: list[str],
        parent: int | None,
        iso: str,
        coords: tuple[Decimal, Decimal],
    ) -> None:
        lat, lon = coords
        borders = []
        if parent in self.regions_of and self._chance(0.1):  # a region bordering another of its country
            siblings = [p for p in self.regions_of.get(self.place_country[n], []) if p != n]
            if siblings:
                neighbour = self._pick(siblings)
                rows.add("records_place_border", (0, "certain", "", self._id(n), self._id(neighbour)))
                borders.append({"certainty": "certain", "note": "", "id": self._id(neighbour)})
        rows.add("records_place", (self._id(n), kind, self._id(parent), iso, lat, lon))
        citations = self._citations(rows, n, 1) if self._chance(0.1) else []
        own = {
            "name": en,
            "names": _jsonb_order(labels),
            "kind": kind,
            "parent": self._id(parent),
            "iso_code": iso,
            "latitude": _dec(lat),
            "longitude": _dec(lon),
            "borders": borders,
            "predecessors": [],
        }
        self._record(
            rows,
            n,
            "place",
            label=en,
            labels=labels,
            aliases=aliases,
            citations=citations,
            own=own,
            places=[n],
            type_text=iso,
            notes="",
        )
        self.place_names[n] = (en, labels.get("ru", en))

    def _country(self, rows: Rows, n: int, code: str) -> None:
        country = pycountry.countries.get(alpha_2=code)
        en = getattr(country, "common_name", None) or country.name
        labels = {"en": en}
        for lang, catalogue in (("ru", self._ru1), ("kk", self._kk1)):
            translated = catalogue.gettext(country.name)
            if translated != country.name:
                labels[lang] = translated
        aliases = [country.official_name] if getattr(country, "official_name", None) else []
        centre = CENTRES.get(code) or (self.rng.uniform(-40, 60), self.rng.uniform(-120, 150))
        self.centre[n] = centre
        self.place_country[n] = n
        self.countries.append(n)
        self.regions_of[n] = []
        self.cities_of_country[n] = []
        self.country_by_code[code] = n
        self._write_place(
            rows,
            n,
            kind="country",
            en=en,
            labels=labels,
            aliases=aliases,
            parent=None,
            iso=code,
            coords=self._coords(centre, 0),
        )

    def _region(self, rows: Rows, n: int, item) -> None:
        if isinstance(item, str):  # a synthetic region of country `item`
            code, iso = item, ""
            en, ru, kk, kz = self._name()
            kind = "region"
            labels = {"en": f"{en} Region", "ru": f"{ru}ская область", "kk": f"{kk} облысы"}
            aliases = [f"{kz} oblysy"] if kz != en else []
        else:
            code, iso = item.country_code, item.code
            en = item.name
            kind = SUBDIVISION_KINDS.get(item.type.lower(), "region")
            labels = {"en": en}
            ru = self._ru2.gettext(item.name)
            if ru != item.name:
                labels["ru"] = ru
            aliases = []
        country = self.country_by_code[code]
        self.place_parent[n] = country
        self.place_country[n] = country
        coords = self._coords(self.centre[country], 8)
        self.centre[n] = (float(coords[0]), float(coords[1]))
        self.regions_of[country].append(n)
        (self.kz_regions if code == "KZ" else self.foreign_regions).append(n)
        self._write_place(
            rows, n, kind=kind, en=labels["en"], labels=labels, aliases=aliases, parent=country, iso=iso, coords=coords
        )

    def _city(self, rows: Rows, n: int) -> None:
        # Kazakh regions hold half the cities: the portal is about them.
        region = self._pick(self.kz_regions) if self._chance(0.5) else self._pick(self.foreign_regions)
        en, ru, kk, kz = self._name()
        kind = "city" if self._chance(0.6) else "district"
        if kind == "district":
            labels = {"en": f"{en} District", "ru": f"{ru}ский район", "kk": f"{kk} ауданы"}
        else:
            labels = {"en": en, "ru": ru, "kk": kk}
        aliases = [kz] if kz != en and kind == "city" else []
        country = self.place_country[region]
        self.place_parent[n] = region
        self.place_country[n] = country
        self.cities_of_country[country].append(n)
        self._write_place(
            rows,
            n,
            kind=kind,
            en=labels["en"],
            labels=labels,
            aliases=aliases,
            parent=region,
            iso="",
            coords=self._coords(self.centre[region], 2),
        )

    # -------------------------------------------------------------- organizations and people

    def _some_place(self, kazakh: bool) -> int:
        """A region (mostly) or city of Kazakhstan or of a partner country."""
        if kazakh:
            country = self.kz
        else:
            country = self._partner_country()
        cities = self.cities_of_country.get(country) or []
        if cities and self._chance(0.4):
            return self._pick(cities)
        return self._pick(self.regions_of[country] or [country])

    def _partner_country(self) -> int:
        foreign = self.countries[1:]
        if not hasattr(self, "_partner_weights"):
            codes = [self._place_plan[c - self.start["place"]][1] for c in foreign]
            self._partner_weights = [PARTNER_WEIGHTS.get(code, 1) for code in codes]
        return self.rng.choices(foreign, weights=self._partner_weights)[0]

    def _organization(self, rows: Rows, n: int) -> None:
        index = n - self.start["organization"]
        kazakh = self._chance(0.5)
        regions = self.kz_regions + self.foreign_regions
        if index < min(len(regions), self.counts["organization"] // 10):
            # the administration of each region first: akimats in Kazakhstan, governments elsewhere
            region = regions[index]
            kazakh = region in self.kz_regions
            kind = "akimat" if kazakh else "government"
            place = region
        elif index == len(regions) or (index % 50 == 7):
            kind, place = "archive", self._some_place(kazakh)
        else:
            kind = self._weighted(ORG_KINDS)
            place = self._some_place(kazakh)
        country = self.place_country[place]
        place_en, place_ru = self.place_names[place]
        word_ru, word_en = self._pick(COMPANY_WORDS)
        name_en, name_ru, name_kk, _ = self._name()
        acronym = ""
        sphere_en, sphere_ru = SPHERES[self._pick(list(SPHERES))]
        if kind == "akimat":
            en, ru = f"Akimat of {place_en}", f"Акимат: {place_ru}"
        elif kind == "government":
            en, ru = f"Government of {place_en}", f"Правительство: {place_ru}"
        elif kind == "archive":
            en, ru = f"State Archive of {place_en}", f"Государственный архив: {place_ru}"
            acronym = "SA" + "".join(w[0] for w in place_en.split()[:2]).upper()
            self.archives.append(n)
        elif kind == "company":
            en, ru = f"{word_en}{name_en.lower()} LLP", f"ТОО «{word_ru}{name_ru.lower()}»"
        elif kind == "joint_venture":
            other_ru, other_en = self._pick(COMPANY_WORDS)
            en, ru = f"{word_en}-{other_en} joint venture", f"СП «{word_ru}-{other_ru}»"
        elif kind == "university":
            en, ru = f"{place_en} State University", f"Государственный университет: {place_ru}"
            acronym = "".join(w[0] for w in en.split()).upper()[:10]
        elif kind == "association":
            en, ru = f"Association of {sphere_en} enterprises of {place_en}", f"Ассоциация ({sphere_ru}): {place_ru}"
        elif kind == "chamber_of_commerce":
            en, ru = f"Chamber of Commerce of {place_en}", f"Торгово-промышленная палата: {place_ru}"
        elif kind == "bank":
            en, ru = f"{name_en} Bank", f"Банк «{name_ru}»"
        elif kind == "research_institute":
            en, ru = f"{name_en} Research Institute", f"НИИ «{name_ru}»"
        else:  # department
            en, ru = f"Department of {sphere_en} affairs of {place_en}", f"Управление ({sphere_ru}): {place_ru}"
        labels = {"en": en, "ru": ru}
        # When only the country is known (a fifth of companies), the place is left empty.
        only_country = kind in ("company", "joint_venture", "bank") and self._chance(0.2)
        place_n = None if only_country else place
        country_n = country if only_country or self._chance(0.3) else None
        rows.add("records_organization", (self._id(n), kind, acronym, self._id(place_n), self._id(country_n), None))
        self.org_places[n] = (place_n, country_n)
        self.org_kind[n] = kind
        self.org_names[n] = (en, ru)
        (self.kz_orgs if kazakh else self.foreign_orgs).append(n)
        citations = self._citations(rows, n, 1) if self._chance(0.3) else []
        date = interval(year(self.rng.randint(1991, 2008)), year(2024)) if self._chance(0.3) else NO_DATE
        own = {
            "name": en,
            "names": _jsonb_order(labels),
            "kind": kind,
            "acronym": acronym,
            "place": self._id(place_n),
            "country": self._id(country_n),
            "parent": None,
            "predecessors": [],
        }
        self._record(
            rows,
            n,
            "organization",
            label=en,
            labels=labels,
            date=date,
            citations=citations,
            own=own,
            places=[p for p in (place_n, country_n) if p is not None],
            type_text=acronym,
            acronym=acronym,
        )

    def _person(self, rows: Rows, n: int) -> None:
        female = self._chance(0.35)
        given = self._pick(GIVEN_FEMALE if female else GIVEN_MALE)
        father = self._pick(GIVEN_MALE)
        family = self._pick(FAMILY)
        if female:
            family_ru = family + "а" if family.endswith(("ов", "ев", "ин")) else family
            patronymic_ru, patronymic_kk = father + "овна", father + "қызы"
        else:
            family_ru = family
            patronymic_ru, patronymic_kk = father + "ович", father + "ұлы"
        ru = f"{given} {patronymic_ru} {family_ru}"
        kk = f"{given} {patronymic_kk} {family_ru}"
        en = f"{_latin(given)} {_latin(family_ru)}"
        labels = {"en": en, "ru": ru, "kk": kk}
        aliases = [f"{_latin(family_ru)} {_latin(given)[0]}. {_latin(patronymic_ru)[0]}."]
        positions = []
        position_places: list[int] = []
        titles = []
        for position in range(self.rng.choice((0, 1, 1, 1, 2))):
            org = self.start["organization"] + int(self.rng.random() * self.counts["organization"])
            title = self._pick(POSITION_TITLES.get(self.org_kind[org], ["staff member"]))
            start = self.rng.randint(1991, 2012)
            date = interval(year(start), year(start + self.rng.randint(1, 8))) if self._chance(0.7) else year(start)
            rows.add(
                "records_position",
                (position, "certain", "", self._id(n), title, self._id(org), date.text, date.lower, date.upper),
            )
            positions.append(
                {"certainty": "certain", "note": "", "title": title, "organization": self._id(org), "date": date.text}
            )
            position_places += [p for p in self.org_places[org] if p is not None]
            titles.append(title)
        rows.add("records_person", (self._id(n),))
        citations = self._citations(rows, n, 1) if self._chance(0.3) else []
        self.person_names[n] = (en, ru)
        own = {"name": en, "names": _jsonb_order(labels), "positions": positions}
        self._record(
            rows,
            n,
            "person",
            label=en,
            labels=labels,
            aliases=aliases,
            citations=citations,
            own=own,
            places=position_places,
            type_text=" ".join(titles),
        )

    # -------------------------------------------------------------- sources

    def _source(self, rows: Rows, n: int) -> None:
        rng = self.rng
        fields = dict.fromkeys(
            ["fund", "series", "file", "pages", "container_title", "publisher", "publisher_place", "volume"]
            + ["issue", "edition", "doi", "url", "language"],
            "",
        )
        authors: list[dict] = []
        accessed = None
        archive = None
        if self._chance(0.2) and self.archives:
            kind = "archival_file"
            archive = self._pick(self.archives)
            fields.update(
                fund=str(rng.randint(1, 2000)),
                series=str(rng.randint(1, 30)),
                file=str(rng.randint(1, 900)),
                pages=f"{rng.randint(1, 200)}-{rng.randint(201, 300)}",
            )
            first = rng.randint(1991, 2012)
            date = interval(year(first), year(first + rng.randint(0, 3))) if self._chance(0.5) else year(first)
            title = (
                f"Correspondence of the {self._pick(['akimat', 'ministry', 'consulate'])} on "
                f"{SPHERES[self._pick(list(SPHERES))][0]} cooperation, {date.text}"
            )
            labels = {"en": title}
        else:
            kind = self._weighted(PUBLICATION_KINDS)
            for _ in range(rng.choice((1, 1, 2, 3))):
                given = self._pick(GIVEN_MALE + GIVEN_FEMALE)
                authors.append({"family": _latin(self._pick(FAMILY)), "given": _latin(given)[0] + "."})
            if kind == "document_collection":
                authors = [{"literal": "Ministry of Foreign Affairs of the Republic of Kazakhstan"}]
            region_en, region_ru = self.place_names[self._pick(self.kz_regions)]
            partner_en, partner_ru = self.place_names[self._pick(self.foreign_regions)]
            sphere_en, sphere_ru = SPHERES[self._pick(list(SPHERES))]
            title = f"{sphere_en.capitalize()} relations of {region_en} and {partner_en}"
            labels = {"en": title, "ru": f"Сотрудничество ({sphere_ru}): {region_ru} и {partner_ru}"}
            y = rng.randint(1993, 2020)
            date = year(y)
            fields["language"] = self._pick(["ru", "ru", "en", "kk"])
            fields["pages"] = f"{rng.randint(1, 150)}-{rng.randint(151, 300)}"
            if kind == "journal_article":
                fields.update(
                    container_title=f"Bulletin of {self._pick(['Eurasian', 'Kazakh', 'Siberian', 'Central Asian'])}"
                    f" {self._pick(['Studies', 'History', 'International Relations'])}",
                    volume=str(rng.randint(1, 60)),
                    issue=str(rng.randint(1, 4)),
                )
                if self._chance(0.4):
                    fields["doi"] = f"10.5555/bailanys.{self.seed}.{n}"
            elif kind == "newspaper_article":
                fields["container_title"] = self._pick(["Kazakhstanskaya Pravda", "Egemen Qazaqstan", "Ekspress K"])
                date = day(y, rng.randint(1, 12), rng.randint(1, 28))
            elif kind in ("book", "edited_book", "report", "document_collection"):
                fields.update(
                    publisher=self._pick(["Nauka", "Atamura", "Kazakh University", "KISI", "Zhibek Zholy"]),
                    publisher_place=self._pick(["Almaty", "Astana", "Moscow", "Novosibirsk"]),
                )
            if kind == "web_page" or self._chance(0.1):
                fields["url"] = f"https://example.org/bailanys/synthetic/{self.seed}/{n}"
                accessed = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randint(0, 1500))
        rows.add(
            "records_source",
            (
                self._id(n),
                kind,
                self._id(archive),
                fields["fund"],
                fields["series"],
                fields["file"],
                json.dumps(authors, ensure_ascii=False),
                "[]",
                fields["container_title"],
                fields["publisher"],
                fields["publisher_place"],
                fields["volume"],
                fields["issue"],
                fields["edition"],
                fields["pages"],
                fields["doi"],
                fields["url"],
                accessed,
                fields["language"],
            ),
        )
        label = labels["en"]
        own = {
            "title": label,
            "titles": _jsonb_order(labels),
            "kind": kind,
            "archive": self._id(archive),
            **fields,
            "authors": [{"family": "", "given": "", "literal": ""} | a for a in authors],
            "editors": [],
            "accessed": accessed.isoformat() if accessed else None,
        }
        type_text = " ".join(
            [
                fields["container_title"],
                fields["publisher"],
                fields["fund"] and f"fund {fields['fund']}",
                fields["file"] and f"file {fields['file']}",
            ]
            + [a.get("family", "") + " " + a.get("given", "") + a.get("literal", "") for a in authors]
        )
        self._record(
            rows,
            n,
            "source",
            label=label,
            labels=labels,
            date=date,
            citations=[],
            own=own,
            places=[],
            type_text=type_text,
        )

    # -------------------------------------------------------------- agreements, events, statistics

    def _party(self, kazakh: bool) -> int:
        """A place or an organization of Kazakhstan or of a partner country."""
        r = self.rng.random()
        if r < 0.55:
            if kazakh:
                return self._pick(self.kz_regions)
            return self._pick(self.regions_of[self._partner_country()] or self.foreign_regions)
        if r < 0.9:
            return self._pick((self.kz_orgs if kazakh else self.foreign_orgs) or list(self.org_kind))
        return self.kz if kazakh else self._partner_country()

    def _places_of(self, ns: list[int]) -> list[int]:
        """The places records are about, as `records.content.types` derives them: places, and organizations' seats."""
        out = []
        for n in ns:
            if n in self.place_country:
                out.append(n)
            elif n in self.org_places:
                out += [p for p in self.org_places[n] if p is not None]
        return out

    def _country_of(self, n: int) -> int | None:
        if n in self.place_country:
            return self.place_country[n]
        place, country = self.org_places.get(n, (None, None))
        return self.place_country[place] if place is not None else country

    def _name_of(self, n: int) -> tuple[str, str]:
        return self.place_names.get(n) or self.org_names.get(n) or self.person_names[n]

    def _agreement(self, rows: Rows, n: int) -> None:
        rng = self.rng
        kind = self.rng.choices(list(AGREEMENT_KINDS), weights=[k[2] for k in AGREEMENT_KINDS.values()])[0]
        first, second = self._party(True), self._party(False)
        parties = [(first, "party"), (second, "party")]
        for _ in range(rng.choice((0, 0, 0, 1, 2))):
            extra = self.start["person"] + int(rng.random() * self.counts["person"])
            if (extra, "signatory") not in parties:
                parties.append((extra, "signatory"))
        level = None
        if first in self.place_country and second in self.place_country:
            level = "intergovernmental" if first in self.countries else "interregional"
        elif self.org_kind.get(first) == "company" or self.org_kind.get(second) == "company":
            level = "commercial"
        elif self._chance(0.7):
            level = "institutional"
        spheres = []
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            sphere = rng.choices(list(SPHERES), weights=SPHERE_WEIGHTS)[0]
            if sphere not in spheres:
                spheres.append(sphere)
        spheres.sort(key=lambda code: self.ctx.sphere_order[code])
        date = self._date()
        date_text = ""
        if QUARTER_RE.match(date.text) and self._chance(0.5):
            quarter = ("1st", "2nd", "3rd", "4th")[(int(date.text[5:7]) - 1) // 3]
            date_text = f"{quarter} quarter of {date.text[:4]}"
        status = self._weighted(AGREEMENT_STATUSES)
        place_signed = self._some_place(self._chance(0.6)) if self._chance(0.4) else None
        if place_signed is not None and place_signed in self.regions_of:
            place_signed = None
        amount, currency = None, ""
        if self._chance(0.1):
            amount = Decimal(rng.randint(10, 500000) * 1000)
            currency = self._weighted(CURRENCIES)
        (a_en, a_ru), (b_en, b_ru) = self._name_of(first), self._name_of(second)
        kind_en, kind_ru, _ = AGREEMENT_KINDS[kind]
        sphere_en, sphere_ru = SPHERES[spheres[0]]
        title = f"{kind_en} on {sphere_en} cooperation between {a_en} and {b_en}"
        labels = {"en": title, "ru": f"{kind_ru} о сотрудничестве ({sphere_ru}): {a_ru} и {b_ru}"}
        rows.add(
            "records_agreement",
            (self._id(n), kind, level, status, self._id(place_signed), amount, currency),
        )
        party_json = []
        for position, (party, role) in enumerate(parties):
            rows.add("records_agreement_party", (position, "certain", "", self._id(n), self._id(party), role))
            party_json.append({"certainty": "certain", "note": "", "id": self._id(party), "role": role})
        for sphere in spheres:
            rows.add("records_agreement_sphere", (self._id(n), sphere))
        citations = self._citations(rows, n, rng.choice((1, 1, 2, 3)), ("date", "parties", "spheres"))
        own = {
            "title": title,
            "titles": _jsonb_order(labels),
            "kind": kind,
            "level": level,
            "agreement_status": status,
            "place_signed": self._id(place_signed),
            "parties": party_json,
            "spheres": spheres,
            "value_amount": _dec(amount) if amount is not None else None,
            "value_currency": currency,
        }
        places = self._places_of([p for p, _ in parties]) + ([place_signed] if place_signed is not None else [])
        self._record(
            rows,
            n,
            "agreement",
            label=title,
            labels=labels,
            date=date,
            date_text=date_text,
            citations=citations,
            own=own,
            places=places,
        )

    def _event(self, rows: Rows, n: int) -> None:
        rng = self.rng
        kind = rng.choices(EVENT_KINDS, weights=EVENT_WEIGHTS)[0]
        host, guest = self._party(True), self._party(False)
        if self._chance(0.5):
            host, guest = guest, host
        participants = [(host, "host"), (guest, "guest" if kind in ("visit", "delegation") else "participant")]
        if self._chance(0.5):
            person = self.start["person"] + int(rng.random() * self.counts["person"])
            participants.append((person, "head_of_delegation"))
        if self._chance(0.2):
            org = self._pick(self.kz_orgs)
            if (org, "organizer") not in participants and org not in (host, guest):
                participants.append((org, "organizer"))
        cities = self.cities_of_country.get(self._country_of(host)) or []
        place = self._pick(cities) if cities and self._chance(0.8) else None
        (h_en, h_ru), (g_en, g_ru) = self._name_of(host), self._name_of(guest)
        where = place if place is not None else self._country_of(host)
        where_en, where_ru = self.place_names[where] if where is not None else (h_en, h_ru)
        sphere_en, sphere_ru = SPHERES[rng.choices(list(SPHERES), weights=SPHERE_WEIGHTS)[0]]
        name_en, name_ru = {
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
        labels = {"en": name_en, "ru": name_ru}
        if kind in ("exhibition", "forum", "festival", "conference") and self._chance(0.6):
            y, m, d = rng.randint(1991, 2014), rng.randint(1, 12), rng.randint(1, 24)
            date = interval(day(y, m, d), day(y, m, d + rng.randint(1, 4)))
        else:
            date = self._date()
        agreements: list[int] = []
        if self._chance(0.25):
            for _ in range(rng.choice((1, 1, 2))):
                agreement = self.start["agreement"] + int(rng.random() * self.counts["agreement"])
                if agreement not in agreements:
                    agreements.append(agreement)
        agreements.sort()
        part_of = None
        first_event = self.start["event"]
        if n > first_event + 10 and self._chance(0.05):
            part_of = first_event + int(rng.random() * (n - first_event))
        rows.add("records_event", (self._id(n), kind, self._id(place), self._id(part_of)))
        participant_json = []
        for position, (who, role) in enumerate(participants):
            rows.add("records_event_participant", (position, "certain", "", self._id(n), self._id(who), role))
            participant_json.append({"certainty": "certain", "note": "", "id": self._id(who), "role": role})
        for agreement in agreements:
            rows.add("records_event_agreement", (self._id(n), self._id(agreement)))
        citations = self._citations(rows, n, rng.choice((1, 1, 2)), ("date", "participants"))
        own = {
            "name": name_en,
            "names": _jsonb_order(labels),
            "kind": kind,
            "place": self._id(place),
            "part_of": self._id(part_of),
            "participants": participant_json,
            "agreements": [self._id(a) for a in agreements],
        }
        places = self._places_of([p for p, _ in participants]) + ([place] if place is not None else [])
        self._record(
            rows, n, "event", label=name_en, labels=labels, date=date, citations=citations, own=own, places=places
        )

    def _statistic(self, rows: Rows, n: int) -> None:
        rng = self.rng
        indicator = rng.choices(list(INDICATORS), weights=[i[3] for i in INDICATORS.values()])[0]
        ind_en, ind_ru, unit, _ = INDICATORS[indicator]
        first = self._party(True)
        subjects = [(first, "subject")]
        if indicator in ("trade_turnover", "exports", "imports", "investment", "trade_share") or self._chance(0.3):
            subjects.append((self._party(False), "partner"))
        if unit is None:
            currency = self._weighted(CURRENCIES)
            value = (
                Decimal(rng.randint(1, 5_000_000)).scaleb(-1)
                if currency == "USD"
                else Decimal(rng.randint(1, 900_000_000))
            )
        elif unit == "percent":
            currency = ""
            value = Decimal(rng.randint(1, 9999)).scaleb(-2)
        else:
            currency = ""
            value = Decimal(rng.randint(1, 20000))
        qualifier = self._weighted(QUALIFIERS)
        date = self._date(shapes="figure")
        (a_en, a_ru) = self._name_of(first)
        if len(subjects) > 1:
            b_en, b_ru = self._name_of(subjects[1][0])
            title = f"{ind_en} between {a_en} and {b_en}, {date.text}"
            labels = {"en": title, "ru": f"{ind_ru}: {a_ru} и {b_ru}, {date.text}"}
        else:
            title = f"{ind_en} of {a_en}, {date.text}"
            labels = {"en": title, "ru": f"{ind_ru}: {a_ru}, {date.text}"}
        reliability = (
            self._pick(["Rounded in the source.", "Preliminary figure.", "Official statistics."])
            if self._chance(0.3)
            else ""
        )
        rows.add("records_statistic", (self._id(n), indicator, value, qualifier, unit, currency, reliability))
        subject_json = []
        for position, (subject, role) in enumerate(subjects):
            rows.add("records_statistic_subject", (position, "certain", "", self._id(n), self._id(subject), role))
            subject_json.append({"certainty": "certain", "note": "", "id": self._id(subject), "role": role})
        citations = self._citations(rows, n, rng.choice((1, 1, 2)), ("value", "date"))
        own = {
            "title": title,
            "titles": _jsonb_order(labels),
            "indicator": indicator,
            "value": _dec(value),
            "value_qualifier": qualifier,
            "unit": unit,
            "currency": currency,
            "reliability_note": reliability,
            "subjects": subject_json,
        }
        self._record(
            rows,
            n,
            "statistic",
            label=title,
            labels=labels,
            date=date,
            citations=citations,
            own=own,
            places=self._places_of([s for s, _ in subjects]),
            type_text=reliability,
        )


# ------------------------------------------------------------------ writing a run

# The columns of each table, in the order the Generator's rows give them.
TABLES: dict[str, tuple[str, ...]] = {
    STAGE: STAGE_COLUMNS,
    "records_place": ("record_ptr_id", "kind_id", "parent_id", "iso_code", "latitude", "longitude"),
    "records_place_border": ("position", "certainty", "note", "place_id", "neighbour_id"),
    "records_organization": ("record_ptr_id", "kind_id", "acronym", "place_id", "country_id", "parent_id"),
    "records_person": ("record_ptr_id",),
    "records_position": (
        "position", "certainty", "note", "person_id", "title", "organization_id", "date", "date_lower", "date_upper",
    ),
    "records_source": (
        "record_ptr_id", "kind_id", "archive_id", "fund", "series", "file", "authors", "editors",
        "container_title", "publisher", "publisher_place", "volume", "issue", "edition", "pages", "doi", "url",
        "accessed", "language",
    ),
    "records_agreement": (
        "record_ptr_id", "kind_id", "level_id", "agreement_status", "place_signed_id", "value_amount",
        "value_currency",
    ),
    "records_agreement_party": ("position", "certainty", "note", "agreement_id", "party_id", "role_id"),
    "records_agreement_sphere": ("agreement_id", "sphere_id"),
    "records_event": ("record_ptr_id", "kind_id", "place_id", "part_of_id"),
    "records_event_participant": ("position", "certainty", "note", "event_id", "participant_id", "role_id"),
    "records_event_agreement": ("event_id", "agreement_id"),
    "records_statistic": (
        "record_ptr_id", "indicator_id", "value", "value_qualifier", "unit_id", "currency", "reliability_note",
    ),
    "records_statistic_subject": ("position", "certainty", "note", "statistic_id", "subject_id", "role_id"),
    "records_citation": ("record_id", "source_id", "field", "locator", "quote", "position"),
    "records_revision": (
        "record_id", "number", "action", "snapshot", "summary", "proposal_id", "author_id", "reviewer_id",
        "created_at",
    ),
}  # fmt: skip
SYNTHETIC_AUTHOR = "synthetic-data"
SYSTEM_REVIEWER = "bailanys-system"
# Above this share of new rows in records_record, dropping and rebuilding indexes beats updating them.
REBUILD_SHARE = 0.3
# The records' publication times are spread over this span before the run.
HISTORY = dt.timedelta(days=5 * 365)


class SyntheticExists(Exception):
    """This seed was already generated here with another number of records."""


@dataclass(frozen=True)
class GenerateResult:
    records: int
    seed: int
    proposal_id: int
    created: bool  # False: the same run was already here; nothing was written
    seconds: float
    counts: dict[str, int]


def synthetic_proposal(seed: int):
    """The approved proposal that holds the synthetic records of `seed`, if they were generated here."""
    from records.models import Proposal

    return (
        Proposal.objects.filter(
            author__username=SYNTHETIC_AUTHOR, summary__startswith=f"{SUMMARY_PREFIX} (seed {seed},"
        )
        .order_by("pk")
        .first()
    )


def synthetic_accounts():
    """The generator (author) and the system account that approves its proposal: nobody signs in as them."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    accounts = []
    for username, display in ((SYNTHETIC_AUTHOR, "Synthetic data generator"), (SYSTEM_REVIEWER, "Bailanys (system)")):
        user, created = User.objects.get_or_create(
            username=username, defaults={"display_name": display, "is_active": False}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        accounts.append(user)
    return accounts


def _check_vocabularies() -> None:
    from records.models import VOCABULARIES

    missing = []
    for model in VOCABULARIES:
        wanted = VOCABULARY_CODES.get(model._meta.model_name, set())
        have = set(model.objects.filter(code__in=wanted).values_list("code", flat=True))
        missing += [f"{model._meta.model_name}:{code}" for code in sorted(wanted - have)]
    if missing:
        raise ValueError(f"The vocabularies lack terms the generator uses: {', '.join(missing)}.")


def synthetic_generate(
    *, records: int, seed: int, log=print, rebuild_indexes: bool | None = None, batch: int = 5000
) -> GenerateResult:
    """Write N synthetic published records for `seed` in one transaction; skip if they are already here.

    Raises SyntheticExists if this seed was generated with another N, ValueError for bad arguments.
    `rebuild_indexes` (default: when the new rows are a large share of the table) drops and rebuilds
    indexes and foreign keys around the load; see records/bulk.py.
    """
    from django.db import connection, transaction
    from django.utils import timezone

    from portal.models import AuditEntry
    from records.models import Proposal, ProposalStatus, Record, Sphere
    from records.workflow.publishing import allocate_ids

    started = time.perf_counter()
    counts = plan_counts(records)
    summary = synthetic_summary(records, seed)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # One run per seed at a time; big statements below may take minutes.
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('bailanys-synthetic'), %s)", [seed % 2**31])
            cursor.execute("SET LOCAL statement_timeout = 0")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        existing = synthetic_proposal(seed)
        if existing is not None:
            if existing.summary == summary:
                return GenerateResult(records, seed, existing.pk, False, time.perf_counter() - started, counts)
            raise SyntheticExists(
                f"Seed {seed} was already generated here with another number of records ({existing.summary!r}); "
                "use another seed or a fresh database."
            )
        _check_vocabularies()
        author, reviewer = synthetic_accounts()
        now = timezone.now()
        proposal = Proposal.objects.create(
            author=author,
            reviewer=reviewer,
            summary=summary,
            status=ProposalStatus.APPROVED,
            submitted_at=now,
            decided_at=now,
            decision_comment=f"Written by `manage.py generate_synthetic --records {records} --seed {seed}`.",
        )
        AuditEntry.objects.create(
            actor=reviewer,
            action=AuditEntry.Action.PROPOSAL_APPROVED,
            target=f"proposal:{proposal.pk}",
            detail={"synthetic": True, "seed": seed, "records": records},
        )
        ids = interleaved(allocate_ids(records), counts, seed)
        ctx = Context(
            ids=ids,
            ids_max=max(ids),
            step=HISTORY / records,
            proposal_id=proposal.pk,
            author_id=author.pk,
            reviewer_id=reviewer.pk,
            summary=summary,
            now=now,
            sphere_order={code: i for i, code in enumerate(Sphere.objects.values_list("code", flat=True))},
        )
        if rebuild_indexes is None:
            rebuild_indexes = records >= REBUILD_SHARE * (Record.objects.count() + records)
        generator = Generator(records, seed, batch=batch)
        tables = [name for name in TABLES if name != STAGE] + ["records_record"]
        with connection.cursor() as wrapper:
            cursor = wrapper.cursor
            bulk.stage_create(cursor)
            suspended = bulk.integrity_suspended(cursor, tables, log=log) if rebuild_indexes else nullcontext()
            with suspended:
                done, shown, mark = 0, 0, time.perf_counter()
                for record_type, rows in generator.batches(ctx):
                    for table, table_rows in rows.tables.items():
                        bulk.copy_rows(cursor, table, TABLES[table], table_rows)
                    done += rows.count
                    if done - shown >= max(10_000, records // 20) or done == records:
                        rate = (done - shown) / max(time.perf_counter() - mark, 1e-6)
                        log(f"{done:>11,} / {records:,} records written ({record_type}s; {rate:,.0f} records/s)")
                        shown, mark = done, time.perf_counter()
                mark = time.perf_counter()
                published = bulk.stage_publish(cursor)
                log(f"published {published:,} records with their search fields in {time.perf_counter() - mark:.1f} s")
            cursor.execute(f"ANALYZE {', '.join(tables)}")
    return GenerateResult(records, seed, proposal.pk, True, time.perf_counter() - started, counts)


def interleaved(ids: list[int], counts: dict[str, int], seed: int) -> list[int]:
    """Give synthetic record n its id so that the types are mixed through the id range, as records
    created over years would be, while each type's ids still grow with n (rows are written in id order).

    Records are made type by type (links need their targets first), but handing out ids in that order
    would put every statistic after every agreement: "the newest agreements" would then sit behind
    hundreds of thousands of newer records of other types, which no real database looks like.
    """
    slots = [name for name in ORDER for _ in range(counts[name])]
    random.Random(f"bailanys-synthetic-ids:{seed}").shuffle(slots)
    by_type: dict[str, list[int]] = {name: [] for name in ORDER}
    for record_id, name in zip(sorted(ids), slots, strict=True):
        by_type[name].append(record_id)
    return [record_id for name in ORDER for record_id in by_type[name]]


def _reference_fields(record_type: str) -> tuple[set[str], set[str], dict[str, set[str]]]:
    """Which keys of a state hold record ids: single refs, lists of ids, and ids inside listed links."""
    from records.content.registry import registry
    from records.content.schemas import RecordRef, RecordRefList

    single, lists, nested = set(), set(), {}
    for name, field_ in registry.get(record_type).schema().fields.items():
        if isinstance(field_, RecordRef):
            single.add(name)
        elif isinstance(field_, RecordRefList):
            lists.add(name)
        elif hasattr(field_, "child") and hasattr(field_.child, "fields"):
            keys = {key for key, sub in field_.child.fields.items() if isinstance(sub, RecordRef)}
            if keys:
                nested[name] = keys
    return single, lists, nested


def synthetic_digest(seed: int) -> str:
    """SHA-256 of the content of `seed`'s records: revision snapshots, date bounds, place lists and search
    names, with record ids replaced by the records' synthetic numbers (ids depend on the database)."""
    from django.db import connection, transaction

    pattern = f"{seed}-%"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, split_part(identifiers->>'synthetic', '-', 2)::int FROM records_record "
            "WHERE identifiers->>'synthetic' LIKE %s",
            [pattern],
        )
        number = dict(cursor.fetchall())
        refs = {}
        digest = hashlib.sha256()

        def key(value):
            return f"#{number[value]}" if value in number else value

        cursor.execute(
            """
            SELECT split_part(r.identifiers->>'synthetic', '-', 2)::int AS n, r.record_type, r.date_lower,
                   r.date_upper, r.place_ids, r.search_names, v.snapshot
            FROM records_record r JOIN records_revision v ON v.record_id = r.id AND v.number = 1
            WHERE r.identifiers->>'synthetic' LIKE %s ORDER BY n
            """,
            [pattern],
        )
        for n, record_type, lower, upper, place_ids, search_names, snapshot in cursor:
            if record_type not in refs:
                refs[record_type] = _reference_fields(record_type)
            single, lists, nested = refs[record_type]
            if isinstance(snapshot, str):
                snapshot = json.loads(snapshot)
            for name in single:
                snapshot[name] = key(snapshot.get(name))
            for name in lists:
                snapshot[name] = [key(v) for v in snapshot.get(name, [])]
            for name, keys in nested.items():
                for item in snapshot.get(name, []):
                    for k in keys:
                        item[k] = key(item.get(k))
            line = [
                n,
                record_type,
                str(lower),
                str(upper),
                sorted(str(key(p)) for p in place_ids),
                search_names,
                snapshot,
            ]
            digest.update(json.dumps(line, sort_keys=True, ensure_ascii=False, default=str).encode())
            digest.update(b"\n")
    return digest.hexdigest()

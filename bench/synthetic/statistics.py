"""Synthetic statistics about places or organizations (and their partners), with values in currencies
or units, dated by years, quarters and half-years."""

from __future__ import annotations

from decimal import Decimal

from bench.synthetic.data import CURRENCIES
from bench.synthetic.dates import Date
from bench.synthetic.parties import Parties
from bench.synthetic.rows import Rows, Run, dec

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
# Indicators that are always between two parties.
BETWEEN = ("trade_turnover", "exports", "imports", "investment", "trade_share")
QUALIFIERS = (["exact", "approximate", "more_than", "at_least", "at_most"], [70, 18, 6, 4, 2])
RELIABILITY_NOTES = ["Rounded in the source.", "Preliminary figure.", "Official statistics."]


class Statistics:
    """Makes the statistics, with their subjects and citations."""

    # The vocabulary terms written, by field (checked before a run; the schema names the vocabulary).
    CODES = {
        "indicator": set(INDICATORS),
        "unit": {unit for *_, unit, _w in INDICATORS.values() if unit},
        "subjects.role": {"subject", "partner"},
    }

    def __init__(self, run: Run, parties: Parties) -> None:
        self.run = run
        self.parties = parties

    def make(self, rows: Rows, n: int) -> None:
        run, rng = self.run, self.run.rng
        indicator = rng.choices(list(INDICATORS), weights=[i[3] for i in INDICATORS.values()])[0]
        unit = INDICATORS[indicator][2]
        subjects = [(self.parties.party(True), "subject")]
        if indicator in BETWEEN or run.chance(0.3):
            subjects.append((self.parties.party(False), "partner"))
        currency, value = self._value(unit)
        qualifier = run.weighted(QUALIFIERS)
        date = run.date(shapes="figure")
        labels = self._labels(indicator, [s for s, _ in subjects], date)
        reliability = run.pick(RELIABILITY_NOTES) if run.chance(0.3) else ""
        rows.add("records_statistic", (run.id(n), indicator, value, qualifier, unit, currency, reliability))
        subject_items = run.links(rows, "records_statistic_subject", n, subjects)
        citations = run.citations(rows, n, rng.choice((1, 1, 2)), ("value", "date"))
        own = {
            "indicator": indicator,
            "value": dec(value),
            "value_qualifier": qualifier,
            "unit": unit,
            "currency": currency,
            "reliability_note": reliability,
            "subjects": subject_items,
        }
        run.record(
            rows,
            n,
            "statistic",
            own,
            label=labels["en"],
            labels=labels,
            date=date,
            citations=citations,
            places=self.parties.places_of([s for s, _ in subjects]),
            type_text=reliability,
        )

    def _value(self, unit: str | None) -> tuple[str, Decimal]:
        """(currency, value): money in a currency, or a count or percentage in the indicator's unit."""
        rng = self.run.rng
        if unit is None:
            currency = self.run.weighted(CURRENCIES)
            if currency == "USD":
                return currency, Decimal(rng.randint(1, 5_000_000)).scaleb(-1)
            return currency, Decimal(rng.randint(1, 900_000_000))
        if unit == "percent":
            return "", Decimal(rng.randint(1, 9999)).scaleb(-2)
        return "", Decimal(rng.randint(1, 20000))

    def _labels(self, indicator: str, subjects: list[int], date: Date) -> dict:
        ind_en, ind_ru, _, _ = INDICATORS[indicator]
        a_en, a_ru = self.parties.name_of(subjects[0])
        if len(subjects) > 1:
            b_en, b_ru = self.parties.name_of(subjects[1])
            return {
                "en": f"{ind_en} between {a_en} and {b_en}, {date.text}",
                "ru": f"{ind_ru}: {a_ru} и {b_ru}, {date.text}",
            }
        return {"en": f"{ind_en} of {a_en}, {date.text}", "ru": f"{ind_ru}: {a_ru}, {date.text}"}

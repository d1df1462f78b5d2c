"""How many records of each type a run makes, and the lists every type draws from: countries, partners,
spheres of cooperation, currencies."""

from __future__ import annotations

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
# The order the types are made in: links need their targets first.
ORDER = ["place", "organization", "person", "source", "agreement", "event", "statistic"]
MIN_RECORDS = 100
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
CURRENCIES = (["USD", "KZT", "RUB", "EUR", "CNY"], [70, 12, 10, 6, 2])


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
    """The summary of the proposal holding the run: it names the seed and N (see `synthetic_proposal`)."""
    return f"{SUMMARY_PREFIX} (seed {seed}, {records} records): generated for benchmarks, not real data"

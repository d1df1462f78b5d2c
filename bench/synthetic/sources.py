"""Synthetic sources: archival files kept by the archives among the organizations, and publications
(books, articles, web pages...) with authors, publishers and identifiers."""

from __future__ import annotations

import datetime as dt
import json

from bench.synthetic.data import SPHERES
from bench.synthetic.dates import Date, day, interval, year
from bench.synthetic.organizations import Organizations
from bench.synthetic.places import Places
from bench.synthetic.rows import Rows, Run
from bench.synthetic.words import FAMILY, GIVEN_FEMALE, GIVEN_MALE, latin

PUBLICATION_KINDS = (
    ["book", "journal_article", "newspaper_article", "edited_book", "web_page", "report", "document_collection"],
    [20, 35, 15, 8, 10, 7, 5],
)
# The text fields a source has (empty unless its kind fills them).
TEXT_FIELDS = [
    "fund", "series", "file", "pages", "container_title", "publisher", "publisher_place", "volume", "issue",
    "edition", "doi", "url", "language",
]  # fmt: skip


class Sources:
    """Makes the sources (after the places and organizations they name and are kept by)."""

    # The vocabulary terms written, by field (checked before a run; the schema names the vocabulary).
    CODES = {"kind": {"archival_file", *PUBLICATION_KINDS[0]}}

    def __init__(self, run: Run, places: Places, organizations: Organizations) -> None:
        self.run = run
        self.places = places
        self.organizations = organizations

    def make(self, rows: Rows, n: int) -> None:
        run = self.run
        fields = dict.fromkeys(TEXT_FIELDS, "")
        authors: list[dict] = []
        accessed, archive = None, None
        if run.chance(0.2) and self.organizations.archives:
            kind = "archival_file"
            archive = run.pick(self.organizations.archives)
            date, labels = self._archival(fields)
        else:
            kind = run.weighted(PUBLICATION_KINDS)
            date, labels, authors, accessed = self._publication(n, kind, fields)
        row = {"record_ptr_id": run.id(n), "kind_id": kind, "archive_id": run.id(archive), **fields}
        row |= {"authors": json.dumps(authors, ensure_ascii=False), "editors": "[]", "accessed": accessed}
        rows.put("records_source", row)
        own = {
            "kind": kind,
            "archive": archive,
            **fields,
            "authors": [{"family": "", "given": "", "literal": ""} | a for a in authors],
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
        run.record(rows, n, "source", own, label=labels["en"], labels=labels, date=date, type_text=type_text)

    def _archival(self, fields: dict) -> tuple[Date, dict]:
        """An archival file: its fund, series, file and pages (into `fields`), its date and titles."""
        run, rng = self.run, self.run.rng
        fields.update(
            fund=str(rng.randint(1, 2000)),
            series=str(rng.randint(1, 30)),
            file=str(rng.randint(1, 900)),
            pages=f"{rng.randint(1, 200)}-{rng.randint(201, 300)}",
        )
        first = rng.randint(1991, 2012)
        date = interval(year(first), year(first + rng.randint(0, 3))) if run.chance(0.5) else year(first)
        title = (
            f"Correspondence of the {run.pick(['akimat', 'ministry', 'consulate'])} on "
            f"{SPHERES[run.pick(list(SPHERES))][0]} cooperation, {date.text}"
        )
        return date, {"en": title}

    def _publication(self, n: int, kind: str, fields: dict) -> tuple[Date, dict, list[dict], dt.date | None]:
        """A publication of `kind`: what it fills of `fields`, its date, titles, authors and access date."""
        run, rng = self.run, self.run.rng
        authors = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            given = run.pick(GIVEN_MALE + GIVEN_FEMALE)
            authors.append({"family": latin(run.pick(FAMILY)), "given": latin(given)[0] + "."})
        if kind == "document_collection":
            authors = [{"literal": "Ministry of Foreign Affairs of the Republic of Kazakhstan"}]
        region_en, region_ru = self.places.names[run.pick(self.places.kz_regions)]
        partner_en, partner_ru = self.places.names[run.pick(self.places.foreign_regions)]
        sphere_en, sphere_ru = SPHERES[run.pick(list(SPHERES))]
        title = f"{sphere_en.capitalize()} relations of {region_en} and {partner_en}"
        labels = {"en": title, "ru": f"Сотрудничество ({sphere_ru}): {region_ru} и {partner_ru}"}
        y = rng.randint(1993, 2020)
        date = year(y)
        fields["language"] = run.pick(["ru", "ru", "en", "kk"])
        fields["pages"] = f"{rng.randint(1, 150)}-{rng.randint(151, 300)}"
        if kind == "journal_article":
            fields.update(
                container_title=f"Bulletin of {run.pick(['Eurasian', 'Kazakh', 'Siberian', 'Central Asian'])}"
                f" {run.pick(['Studies', 'History', 'International Relations'])}",
                volume=str(rng.randint(1, 60)),
                issue=str(rng.randint(1, 4)),
            )
            if run.chance(0.4):
                fields["doi"] = f"10.5555/bailanys.{run.seed}.{n}"
        elif kind == "newspaper_article":
            fields["container_title"] = run.pick(["Kazakhstanskaya Pravda", "Egemen Qazaqstan", "Ekspress K"])
            date = day(y, rng.randint(1, 12), rng.randint(1, 28))
        elif kind in ("book", "edited_book", "report", "document_collection"):
            fields.update(
                publisher=run.pick(["Nauka", "Atamura", "Kazakh University", "KISI", "Zhibek Zholy"]),
                publisher_place=run.pick(["Almaty", "Astana", "Moscow", "Novosibirsk"]),
            )
        accessed = None
        if kind == "web_page" or run.chance(0.1):
            fields["url"] = f"https://example.org/bailanys/synthetic/{run.seed}/{n}"
            accessed = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randint(0, 1500))
        return date, labels, authors, accessed

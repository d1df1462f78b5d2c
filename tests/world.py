"""A small, believable slice of the portal's world, published through the real workflow.

Used by the public-page tests and the browser tests: two Kazakh regions and their partners in Russia
and China, an agreement, an event where it was signed, a trade figure, an organization, a person,
two sources and the citations tying the facts to them. Every record is published by `publish()`, so
each has its revision 1, its snapshot and its search index.
"""

from __future__ import annotations

from types import SimpleNamespace

from tests.factories import publish


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.kz = publish(
        "place",
        name="Kazakhstan",
        names={"en": "Kazakhstan", "ru": "Казахстан", "kk": "Қазақстан"},
        kind="country",
        iso_code="KZ",
        identifiers={"wikidata": "Q232", "geonames": "1522867"},
    )
    w.ru = publish(
        "place",
        name="Russia",
        names={"en": "Russia", "ru": "Россия", "kk": "Ресей"},
        kind="country",
        iso_code="RU",
        identifiers={"wikidata": "Q159"},
    )
    w.cn = publish(
        "place", name="China", names={"en": "China", "ru": "Китай", "kk": "Қытай"}, kind="country", iso_code="CN"
    )
    w.east = publish(
        "place",
        name="East Kazakhstan Region",
        names={"ru": "Восточно-Казахстанская область", "kk": "Шығыс Қазақстан облысы"},
        aliases=["East Kazakhstan Oblast", "VKO"],
        kind="region",
        iso_code="KZ-VOS",
        parent=w.kz.pk,
        latitude="49.948",
        longitude="82.628",
    )
    w.oskemen = publish(
        "place",
        name="Ust-Kamenogorsk",
        names={"ru": "Усть-Каменогорск", "kk": "Өскемен"},
        aliases=["Oskemen"],
        kind="city",
        parent=w.east.pk,
        identifiers={"wikidata": "Q191280", "geonames": "1520316"},
    )
    w.pavlodar = publish(
        "place",
        name="Pavlodar Region",
        names={"ru": "Павлодарская область", "kk": "Павлодар облысы"},
        kind="region",
        iso_code="KZ-PAV",
        parent=w.kz.pk,
    )
    w.altai = publish(
        "place",
        name="Altai Krai",
        names={"ru": "Алтайский край", "kk": "Алтай өлкесі"},
        kind="krai",
        parent=w.ru.pk,
        borders=[{"id": w.east.pk}],
    )
    w.kurgan = publish("place", name="Kurgan Region", names={"ru": "Курганская область"}, kind="region", parent=w.ru.pk)
    w.xinjiang = publish(
        "place",
        name="Xinjiang Uygur Autonomous Region",
        names={"ru": "Синьцзян-Уйгурский автономный район"},
        kind="autonomous_region",
        parent=w.cn.pk,
    )
    w.akimat = publish(
        "organization",
        name="Akimat of East Kazakhstan Region",
        names={"ru": "Акимат Восточно-Казахстанской области"},
        kind="akimat",
        place=w.east.pk,
        country=w.kz.pk,
    )
    w.archive = publish(
        "organization",
        name="State Archive of East Kazakhstan Region",
        acronym="GAVKO",
        kind="archive",
        place=w.oskemen.pk,
    )
    w.governor = publish(
        "person",
        name="Vitaly Mette",
        names={"ru": "Виталий Метте"},
        positions=[{"title": "Akim of East Kazakhstan Region", "organization": w.akimat.pk, "date": "1997/2003"}],
    )
    w.article = publish(
        "source",
        title="History of regional relations in foreign political activity of the Republic of Kazakhstan (1991-2014)",
        kind="journal_article",
        date="2015",
        authors=[{"family": "Nurpeisova", "given": "A."}],
        container_title="Bulletin of KazNU. History series",
        volume="3",
        pages="4-12",
        url="https://example.org/article",
    )
    w.file = publish(
        "source",
        title="",
        kind="archival_file",
        archive=w.archive.pk,
        fund="1",
        series="2",
        file="145",
        pages="10-14",
        date="1999",
    )
    w.agreement = publish(
        "agreement",
        title="Agreement on trade, economic, scientific, technical and cultural cooperation between "
        "East Kazakhstan Region and Altai Krai",
        titles={"ru": "Соглашение о торгово-экономическом, научно-техническом и культурном сотрудничестве"},
        kind="agreement",
        level="interregional",
        date="1999-12-03",
        date_text="3 December 1999",
        place_signed=w.oskemen.pk,
        parties=[{"id": w.east.pk, "role": "party"}, {"id": w.altai.pk, "role": "party"}],
        spheres=["trade", "cultural"],
        notes="Signed during the visit of the Altai delegation; renewed in 2004.",
        citations=[{"source": w.article.pk, "locator": "p. 6", "quote": "an agreement on cooperation was signed"}],
    )
    w.xinjiang_agreement = publish(
        "agreement",
        title="Memorandum on cooperation between East Kazakhstan Region and Xinjiang",
        kind="memorandum",
        level="interregional",
        date="2005?",
        certainty="uncertain",
        certainty_note="Only one source mentions the memorandum.",
        parties=[
            {"id": w.akimat.pk, "role": "party"},
            {"id": w.xinjiang.pk, "role": "party", "certainty": "disputed", "note": "Or the city of Urumqi."},
        ],
        spheres=["trade"],
        citations=[{"source": w.file.pk, "locator": "l. 12"}],
    )
    w.kurgan_agreement = publish(
        "agreement",
        title="Agreement between Pavlodar Region and Kurgan Region",
        kind="agreement",
        level="interregional",
        date="2001-01/2001-03",
        date_text="1st quarter of 2001",
        parties=[{"id": w.pavlodar.pk}, {"id": w.kurgan.pk}],
        spheres=["education"],
    )
    w.event = publish(
        "event",
        name="Days of Culture of Altai Krai in Ust-Kamenogorsk",
        kind="days_of_culture",
        date="2001-09",
        place=w.oskemen.pk,
        participants=[{"id": w.altai.pk, "role": "guest"}, {"id": w.east.pk, "role": "host"}],
        agreements=[w.agreement.pk],
        citations=[{"source": w.article.pk, "locator": "p. 7"}],
    )
    w.statistic = publish(
        "statistic",
        indicator="trade_turnover",
        value="120500000",
        value_qualifier="approximate",
        currency="USD",
        date="2001",
        subjects=[{"id": w.east.pk}, {"id": w.altai.pk}],
        reliability_note="Rounded in the source.",
        citations=[{"source": w.article.pk, "locator": "p. 8", "field": "value"}],
    )
    return w

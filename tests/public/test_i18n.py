"""English, Russian and Kazakh: the interface, record labels with fallback, dates in words."""

import pytest
from django.conf import settings
from django.utils import translation

from records.dates.display import edtf_human


def in_language(client, code: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    return client


def test_the_switcher_sets_the_language_and_returns_to_the_page(world, reader):
    response = reader.post("/i18n/setlang/", {"language": "ru", "next": "/agreements/"})
    assert response.status_code == 302
    assert response["Location"] == "/agreements/"
    page = reader.get("/agreements/").content.decode()
    assert '<html lang="ru">' in page
    assert "Соглашения" in page  # the interface
    assert "Восточно-Казахстанская область" in page  # a record's Russian label


def test_kazakh_interface_and_labels(world, reader):
    page = in_language(reader, "kk").get(world.east.get_absolute_url()).content.decode()
    assert '<html lang="kk">' in page
    assert "Шығыс Қазақстан облысы" in page
    assert "Серіктестік байланыстар" in page  # "Partnerships"
    assert "Ресей" in page  # the partner country's Kazakh name


def test_a_missing_label_falls_back_to_english_marked_as_english(world, reader):
    page = in_language(reader, "kk").get(world.kurgan_agreement.get_absolute_url()).content.decode()
    assert '<span lang="en">Kurgan Region</span>' in page


def test_every_page_translates_its_interface(world, reader):
    for code, word in (("ru", "Найти"), ("kk", "Іздеу")):
        client = in_language(reader, code)
        for path in ("/", "/places/", "/search/?q=Altai", world.article.get_absolute_url()):
            assert word in client.get(path).content.decode(), (code, path)


@pytest.mark.parametrize(
    ("value", "en", "ru", "kk"),
    [
        ("1999-12-03", "3 December 1999", "3 декабря 1999 г.", "1999 жылғы 3 желтоқсан"),
        ("1999-12", "December 1999", "декабрь 1999 г.", "1999 жылғы желтоқсан"),
        ("2001-33", "1st quarter of 2001", "I квартал 2001 г.", "2001 жылдың I тоқсаны"),
        ("2001-40", "first half of 2001", "первое полугодие 2001 г.", "2001 жылдың бірінші жартыжылдығы"),
        ("199X", "the 1990s", "1990-е годы", "1990 жылдар"),
        ("1996?", "1996 (uncertain)", "1996 (предположительно)", "1996 (болжам бойынша)"),
        ("1995/1999", "1995 – 1999", "1995 – 1999", "1995 – 1999"),
        ("1995/..", "from 1995", "1995 и позднее", "1995 және одан кейін"),
    ],
)
def test_edtf_dates_read_as_words(value, en, ru, kk):
    for code, expected in (("en", en), ("ru", ru), ("kk", kk)):
        with translation.override(code):
            assert edtf_human(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("[2010..2014]", "sometime in 2010 – 2014"),
        ("[..1992]", "1992 at the latest"),
        ("[2010..]", "2010 or later"),
        ("[1995,1997..1999]", "one of: 1995, 1997 – 1999"),
        ("{1995,1997}", "all of: 1995, 1997"),
        ("1995?-01-26", "26 January 1995 (partly uncertain)"),
        ("[1995..1999", "[1995..1999"),  # not EDTF: shown as given
    ],
)
def test_sets_and_partly_uncertain_dates_read_as_words(value, expected):
    with translation.override("en"):
        assert edtf_human(value) == expected


@pytest.mark.parametrize(
    ("value", "ru", "kk"),
    [
        ("[2010..2014]", "в период 2010 – 2014", "2010 – 2014 аралығында"),
        ("[..1992]", "не позднее 1992", "ең кеші 1992"),
        ("{1995,1997}", "все даты: 1995, 1997", "мына күндердің барлығы: 1995, 1997"),
        (
            "1995?-01-26",
            "26 января 1995 г. (отчасти предположительно)",
            "1995 жылғы 26 қаңтар (ішінара болжам бойынша)",
        ),
    ],
)
def test_sets_and_partly_uncertain_dates_in_russian_and_kazakh(value, ru, kk):
    for code, expected in (("ru", ru), ("kk", kk)):
        with translation.override(code):
            assert edtf_human(value) == expected

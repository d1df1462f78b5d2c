"""The editors' workspace and the account pages in Russian and Kazakh, and the catalogues behind them.

The pages are filled with Cyrillic data, so that any Latin word left on them is interface text that was
not translated (a handful of codes and examples aside). The catalogues are checked the way a translator
would: nothing untranslated, fuzzy or stale, placeholders and markup kept, the compiled files current.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from records.models import Notification
from records.workflow import review
from tests.conftest import page_client
from tests.editing.helpers import text_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ("ru", "kk")

# Latin words an interface in Russian or Kazakh rightly shows: the portal's name, the language switcher,
# codes and formats, and the examples in help texts.
ALLOWED_LATIN = {
    "Bailanys", "English", "API", "EDTF", "ISO", "DOI", "URL", "JSON", "TOTP", "QR",
    "wikidata", "geonames", "Q232", "KZ", "VOS", "USD", "KZT", "RUB", "abc", "en", "ru", "kk",
}  # fmt: skip
ATTRIBUTE_TEXT = re.compile(r'\s(?:aria-label|title|placeholder|alt|data-search-[a-z]+)="([^"]*)"')


def in_language(user, code: str) -> Client:
    return page_client(user, language=code)


def shown_text(response) -> str:
    """What a person reads or hears: the visible text and the attributes screen readers announce."""
    html = response.content.decode()
    return text_of(html) + " " + " ".join(ATTRIBUTE_TEXT.findall(html))


def english_left(text: str, *data: str) -> set[str]:
    text = re.sub(r"https?://\S+", " ", text)  # addresses, such as a revision's permanent link
    for value in data:
        text = text.replace(value, " ")
    return {word for word in re.findall(r"[A-Za-z][A-Za-z0-9’']+", text) if word not in ALLOWED_LATIN}


@pytest.fixture
def cast(db):
    """A researcher and two reviewers with Cyrillic names, a published place (revisions 1 and 2),
    a pending edit with a comment, a rejected and an approved proposal, so every page has content."""
    from records.models import Place

    author = UserFactory(username="айгуль", display_name="Айгүл Зерттеуші", roles=["researcher"])
    vera = UserFactory(username="вера", display_name="Вера Рецензент", roles=["reviewer"])
    viktor = UserFactory(username="виктор", display_name="Виктор Рецензент", roles=["reviewer"])

    def change(items, summary):
        return review.proposal_create(author=author, items=items, summary=summary)

    created = change(
        [review.ItemInput(action="create", record_type="place", data={"name": "Курган", "kind": "region"})],
        "Новая область",
    )
    review.proposal_approve(proposal_id=created.pk, reviewer=vera)
    place = Place.objects.get(pk=created.items.get().record_id)

    def edit(notes, summary):
        record = Place.objects.get(pk=place.pk)
        item = review.ItemInput(
            action="update",
            record_type="place",
            record_id=record.pk,
            base_revision=record.revision,
            data={"notes": notes},
        )
        return change([item], summary)

    approved = edit("Примечание", "Примечание из источника")
    review.proposal_approve(proposal_id=approved.pk, reviewer=viktor)
    rejected = edit("Отклонённое примечание", "Сомнительное примечание")
    review.proposal_reject(proposal_id=rejected.pk, reviewer=viktor, reason="Нет источника")
    pending = edit("Ожидающее примечание", "Ещё одно примечание")
    review.comment_add(proposal_id=pending.pk, author=vera, body="Комментарий")
    review.proposal_claim(proposal_id=pending.pk, reviewer=vera)
    assert Notification.objects.filter(user=author, kind="rejected").exists()
    return {"author": author, "vera": vera, "place": Place.objects.get(pk=place.pk), "pending": pending}


WORKSPACE_PAGES = {
    # who: [paths]
    "author": [
        "/places/new/",
        "/agreements/new/",
        "/events/new/",
        "/sources/new/",
        "/statistics/new/",
        "/persons/new/",
        "/organizations/new/",
        "/places/{place}/edit/",
        "/places/{place}/withdraw/",
        "/places/{place}/history/?from=1&to=2",
        "/places/{place}/revisions/1/",
        "/places/{place}/revisions/1/revert/",
        "/proposals/",
        "/proposals/{pending}/",
        "/notifications/",
        "/accounts/profile/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/logout/",
    ],
    "vera": ["/review/", "/proposals/{pending}/", "/accounts/profile/"],
    None: ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"],
}


@pytest.mark.parametrize("code", LANGUAGES)
def test_workspace_and_account_pages_show_no_english(cast, code):
    data = ["Айгүл", "Вера", "Виктор", cast["author"].email, cast["vera"].email]
    for who, paths in WORKSPACE_PAGES.items():
        client = in_language(cast[who] if who else None, code)
        for path in paths:
            url = path.format(place=cast["place"].pk, pending=cast["pending"].pk)
            response = client.get(url)
            assert response.status_code == 200, (code, url)
            assert f'<html lang="{code}">' in response.content.decode()
            assert english_left(shown_text(response), *data) == set(), (code, url)


@pytest.mark.parametrize("code", LANGUAGES)
def test_forms_with_mistakes_answer_in_the_language(cast, code):
    author = in_language(cast["author"], code)
    response = author.post("/places/new/", {"d-kind": "region", "d-parent": "Нигде", "summary": ""})
    assert response.status_code == 400
    assert english_left(shown_text(response), "Нигде", "Айгүл") == set()
    # Mistakes the state's validation finds (records/content/schemas/, records/dates/edtf.py) come back translated too.
    response = author.post(
        "/places/new/",
        {"d-name": "Тест", "d-kind": "region", "d-iso_code": "QQ", "d-date": "2001-99", "summary": "Проверка"},
    )
    assert response.status_code == 400
    text = shown_text(response)
    assert english_left(text, "Тест", "QQ", "2001-99", "Айгүл") == set()
    expected = {
        "ru": ["не код страны по ISO 3166-1", "некорректная дата EDTF"],
        "kk": ["ел коды емес", "жарамсыз EDTF"],
    }
    for phrase in expected[code]:
        assert phrase in text
    response = in_language(None, code).post(
        "/accounts/signup/", {"email": "не адрес", "username": "", "password1": "12345", "password2": "54321"}
    )
    assert english_left(shown_text(response), "не адрес") == set()


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "ru",
            [
                ("author", "/proposals/", ["Мои предложения", "Сомнительное примечание", "отклонено"]),
                ("vera", "/review/", ["Очередь на рецензирование", "Взял(а) в работу", "Вера Рецензент"]),
                ("vera", "/proposals/{pending}/", ["Предложение № {pending}", "Обсуждение", "Рецензирует"]),
                ("author", "/notifications/", ["Ваше предложение № {rejected} отклонено рецензентом Виктор"]),
                ("author", "/places/new/", ["Новая запись (территория)", "Отправить на рецензирование"]),
                ("author", "/places/{place}/history/", ["История записи «Курган»", "2 редакции"]),
                ("author", "/accounts/profile/", ["Ваша учётная запись", "Исследователь"]),
                (None, "/accounts/login/", ["Войти", "Забыли свой пароль?"]),
            ],
        ),
        (
            "kk",
            [
                ("author", "/proposals/", ["Менің ұсыныстарым", "Сомнительное примечание", "қабылданбаған"]),
                ("vera", "/review/", ["Тексеру кезегі", "Жұмысқа алған", "Вера Рецензент"]),
                ("vera", "/proposals/{pending}/", ["№ {pending} ұсыныс", "Талқылау", "Тексеріп жатқан"]),
                ("author", "/notifications/", ["№ {rejected} ұсынысыңызды Виктор Рецензент қабылдамады"]),
                ("author", "/places/new/", ["Жаңа жазба (аумақ)", "Тексеруге жіберу"]),
                ("author", "/places/{place}/history/", ["«Курган» жазбасының тарихы", "2 нұсқа"]),
                ("author", "/accounts/profile/", ["Сіздің тіркелгіңіз", "Зерттеуші"]),
                (None, "/accounts/login/", ["Кіру", "Құпиясөзді ұмыттыңыз ба?"]),
            ],
        ),
    ],
)
def test_workspace_reads_in_the_language(cast, code, expected):
    from records.models import Proposal

    ids = {
        "place": cast["place"].pk,
        "pending": cast["pending"].pk,
        "rejected": Proposal.objects.get(status="rejected").pk,
    }
    for who, path, phrases in expected:
        text = text_of(in_language(cast[who] if who else None, code).get(path.format(**ids)).content)
        for phrase in phrases:
            assert phrase.format(**ids) in text, (code, path, phrase)


def test_the_switcher_names_each_language_in_itself(cast):
    for code in LANGUAGES:
        page = in_language(cast["author"], code).get("/proposals/").content.decode()
        for value, name in (("en", "English"), ("ru", "Русский"), ("kk", "Қазақша")):
            assert f'<option value="{value}" lang="{value}"' in page
            assert f">{name}</option>" in page


# ------------------------------------------------------------------ the catalogues

CATALOGUES = sorted(str(po) for path in settings.LOCALE_PATHS for po in Path(path).glob("*/LC_MESSAGES/django.po"))
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[sd]|%[sd]|\{[A-Za-z_]*\}")
TAG = re.compile(r"</?[A-Za-z]+")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def test_every_language_has_its_catalogue():
    assert {Path(po).parts[-3] for po in CATALOGUES} >= set(LANGUAGES)


@pytest.mark.parametrize("path", CATALOGUES)
def test_a_catalogue_is_complete_and_consistent(path):
    catalogue = polib.pofile(path)
    assert not catalogue.metadata_is_fuzzy
    language = Path(path).parts[-3]
    forms = {"ru": "nplurals=3;", "kk": "nplurals=2;"}[language]
    assert catalogue.metadata["Plural-Forms"].startswith(forms)
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert [e.msgid for e in catalogue.obsolete_entries()] == []
    problems = []
    for entry in catalogue:
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        # Every placeholder of the English is kept; a plural form may leave out the count where the
        # English singular does too ("The change" / "The %(n)s changes").
        needed = set.intersection(*(placeholders(s) for s in sources))
        allowed = set.union(*(placeholders(s) for s in sources))
        for text in translations:
            if not needed <= placeholders(text) <= allowed:
                problems.append((entry.msgid, text, "placeholders"))
            if sorted(TAG.findall(text)) != sorted(TAG.findall(entry.msgid)):
                problems.append((entry.msgid, text, "markup"))
            for edge in (str.startswith, str.endswith):
                if edge(entry.msgid, "\n") != edge(text, "\n") or edge(entry.msgid, " ") != edge(text, " "):
                    problems.append((entry.msgid, text, "leading or trailing space"))
    assert problems == []


@pytest.mark.parametrize("path", CATALOGUES)
def test_the_compiled_catalogue_is_current(path):
    """`compilemessages` was run after the last change: the .mo says what the .po says."""
    source = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.pofile(path) if e.msgid}
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(path[:-3] + ".mo") if e.msgid}
    assert compiled == source


def test_every_string_marked_in_the_code_is_in_the_catalogues(tmp_path, monkeypatch):
    """makemessages over the code, into a copy of locale/, finds nothing new to translate."""
    for name in ("portal", "records", "templates"):
        (tmp_path / name).symlink_to(Path(settings.BASE_DIR) / name)
    shutil.copytree(Path(settings.BASE_DIR) / "locale", tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=list(LANGUAGES), no_location=True, symlinks=True, verbosity=0)
    for code in LANGUAGES:
        catalogue = polib.pofile(str(tmp_path / "locale" / code / "LC_MESSAGES" / "django.po"))
        missing = [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
        assert missing == [], f"run makemessages and translate these ({code}): {missing}"

"""A fixed cast for every test: a reader (anonymous), two researchers, two reviewers, an administrator."""

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from bench import serving
from tests.factories import UserFactory


@pytest.fixture
def researcher(db):
    return UserFactory(username="rita", display_name="Rita Researcher", roles=["researcher"])


@pytest.fixture
def researcher2(db):
    return UserFactory(username="ruslan", display_name="Ruslan Researcher", roles=["researcher"])


@pytest.fixture
def reviewer(db):
    return UserFactory(username="vera", display_name="Vera Reviewer", roles=["reviewer"])


@pytest.fixture
def reviewer2(db):
    return UserFactory(username="viktor", display_name="Viktor Reviewer", roles=["reviewer"])


@pytest.fixture
def admin_user(db):
    return UserFactory(username="ada", display_name="Ada Admin", roles=["admin"])


@pytest.fixture
def newcomer(db):
    """Signed up, but no role granted yet."""
    return UserFactory(username="nina", display_name="Nina Newcomer")


@pytest.fixture
def api():
    return APIClient()


def page_client(user=None, language: str | None = None) -> Client:
    """A browser-like client for the HTML pages: signed in as `user` (if any), reading in `language`."""
    client = Client()
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def signed_in():
    return page_client


def client_for(user) -> APIClient:
    """An API client signed in as `user` with a real session (as a browser script is), so that every
    layer — the publication cache too — sees what a signed-in request carries."""
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def as_user():
    return client_for


def restore_migration_data() -> None:
    """Reload the rows that data migrations create (controlled vocabularies): every module in
    records/migrations with a `load(apps, schema_editor)` function is run again; they use get_or_create."""
    import importlib
    import pkgutil

    from django.apps import apps

    import records.migrations

    for module_info in pkgutil.iter_modules(records.migrations.__path__):
        module = importlib.import_module(f"records.migrations.{module_info.name}")
        if callable(getattr(module, "load", None)):
            module.load(apps, None)


@pytest.fixture(autouse=True)
def _migration_data(request, django_db_blocker):
    """Tests with real transactions (threads, live servers) end with a flush that empties every table,
    vocabularies included; put the migrations' data back before each database test."""
    if request.node.get_closest_marker("django_db") is None and not {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    ):
        yield
        return
    request.getfixturevalue("django_db_setup")  # the test database, never the development one
    with django_db_blocker.unblock():
        from records.models import Role

        if not Role.objects.exists():
            restore_migration_data()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request leaves its language active in the thread
    (LocaleMiddleware), and code called outside a request would otherwise speak the last one's."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches (cached facets, figures and pages never leak between tests:
    two tests may share a publication version yet differ in their settings)."""
    from django.core.cache import caches

    caches["default"].clear()
    caches["publication"].clear()


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> str:
    """Static files collected once per test process for the portals tests serve with debug off
    (collectstatic takes seconds; pages name the hashed files of its manifest)."""
    root = str(tmp_path_factory.mktemp("static"))
    serving.static_collected(serving.production_env("postgres://unused@127.0.0.1:1/unused", STATIC_ROOT=root))
    return root


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The article's data (records/seed/article.yaml), loaded once per module and rolled back after it;
    each test runs in its own savepoint. Mark the module `xdist_group("seed")` so that one worker loads it."""
    from django.db import transaction  # here: like the fixtures above, imports wait for Django's set-up

    from records.models import Role
    from records.workflow.seeding import seed_load

    with django_db_blocker.unblock(), transaction.atomic():
        if not Role.objects.exists():  # a transactional test on this worker flushed the vocabularies
            restore_migration_data()
        result = seed_load()
        yield result
        transaction.set_rollback(True)

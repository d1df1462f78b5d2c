"""The access matrix: every URL pattern (the API router's too) × every role × the methods that matter,
each answered as the table in tests/security/access_table.py says. The routes come from the URL
resolver, so a new route without an entry in the table fails here until someone decides who may use it.

Each request runs in a savepoint that is rolled back, so a POST that succeeds (an approval, a
withdrawal) leaves the same objects for the next one. Parameters are real: a published record of each
type, a submitted proposal of the researcher's and a decided one, revision 1, a vocabulary."""

from __future__ import annotations

import os
import re
from http.cookies import SimpleCookie

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client

from records.content.registry import registry
from records.content.vocabularies import VOCABULARIES
from records.imports.running import import_create
from records.models import Record
from records.workflow import review
from tests.factories import UserFactory, publish
from tests.security.access_table import ADMIN_PAGES, ADMIN_SITE, EXPECTED, METHODS, ROLES, VARIANTS
from tests.security.routes import record_type_routes, walk

pytestmark = pytest.mark.slow
GROUP = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


@pytest.fixture
def cast(db):
    researcher = UserFactory(username="matrix-researcher", roles=["researcher"])
    reviewer = UserFactory(username="matrix-reviewer", roles=["reviewer"])
    admin = UserFactory(username="matrix-admin", roles=["admin"])
    gone = UserFactory(username="matrix-gone", roles=["researcher"])
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    records = {spec.name: publish(spec.name) for spec in registry}
    place = {"name": "Matrix town", "kind": "city"}
    submitted = review.proposal_create(author=researcher, items=[review.ItemInput("create", "place", data=place)])
    decided = review.proposal_create(author=researcher, items=[review.ItemInput("create", "place", data=place)])
    review.proposal_approve(proposal_id=decided.pk, reviewer=reviewer)
    job = import_create(author=researcher, filename="p.csv", content=b"name,kind\nX,city\n", record_type="place")
    users = {"anonymous": None, "researcher": researcher, "reviewer": reviewer, "admin": admin, "deactivated": gone}
    return {"users": users, "records": records, "submitted": submitted.pk, "decided": decided.pk, "import": job.pk}


def path_of(pattern: str, values: dict) -> str:
    def value(match: re.Match) -> str:
        return str(values[match.group(1) or match.group(2)])

    return "/" + GROUP.sub(value, pattern).replace("^", "").replace("$", "")


def values_for(route, variant: str, cast: dict) -> dict:
    typed = record_type_routes(route.key)
    record = cast["records"][typed[1] if typed else "agreement"]
    proposal = cast["decided"] if variant == "decided" else cast["submitted"]
    model_admin = getattr(route.callback, "model_admin", None)
    admin_object = model_admin.model.objects.order_by("pk").first() if model_admin else None
    is_proposal = route.key.startswith(("api:change-", "editing:proposal"))
    is_import = route.key.startswith(("api:import-", "editing:import"))
    return {
        "spec": registry.get(record.record_type).plural,
        "pk": proposal if is_proposal else cast["import"] if is_import else record.pk,
        "record_type": "place",
        "number": 1,
        "name": next(iter(VOCABULARIES)),
        "step": variant,
        "key": "nonsense",
        "uidb36": "zz",
        "id": cast["users"]["researcher"].pk,
        "object_id": admin_object.pk if admin_object else record.pk,
        "content_type_id": ContentType.objects.get_for_model(Record).pk,
        "app_label": "records",
        "url": "nowhere/",
    }


def answer(client: Client, method: str, path: str) -> int:
    """The status of one request, undone afterwards: its writes rolled back, the client's cookies (a
    sign-out drops the session) as they were."""
    cookies = SimpleCookie(client.cookies)
    with transaction.atomic():
        if method == "GET":
            response = client.get(path)
        else:
            response = getattr(client, method.lower())(path, "{}", content_type="application/json")
        transaction.set_rollback(True)
    client.cookies = cookies
    return response.status_code


def observations(cast: dict, everything: bool = False):
    """(row, method, path, expected, statuses) for every route, variant and method; `expected` is None
    for a row the table does not have (then nothing is sent unless `everything`, for a first draft)."""
    clients = {}
    for role, user in cast["users"].items():
        clients[role] = Client()
        if user is not None:
            clients[role].force_login(user)  # the deactivated account: a session from before it was
    for route in walk():
        typed = record_type_routes(route.key)
        key = typed[0] if typed else route.key
        in_admin = route.key.startswith("admin/")
        for variant in VARIANTS.get(key, [""]):
            row = "admin site" if in_admin else f"{key}[{variant}]" if variant else key
            expected = ADMIN_PAGES.get(route.key, ADMIN_SITE) if in_admin else EXPECTED.get(row)
            path = path_of(route.pattern, values_for(route, variant, cast))
            for method in METHODS["admin" if in_admin else "api" if key.startswith("api") else "page"]:
                if expected is None and not everything:
                    yield row, method, path, None, None
                    continue
                want = (expected or {}).get(method) or " ".join("?" for _ in ROLES)
                statuses = " ".join(
                    "-" if skip == "-" else str(answer(clients[role], method, path))
                    for role, skip in zip(ROLES, want.split(), strict=True)
                )
                yield row, method, path, (expected or {}).get(method), statuses


def matches(statuses: str, expected: str | None) -> bool:
    """ "*" in the table: any answer but a server error; "-": not sent."""
    if expected is None:
        return False
    pairs = zip(statuses.split(), expected.split(), strict=True)
    return all(want == got or (want == "*" and got != "-" and int(got) < 500) for got, want in pairs)


def test_every_route_answers_every_role_as_the_table_says(cast):
    draft = os.environ.get("ACCESS_MATRIX_DRAFT")  # a file: the table's first draft, to read and judge
    unlisted, wrong, seen = set(), [], {}
    for row, method, path, expected, statuses in observations(cast, everything=bool(draft)):
        seen.setdefault(row, {})[method] = statuses
        if row != "admin site" and row not in EXPECTED:
            unlisted.add(f"{row} ({path})")
        elif not matches(statuses, expected):
            wrong.append(f"{method} {path} ({row}): {statuses} instead of {expected}")
    if draft:
        with open(draft, "w") as out:
            out.write("\n".join(f"    {row!r}: {methods!r}," for row, methods in seen.items() if row != "admin site"))
            out.write("\n\n" + "\n".join(wrong))
    assert not unlisted, "routes without an entry in tests/security/access_table.py:\n" + "\n".join(sorted(unlisted))
    assert not wrong, f"roles {ROLES}:\n" + "\n".join(wrong)
    assert set(EXPECTED) <= set(seen), f"entries for routes that are gone: {set(EXPECTED) - set(seen)}"

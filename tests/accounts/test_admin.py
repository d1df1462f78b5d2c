"""The admin: roles granted there are audited; vocabularies are editable; content is read-only for
everyone, superusers included — nobody can publish, approve or delete content through the admin."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.models import AuditEntry, User
from records.models import PlaceKind, Proposal, ProposalStatus, Record
from records.workflow import review
from tests.conftest import page_client
from tests.factories import UserFactory, propose_update, publish

pytestmark = pytest.mark.django_db


def admin_client(user) -> Client:
    return page_client(user)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_an_administrator_grants_the_researcher_role_and_it_is_audited(admin_user, newcomer):
    client = admin_client(admin_user)
    url = f"/admin/portal/user/{newcomer.pk}/change/"
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "username": newcomer.username,
            "display_name": newcomer.display_name,
            "email": newcomer.email,
            "first_name": "",
            "last_name": "",
            "is_active": "on",
            "roles": ["researcher"],
        },
    )

    assert response.status_code == 302
    assert review.can_propose(User.objects.get(pk=newcomer.pk))
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ROLE_GRANTED, target=f"user:{newcomer.pk}")
    assert entry.actor == admin_user and entry.detail["role"] == "researcher"


def test_revoking_a_role_in_the_admin_is_audited(admin_user, researcher):
    client = admin_client(admin_user)
    client.post(
        f"/admin/portal/user/{researcher.pk}/change/",
        {"username": researcher.username, "display_name": "", "email": researcher.email, "is_active": "on"},
    )
    assert not review.can_propose(User.objects.get(pk=researcher.pk))
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ROLE_REVOKED, actor=admin_user).exists()


def test_an_administrator_cannot_make_anyone_a_superuser(admin_user, newcomer):
    admin_client(admin_user).post(
        f"/admin/portal/user/{newcomer.pk}/change/",
        {"username": newcomer.username, "email": newcomer.email, "is_active": "on", "is_superuser": "on"},
    )
    assert not User.objects.get(pk=newcomer.pk).is_superuser


def test_vocabularies_are_edited_by_language_and_audited(admin_user):
    client = admin_client(admin_user)
    response = client.post(
        "/admin/records/placekind/add/",
        {
            "code": "oblast_center",
            "label_en": "regional centre",
            "label_ru": "областной центр",
            "label_kk": "",
            "description": "",
            "position": "5",
            "active": "on",
        },
    )
    assert response.status_code == 302
    term = PlaceKind.objects.get(code="oblast_center")
    assert term.labels == {"en": "regional centre", "ru": "областной центр"}
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VOCABULARY_CHANGED, target="placekind:oblast_center")
    assert client.post("/admin/records/placekind/oblast_center/delete/", {"post": "yes"}).status_code == 403
    assert PlaceKind.objects.filter(code="oblast_center").exists()


@pytest.mark.parametrize("who", ["admin_user", "superuser"])
def test_content_is_read_only_in_the_admin(who, request, researcher, reviewer):
    user = request.getfixturevalue(who)
    place = publish("place", name="Kurgan Region", kind="region")
    pending = propose_update(place, researcher, notes="pending")
    client = admin_client(user)

    assert client.get(f"/admin/records/record/{place.pk}/change/").status_code == 200  # view only
    assert client.post(f"/admin/records/record/{place.pk}/change/", {"label": "Hacked"}).status_code == 403
    assert client.get("/admin/records/record/add/").status_code == 403
    assert client.post(f"/admin/records/record/{place.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(f"/admin/records/proposal/{pending.pk}/change/", {"status": "approved", "reviewer": user.pk})
    assert response.status_code == 403
    response = client.post(
        "/admin/records/proposal/", {"action": "delete_selected", "_selected_action": [pending.pk], "post": "yes"}
    )
    assert Proposal.objects.filter(pk=pending.pk).exists()
    assert (
        client.post(f"/admin/records/revision/{place.revisions.get().pk}/delete/", {"post": "yes"}).status_code == 403
    )

    pending.refresh_from_db()
    assert pending.status == ProposalStatus.SUBMITTED
    assert Record.objects.get(pk=place.pk).label == "Kurgan Region"


def test_the_audit_log_is_read_only(admin_user, researcher):
    entry = AuditEntry.objects.filter(target=f"user:{researcher.pk}").first()
    client = admin_client(admin_user)
    assert client.get("/admin/portal/auditentry/").status_code == 200
    assert client.post(f"/admin/portal/auditentry/{entry.pk}/change/", {"action": "sign_in"}).status_code == 403
    assert client.post(f"/admin/portal/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/portal/auditentry/add/").status_code == 403


def test_researchers_and_reviewers_have_no_admin(researcher, reviewer):
    for user in (researcher, reviewer):
        response = admin_client(user).get("/admin/")
        assert response.status_code == 302  # to the admin's sign-in, which they cannot pass
        assert response["Location"].startswith("/admin/login/")

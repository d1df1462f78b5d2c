"""HTML forms refuse a POST without the CSRF token, as a browser on another site would send it: the
proposal form, the sign-in and the reviewer's approve. The same POST with the token goes through."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from records.models import Proposal, ProposalStatus
from tests.editing.helpers import form_data
from tests.factories import PASSWORD, propose_update, publish

pytestmark = pytest.mark.django_db


def strict(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def token_of(client: Client, url: str) -> str:
    assert client.get(url).status_code == 200
    return client.cookies["csrftoken"].value


def refused(response) -> bool:
    return response.status_code == 403 and b"CSRF verification failed" in response.content


def test_the_proposal_form_refuses_a_post_without_the_token(researcher):
    client = strict(researcher)
    data = form_data(client.get("/places/new/").content)
    data.pop("csrfmiddlewaretoken", None)
    data.update({"d-name": "Forged place", "summary": "forged", "save_draft": "1"})
    assert refused(client.post("/places/new/", data))
    assert not Proposal.objects.filter(author=researcher).exists()

    data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    assert client.post("/places/new/", data).status_code == 302
    assert Proposal.objects.filter(author=researcher).exists()


def test_the_sign_in_refuses_a_post_without_the_token(researcher):
    EmailAddress.objects.create(user=researcher, email=researcher.email, verified=True, primary=True)
    client = strict()
    assert refused(client.post("/accounts/login/", {"login": "rita", "password": PASSWORD}))
    assert "_auth_user_id" not in client.session

    token = token_of(client, "/accounts/login/")
    response = client.post("/accounts/login/", {"login": "rita", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and int(client.session["_auth_user_id"]) == researcher.pk


def test_approve_refuses_a_post_without_the_token(researcher, reviewer, reviewer2):
    place = publish("place", name="Turkestan", kind="city")
    proposal = propose_update(place, researcher, notes="checked")
    client = strict(reviewer2)
    assert refused(client.post(f"/proposals/{proposal.pk}/approve/", {"comment": "forged"}))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED

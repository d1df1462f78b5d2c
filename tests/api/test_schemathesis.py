"""Property-based: schemathesis generates requests from the live OpenAPI schema and sends them to a live
test server with data; no answer may be a server error or break the schema (status code, content
type, body, headers). Every read endpoint (anonymous and signed in, drawn per example), the proposal
and decision endpoints, and the token endpoints (taking, listing and revoking), a bounded number of
examples each, derandomized so that a run is repeatable. Longer runs against a served portal are in
README ("Fuzzing")."""

from __future__ import annotations

from collections import Counter

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.models import ApiToken
from portal.tokens import digest_of
from records.content.registry import registry
from records.content.vocabularies import VOCABULARIES
from records.workflow import review
from tests.factories import PASSWORD, UserFactory, publish
from tests.tokens import token_for, verify

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
EXAMPLES = {GenerationMode.POSITIVE: 12, GenerationMode.NEGATIVE: 6}
REVIEWER_ACTIONS = ("/approve/", "/reject/", "/claim/")


def make_data() -> dict[str, list]:
    """A little of everything, linked, with history; and proposals in several states."""
    kz = publish("place", name="Kazakhstan", kind="country", iso_code="KZ", latitude="48", longitude="67")
    region = publish("place", name="East Kazakhstan Region", kind="region", parent=kz.pk, names={"ru": "ВКО"})
    akimat = publish("organization", name="Akimat", kind="akimat", place=region.pk, country=kz.pk)
    archive = publish("organization", name="Archive", kind="archive", place=region.pk)
    book = publish("source", title="Book", kind="book", authors=[{"family": "Ivanov"}], date="2010")
    archival = publish("source", title="", kind="archival_file", archive=archive.pk, file="7", date="1999")
    cite = [{"source": book.pk, "locator": "p. 3"}]
    agreement = publish(
        "agreement",
        title="Agreement",
        spheres=["trade"],
        parties=[{"id": region.pk}, {"id": akimat.pk, "role": "signatory"}],
        citations=cite,
        value_amount="1000",
        value_currency="USD",
    )
    event = publish("event", name="Visit", participants=[{"id": akimat.pk}], agreements=[agreement.pk], place=region.pk)
    statistic = publish("statistic", subjects=[{"id": region.pk}], citations=cite)
    person = publish(
        "person", name="Akim", positions=[{"title": "Akim", "organization": akimat.pk, "date": "2004/2007"}]
    )
    author, approver = (
        verify(UserFactory(username="sam", roles=["researcher"])),
        verify(UserFactory(username="rev", roles=["reviewer"])),
    )
    edited = review.proposal_create(
        author=author,
        items=[review.ItemInput("update", "place", record_id=region.pk, base_revision=1, data={"notes": "Oskemen"})],
    )
    review.proposal_approve(proposal_id=edited.pk, reviewer=approver)
    withdrawn = publish("agreement", title="Old protocol", kind="protocol", date="2003")
    gone = review.proposal_create(
        author=author, items=[review.ItemInput("withdraw", "agreement", record_id=withdrawn.pk, base_revision=1)]
    )
    review.proposal_approve(proposal_id=gone.pk, reviewer=approver)
    pending = review.proposal_create(
        author=author, items=[review.ItemInput("create", "place", data={"name": "P", "kind": "city"})]
    )
    draft = review.proposal_create(
        author=author, items=[review.ItemInput("create", "place", data={"name": "D", "kind": "city"})], draft=True
    )
    records = [kz, region, akimat, archive, book, archival, agreement, event, statistic, person, withdrawn]
    ids: dict[str, list[int]] = {}
    for record in records:
        ids.setdefault(f"/api/v1/{registry.get(record.record_type).plural}/", []).append(record.pk)
    return {
        "ids": ids,
        "proposals": [edited.pk, pending.pk, draft.pk, 9_999_999],
        "tokens": {
            "researcher": token_for(author),
            "reviewer": token_for(approver),
        },
        # Tokens the run may revoke (its own stay live): the researcher's spare, and someone else's.
        "spare_tokens": [ApiToken.objects.get(digest=digest_of(token_for(author, "spare"))).pk, 9_999_999],
    }


def test_the_live_api_answers_as_its_schema_says(live_server):
    data = make_data()
    raw = requests.get(f"{live_server.url}/api/schema/", params={"format": "json"}, timeout=30).json()
    schema = schemathesis.openapi.from_dict(raw)
    failures: list[str] = []
    statuses: Counter = Counter()
    tested = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() != "GET" and not operation.path.startswith(("/api/v1/changes/", "/api/v1/auth/")):
            continue
        tested += 1
        for mode, examples in EXAMPLES.items():
            failures += run_operation(operation, mode, examples, live_server.url, data, statuses)
    assert tested >= 43
    # The run reached records, proposals, decisions and tokens, not only error paths; signed-in reads too.
    assert statuses[200] > 200
    assert statuses[201] + statuses[400] > 60
    assert statuses["token issued"] >= 1 and statuses["token revoked"] >= 1
    assert statuses["signed-in read"] > 100
    assert not failures, "\n\n".join(failures[:10])


def run_operation(operation, mode, examples: int, base_url: str, data: dict, statuses: Counter) -> list[str]:
    failures: list[str] = []
    is_change = operation.path.startswith("/api/v1/changes/")
    is_token = operation.path.startswith("/api/v1/auth/")
    role = "reviewer" if any(operation.path.endswith(action) for action in REVIEWER_ACTIONS) else "researcher"
    signed_in = {"Authorization": f"Token {data['tokens'][role]}"}
    prefix = "/".join(operation.path.split("/")[:4]) + "/"
    if is_change:
        ids, who = data["proposals"], st.just(signed_in)
    elif is_token:
        ids, who = data["spare_tokens"], st.just({} if operation.path == "/api/v1/auth/token/" else signed_in)
    else:
        ids, who = data["ids"].get(prefix, []) + [9_999_999], st.sampled_from([{}, signed_in])
    path_values = st.fixed_dictionaries(
        {
            "id": st.sampled_from(ids),
            "number": st.sampled_from([1, 1, 2, 5]),
            "name": st.sampled_from([*VOCABULARIES, "planets"]),
            "record_type": st.sampled_from(["place", "source", "planet"]),
        }
    )
    # Taking a token: sometimes the right account and password, so that success is reached too.
    credentials = st.sampled_from([None, None, {"username": "sam", "password": PASSWORD, "name": "fuzz"}])

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), values=path_values, headers=who, login=credentials)
    def check(case, values, headers, login):
        if mode == GenerationMode.POSITIVE and case.path_parameters:
            # Real records, proposals and tokens, so that details, histories, decisions and revocations run.
            case.path_parameters = {key: values[key] for key in case.path_parameters}
        if mode == GenerationMode.POSITIVE and login and operation.path == "/api/v1/auth/token/":
            case.body = login
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        statuses[response.status_code] += 1
        if headers and operation.method.upper() == "GET" and not is_change and not is_token:
            statuses["signed-in read"] += 1
        if is_token and response.status_code in (200, 201):
            statuses[
                "token issued"
                if operation.method.upper() == "POST"
                else "token revoked"
                if operation.method.upper() == "DELETE"
                else "tokens listed"
            ] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # collect: one run reports every broken operation
            failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {exc}"[:3000])

    try:
        check()
    except Unsatisfiable:
        if mode != GenerationMode.NEGATIVE:
            raise
        # An operation without parameters or body cannot be sent invalid input.
    return failures

"""/api/v1/vocabularies/: the valid codes of kinds, spheres, indicators, roles..., with labels."""


def test_it_lists_every_vocabulary_with_where_it_is_used(db, api):
    response = api.get("/api/v1/vocabularies/")
    assert response.status_code == 200
    by_name = {item["name"]: item for item in response.json()}
    assert set(by_name) == {
        "place_kind",
        "organization_kind",
        "agreement_kind",
        "agreement_level",
        "event_kind",
        "sphere",
        "indicator",
        "role",
        "unit",
        "source_kind",
    }
    assert by_name["sphere"]["used_by"] == ["agreement.spheres"]
    assert "agreement.parties.role" in by_name["role"]["used_by"]
    assert by_name["sphere"]["url"] == "http://testserver/api/v1/vocabularies/sphere/"


def test_a_vocabulary_lists_codes_with_labels_in_three_languages(db, api):
    body = api.get("/api/v1/vocabularies/sphere/").json()
    terms = {term["code"]: term for term in body["terms"]}
    assert terms["tourism"]["labels"] == {"en": "tourism", "ru": "туризм", "kk": "туризм"}
    assert terms["tourism"]["label"] == "tourism"
    assert terms["tourism"]["active"] is True
    russian = api.get("/api/v1/vocabularies/sphere/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert {t["code"]: t["label"] for t in russian["terms"]}["trade"] == "торговля"


def test_inactive_terms_are_listed_as_such(db, api):
    from records.models import Sphere

    Sphere.objects.filter(code="customs").update(active=False)
    terms = {t["code"]: t for t in api.get("/api/v1/vocabularies/sphere/").json()["terms"]}
    assert terms["customs"]["active"] is False


def test_an_unknown_vocabulary_is_404(db, api):
    response = api.get("/api/v1/vocabularies/planets/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"

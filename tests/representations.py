"""What the API's serializer gives of a record, read from the tables: the reference the read model is held to."""

from __future__ import annotations

from django.utils import translation
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory

from records.content.registry import registry
from records.content.representation import read_serializer


def serialized(record, language: str = "en") -> bytes:
    """What the API's serializer gives of the record now, from the tables (the old path)."""
    spec = registry.get(record.record_type)
    instance = spec.queryset().get(pk=record.pk)
    request = APIRequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=language)
    with translation.override(language):
        return JSONRenderer().render(read_serializer(spec)(instance, context={"request": request}).data)

"""What the registry's specs name exists: each related list has a reader, each extra format a renderer,
each default order is a list order; and the places that must name the types agree on them."""

from __future__ import annotations

import pytest
from django.conf import settings

from records.api.formats import EXTRA_RENDERERS
from records.content.registry import registry
from records.models.base import RecordType
from records.reads.filters import filterset_for
from records.reads.related import READERS
from records.views.public.lists import EXPORT_LABELS
from records.views.public.params import SORTS

SPECS = list(registry)


def test_the_registry_the_models_and_the_settings_name_the_same_types():
    assert registry.names() == list(RecordType.values) == list(settings.RECORD_TYPES)


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_what_a_spec_names_exists(spec):
    assert set(spec.related) <= set(READERS)
    assert set(spec.extra_formats) <= set(EXTRA_RENDERERS) <= set(EXPORT_LABELS)
    assert spec.default_sort in SORTS
    if spec.lists_filter:
        assert all(spec.lists_filter in filterset_for(other).base_filters for other in SPECS)

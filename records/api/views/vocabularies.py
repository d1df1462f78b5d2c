"""/api/v1/vocabularies/: the controlled vocabularies and their terms."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from records.api.serializers import VocabularySerializer, VocabularySummarySerializer
from records.api.views.base import APIView
from records.content.vocabularies import VOCABULARIES, vocabulary
from records.workflow import review


class VocabularyListView(APIView):
    """The controlled vocabularies: which codes `kind`, `sphere`, `indicator`, `role`... accept."""

    @extend_schema(responses=VocabularySummarySerializer(many=True))
    def get(self, request: Request) -> Response:
        items = [{"spec": spec} for spec in VOCABULARIES.values()]
        return Response(VocabularySummarySerializer(items, many=True, context={"request": request}).data)


class VocabularyDetailView(APIView):
    """One vocabulary's terms: code, labels in English, Russian and Kazakh, whether still in use for new records."""

    @extend_schema(responses=VocabularySerializer)
    def get(self, request: Request, name: str) -> Response:
        spec = vocabulary(name)
        if spec is None:
            raise review.NotFound(f"No vocabulary {name[:40]!r}; see /api/v1/vocabularies/.")
        item = {"spec": spec, "terms": list(spec.model.objects.order_by("position", "code"))}
        return Response(VocabularySerializer(item, context={"request": request}).data)

"""A record's page: its fields, the lists around it, its evidence and how to cite it — or, for a
withdrawn record, a tombstone that says so (410)."""

from __future__ import annotations

import json

from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from records.content.registry import RecordTypeSpec, registry
from records.formats import citing
from records.models import Record, RecordStatus, Revision
from records.models.base import LANGUAGES, MAX_ID
from records.reads.links import RELATED_LIMIT
from records.reads.related import cited_by, related_for
from records.views.public.params import id_param, text_param


def record_or_404(spec: RecordTypeSpec, pk: int) -> Record:
    """The record with what its page shows, and when its current revision was made (`revised_at`, for
    citing it: read in the same query)."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    revised_at = Revision.objects.filter(record=OuterRef("pk"), number=OuterRef("revision")).values("created_at")
    record = spec.with_state(spec.model.objects.filter(pk=pk)).annotate(revised_at=Subquery(revised_at[:1])).first()
    if record is None:
        raise Http404
    return record


def tombstone(request, spec: RecordTypeSpec, record: Record) -> HttpResponse:
    revisions = list(Revision.objects.filter(record=record).order_by("-number")[:2])
    withdrawal = revisions[0] if revisions else None
    return render(
        request,
        "records/tombstone.html",
        {
            "spec": spec,
            "record": record,
            "withdrawal": withdrawal,
            "history_url": f"{record.get_absolute_url()}history/",
        },
        status=410,
    )


def cite_this(request, spec: RecordTypeSpec, record: Record) -> dict | None:
    if record.revised_at is None:
        return None
    permalink = request.build_absolute_uri(f"/{spec.plural}/{record.pk}/revisions/{record.revision}/")
    revised_at = timezone.localtime(record.revised_at)
    kwargs = {"revision": record.revision, "revised_at": revised_at, "permalink": permalink}
    return {
        "permalink": permalink,
        "text": citing.record_citation_text(record, **kwargs),
        "bibtex": citing.record_bibtex(record, **kwargs),
        "csl": json.dumps(citing.record_csl(record, **kwargs), ensure_ascii=False, indent=2),
        "revision": record.revision,
        "revised_at": revised_at,
    }


def source_context(request, source: Record) -> dict:
    """What a source's page adds: the records citing it, a page at a time, and its reference data."""
    csl = citing.source_csl(source, request.build_absolute_uri("/"))
    return {
        "cited_by": cited_by(source, after=id_param(text_param(request, "after", 20)) or 0),
        "csl_source": json.dumps(csl, ensure_ascii=False, indent=2),
        "bibtex_source": citing.sources_bibtex([source]),
    }


def record_detail(request, spec: RecordTypeSpec, pk: int):
    record = record_or_404(spec, pk)
    if record.status == RecordStatus.WITHDRAWN:
        return tombstone(request, spec, record)
    user = request.user
    context = {
        "spec": spec,
        "record": record,
        "related": related_for(spec, record),
        "citations": list(record.citations.all()),
        "cite": cite_this(request, spec, record),
        "history_url": f"{record.get_absolute_url()}history/",
        "can_propose": user.is_authenticated and user.has_perm("records.propose_change"),
        "related_limit": RELATED_LIMIT,
        "related_limit_slice": f":{RELATED_LIMIT}",
        # The lists of every type, narrowed to records about this one ("See all" links).
        "more_urls": {s.plural: f"/{s.plural}/?{spec.lists_filter}={record.pk}" for s in registry}
        if spec.lists_filter
        else {},
        "names": sorted(
            record.labels.items(), key=lambda kv: LANGUAGES.index(kv[0]) if kv[0] in LANGUAGES else len(LANGUAGES)
        ),
    }
    if spec.cited:
        context.update(source_context(request, record))
    return render(request, [f"records/detail_{spec.name}.html", "records/detail_base.html"], context)

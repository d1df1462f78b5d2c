"""API shapes. A record's JSON is its content (records/content/schemas/) plus read-only identity fields and the
names of linked records, so the GET body of a record can be sent back as a proposal's `data`."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from records.content import schemas
from records.content.registry import RecordTypeSpec, registry
from records.content.representation import absolute
from records.content.vocabularies import used_by
from records.models import Proposal, ProposalItem, Revision
from records.models.base import MAX_ID
from records.reads.search import MAX_QUERY
from records.workflow import review


class RevisionSerializer(serializers.ModelSerializer):
    """A revision as listed in a record's history (authors by public name, never by e-mail)."""

    url = serializers.SerializerMethodField()
    author = serializers.CharField(source="author.public_name", read_only=True)
    reviewer = serializers.CharField(source="reviewer.public_name", read_only=True)
    proposal = serializers.IntegerField(source="proposal_id", read_only=True)

    class Meta:
        model = Revision
        fields = ["number", "url", "action", "created_at", "summary", "author", "reviewer", "proposal"]

    def get_url(self, obj) -> str:
        spec = registry.get(self.context["record_type"])
        return absolute(
            self.context.get("request"), reverse(f"api:{spec.name}-revision", args=[obj.record_id, obj.number])
        )


class PageLinks(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page")
    previous = serializers.URLField(allow_null=True, help_text="The previous page")


class RevisionPage(PageLinks):
    results = RevisionSerializer(many=True)


class SnapshotField(serializers.JSONField):
    """The record's complete state at a revision: the shape of its type's state (and of proposals' data)."""

    def __init__(self, *, spec: RecordTypeSpec, **kwargs) -> None:
        self.spec = spec
        super().__init__(**kwargs)


class RevisionDetailSerializer(RevisionSerializer):
    record = serializers.IntegerField(source="record_id", read_only=True)
    type = serializers.SerializerMethodField()
    data = serializers.JSONField(source="snapshot", read_only=True)

    class Meta(RevisionSerializer.Meta):
        fields = ["record", "type", *RevisionSerializer.Meta.fields, "data"]

    def get_type(self, obj) -> str:
        return self.context["record_type"]


def revision_serializer(spec: RecordTypeSpec) -> type[RevisionDetailSerializer]:
    """One revision of a record of this type, its `data` described by the type's state."""
    cached = spec.extras.get("revision_serializer")
    if cached is None:
        cached = type(
            f"{spec.name.capitalize()}Revision",
            (RevisionDetailSerializer,),
            {"__module__": __name__, "data": SnapshotField(spec=spec, source="snapshot", read_only=True)},
        )
        spec.extras["revision_serializer"] = cached
    return cached


# ------------------------------------------------------------------ proposals


class ItemInputSerializer(serializers.Serializer):
    """The shape of one record change (the domain validates the content)."""

    action = serializers.ChoiceField(choices=["create", "update", "withdraw", "revert"])
    record_type = serializers.CharField(max_length=40)
    record = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
    base_revision = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1)
    revert_to = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1)
    ref = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    data = serializers.JSONField(required=False, default=dict)

    def validate_record_type(self, value: str) -> str:
        if registry.find(value) is None:
            raise serializers.ValidationError(f"Unknown record type; use one of: {', '.join(registry.names())}.")
        return value

    def validate_data(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("Expected an object with the record's fields.")
        return value


class ProposalInputSerializer(ItemInputSerializer):
    """Either one change at the top level, or several under `items` (a change set)."""

    action = serializers.ChoiceField(choices=["create", "update", "withdraw", "revert"], required=False)
    record_type = serializers.CharField(max_length=40, required=False)
    items = ItemInputSerializer(many=True, required=False, max_length=100, allow_empty=False)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    draft = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs: dict) -> dict:
        if "items" in attrs:
            if "action" in attrs or "record_type" in attrs:
                raise serializers.ValidationError("Give either one change (action, record_type...) or `items`.")
        else:
            missing = {name: ["This field is required."] for name in ("action", "record_type") if name not in attrs}
            if missing:
                raise serializers.ValidationError(missing)
        schemas.plain_text(attrs.get("summary", ""))
        return attrs


class ProposalItemSerializer(serializers.ModelSerializer):
    record = serializers.IntegerField(source="record_id", read_only=True, allow_null=True)
    revision = serializers.IntegerField(source="revision.number", read_only=True, default=None, allow_null=True)

    class Meta:
        model = ProposalItem
        fields = ["action", "record_type", "record", "ref", "base_revision", "revert_to", "data", "revision"]


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    author = serializers.CharField(source="author.public_name", read_only=True)
    body = serializers.CharField(max_length=10000)
    created_at = serializers.DateTimeField(read_only=True)


class ApprovalRunSerializer(serializers.Serializer):
    state = serializers.CharField()
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    error = serializers.CharField()


class ProposalSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:change-detail")
    author = serializers.CharField(source="author.public_name", read_only=True)
    reviewer = serializers.CharField(source="reviewer.public_name", read_only=True, default=None, allow_null=True)
    claimed_by = serializers.CharField(source="claimed_by.public_name", read_only=True, default=None, allow_null=True)
    claim_expires_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the claim lapses (BAILANYS_CLAIM_TIMEOUT_MINUTES after it was made). Until then only the "
        "claimant may approve or reject; after it the claim counts as none and another reviewer may take it over.",
    )
    items = ProposalItemSerializer(many=True, read_only=True)
    comments = CommentSerializer(many=True, read_only=True)
    approval = serializers.SerializerMethodField(
        help_text="An approval run by the worker (a large proposal): `state` queued, running or failed, `done` of "
        "`total` changes published so far, and `error`, why a failed one was refused (nothing was published). "
        "Null when there is none (a published proposal's status is approved; a failed one is not shown once the "
        "proposal is revised)."
    )

    @extend_schema_field(ApprovalRunSerializer(allow_null=True))
    def get_approval(self, obj) -> dict | None:
        run = review.approval_checked(obj)
        if run is None:
            return None
        error = gettext(run.error) if run.error else ""  # stored in English
        return {"state": run.state, "done": run.done, "total": run.total, "error": error}

    class Meta:
        model = Proposal
        fields = [
            "id",
            "url",
            "status",
            "summary",
            "author",
            "created_at",
            "submitted_at",
            "decided_at",
            "reviewer",
            "decision_comment",
            "claimed_by",
            "claimed_at",
            "claim_expires_at",
            "conflict",
            "version",
            "items",
            "comments",
            "approval",
        ]
        extra_kwargs = {
            "version": {
                "help_text": "Raised by every revision of the proposal (starts at 1); approve with the version "
                "you reviewed, and a revised proposal is refused (409) instead of published unread"
            }
        }


class DecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class ApprovalSerializer(DecisionSerializer):
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The proposal's `version` you reviewed. If the author revised it since, the approval is "
        "refused with 409 and nothing is published. Send it: without it the proposal is approved as it "
        "now is (kept for older clients)",
    )


class RejectionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, help_text="Why; the author sees it")


class ClaimSerializer(serializers.Serializer):
    release = serializers.BooleanField(required=False, default=False, help_text="Give the claim up again")


# ------------------------------------------------------------------ search, vocabularies, errors


class SearchParamsSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=MAX_QUERY, help_text="Words or names to search for")
    type = serializers.ListField(
        child=serializers.ChoiceField(choices=registry.names()),
        required=False,
        max_length=len(registry.names()),
        help_text="Only records of this type; repeat for several",
    )
    page_size = serializers.IntegerField(min_value=1, max_value=100, default=20, help_text="Hits per page, 1 to 100")
    cursor = serializers.CharField(required=False, max_length=200, help_text="Opaque cursor from `next`/`previous`")


class SearchHitSerializer(serializers.Serializer):
    type = serializers.CharField(source="record_type", help_text="The record's type")
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField(help_text="The record in the API")
    web_url = serializers.SerializerMethodField(help_text="The record's public page")
    name = serializers.CharField(help_text="Name or title, in the language asked for when there is one")
    date = serializers.CharField(help_text="The record's date (EDTF), possibly empty")
    snippet = serializers.CharField(
        help_text="HTML: the record's text around the matched words, escaped, with each match in <mark>…</mark>"
    )
    rank = serializers.FloatField(help_text="Relevance; higher is better")

    def get_url(self, hit) -> str:
        return absolute(self.context.get("request"), reverse(f"api:{hit.record_type}-detail", args=[hit.id]))

    def get_web_url(self, hit) -> str:
        return absolute(self.context.get("request"), hit.web_url)


class SearchPage(PageLinks):
    results = SearchHitSerializer(many=True)


class VocabularyTermSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="What records, proposals and filters use")
    label = serializers.SerializerMethodField(help_text="In the language asked for (Accept-Language), else English")
    labels = serializers.SerializerMethodField(help_text="By language: en, ru, kk")
    description = serializers.CharField()
    active = serializers.BooleanField(help_text="Inactive terms remain on old records but are refused for new ones")

    def get_label(self, term) -> str:
        return term.label

    def get_labels(self, term) -> dict[str, str]:
        return {lang: term.labels.get(lang, "") for lang in ("en", "ru", "kk")}


class VocabularySummarySerializer(serializers.Serializer):
    name = serializers.CharField(source="spec.name")
    label = serializers.CharField(source="spec.verbose_name")
    description = serializers.CharField(source="spec.description")
    used_by = serializers.SerializerMethodField(help_text="Fields that take this vocabulary's codes")
    url = serializers.SerializerMethodField()

    def get_used_by(self, item) -> list[str]:
        return used_by()[item["spec"].name]

    def get_url(self, item) -> str:
        return absolute(self.context.get("request"), reverse("api:vocabulary-detail", args=[item["spec"].name]))


class VocabularySerializer(VocabularySummarySerializer):
    terms = VocabularyTermSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    """Every error: a message, a machine-readable code, and details where there are some."""

    detail = serializers.CharField(help_text="What went wrong, for people")
    code = serializers.CharField(help_text="What went wrong, for programs (e.g. invalid, not_found, throttled)")
    errors = serializers.DictField(
        required=False, help_text="400: messages by field (by item index under `items` for a change set)"
    )
    conflicts = serializers.DictField(
        required=False, help_text="409: by item index, the record, its base and current revisions, the fields"
    )
    records = serializers.DictField(
        required=False, help_text="412: by record id, the revision named and the current one"
    )
    retry_after = serializers.IntegerField(required=False, help_text="429: seconds to wait")

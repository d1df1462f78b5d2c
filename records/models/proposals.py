"""Proposals: every change to published content goes through one, and a second person reviews it."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from records.models.base import Record, RecordType


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn by its author")


class ProposalQuerySet(models.QuerySet):
    def awaiting_review(self):
        return self.filter(status=ProposalStatus.SUBMITTED)

    def visible_to(self, user):
        """Authors see their own proposals; reviewers see every submitted or decided one."""
        if not user.is_authenticated:
            return self.none()
        if user.has_perm("records.review_proposal"):
            return self.filter(Q(author=user) | ~Q(status=ProposalStatus.DRAFT))
        return self.filter(author=user)


class Proposal(models.Model):
    """A change set: one or more record changes that belong together, reviewed and approved as one unit.

    draft → submitted → approved | rejected, or withdrawn by its author before a decision.
    """

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals")
    summary = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="reviewed_proposals"
    )
    decision_comment = models.TextField(blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="claimed_proposals"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    conflict = models.JSONField(
        null=True, blank=True, help_text="Why the last approval was refused: what changed since the base revision"
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Raised by every revision of the proposal; an approval names the version reviewed"
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        db_table = "records_proposal"
        ordering = ["-created_at", "-id"]
        permissions = [
            ("propose_change", "Can propose changes to records"),
            ("review_proposal", "Can approve or reject other people's proposals"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ProposalStatus.values), name="proposal_status_known"),
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True) | ~Q(reviewer=F("author")),
                name="proposal_four_eyes",
                violation_error_message="Nobody may review their own proposal.",
            ),
            models.CheckConstraint(
                condition=Q(claimed_by__isnull=True) | ~Q(claimed_by=F("author")),
                name="proposal_claim_not_author",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "rejected"])
                | (Q(reviewer__isnull=False) & Q(decided_at__isnull=False)),
                name="proposal_decision_has_reviewer",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_comment=""),
                name="proposal_rejection_has_reason",
                violation_error_message="A rejection needs a reason.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False) | Q(status="withdrawn"),
                name="proposal_submitted_has_time",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="proposal_version_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="proposal_queue"),
            models.Index(fields=["author", "-created_at"], name="proposal_author"),
        ]

    def __str__(self) -> str:
        return f"Proposal {self.pk}: {self.summary[:60]}"

    @property
    def claim_expires_at(self) -> dt.datetime | None:
        """When the reviewer's claim lapses (BAILANYS_CLAIM_TIMEOUT_MINUTES after it was made or renewed)."""
        if self.claimed_by_id is None or self.claimed_at is None:
            return None
        return self.claimed_at + dt.timedelta(minutes=settings.BAILANYS_CLAIM_TIMEOUT_MINUTES)

    def claim_live(self, now: dt.datetime | None = None) -> bool:
        """A claim holds until it lapses; a lapsed claim counts as none."""
        expires = self.claim_expires_at
        return expires is not None and (now or timezone.now()) < expires


class ProposalAction(models.TextChoices):
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    WITHDRAW = "withdraw", _("withdraw")
    REVERT = "revert", _("revert")


class ProposalItem(models.Model):
    """One record's change within a proposal: the complete proposed state and the revision it is based on.

    A new record is named by `ref` (e.g. "$org1") so that other items of the same proposal can refer to
    it before it exists; approval gives it its permanent id.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    action = models.CharField(max_length=10, choices=ProposalAction.choices)
    record_type = models.CharField(max_length=20, choices=RecordType.choices)
    record = models.ForeignKey(Record, null=True, blank=True, on_delete=models.PROTECT, related_name="proposal_items")
    ref = models.CharField(max_length=40, blank=True)
    base_revision = models.PositiveIntegerField(null=True, blank=True)
    revert_to = models.PositiveIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True, help_text="The complete proposed state of the record")
    revision = models.OneToOneField(
        "records.Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="proposal_item"
    )

    class Meta:
        db_table = "records_proposal_item"
        ordering = ["proposal", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=ProposalAction.values), name="proposal_item_action_known"),
            models.CheckConstraint(condition=Q(record_type__in=RecordType.values), name="proposal_item_type_known"),
            models.CheckConstraint(
                condition=(
                    Q(action="create")
                    & Q(base_revision__isnull=True)
                    & (Q(record__isnull=True) | Q(revision__isnull=False))
                )
                | (~Q(action="create") & Q(record__isnull=False) & Q(base_revision__isnull=False)),
                name="proposal_item_target",
                violation_error_message="A new record has no base revision and gets its id when approved; "
                "a change to an existing record names it and its base revision.",
            ),
            models.CheckConstraint(
                condition=~Q(action="revert") | Q(revert_to__isnull=False), name="proposal_item_revert_target"
            ),
            models.UniqueConstraint(fields=["proposal", "ref"], condition=~Q(ref=""), name="proposal_item_ref_unique"),
            models.UniqueConstraint(
                fields=["proposal", "record"], condition=Q(record__isnull=False), name="proposal_item_record_unique"
            ),
        ]
        indexes = [models.Index(fields=["record", "proposal"], name="proposal_item_record")]


class Comment(models.Model):
    """A message in a proposal's discussion."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "records_comment"
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="comment_not_empty")]


class Notification(models.Model):
    """An in-app message to a user: the outcome of their proposal, a new comment on it, a proposal they
    were reviewing changed by its author."""

    class Kind(models.TextChoices):
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        CONFLICT = "conflict", _("conflict")
        COMMENT = "comment", _("comment")
        CHANGED = "changed", _("changed by its author")
        CLAIM = "claim", _("claim taken over")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who did what the notice tells (the reviewer, the commenter); empty on older notices",
    )
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "records_notification"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox")]


class ApprovalRun(models.Model):
    """An approval of a large proposal, run by the worker (records/workflow/queued_approval.py): who
    approved which version, and how far publishing got (its own row, so that the worker reports its
    progress while the approval's transaction holds the proposal's lock). Gone once the proposal is
    published; `failed`, with the reason, when the approval was refused and nothing was published, or when
    its job stopped (approval_check: a dead worker's job is retried once, then the run fails)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting to be approved")
        RUNNING = "running", _("being approved")
        FAILED = "failed", _("failed")

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="approval_run")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    comment = models.TextField(blank=True)
    version = models.PositiveIntegerField(help_text="The proposal's version the reviewer approved")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0, help_text="Changes published so far")
    total = models.PositiveIntegerField(default=0, help_text="Changes of the proposal")
    error = models.TextField(blank=True, help_text="Why the approval was refused")
    job_id = models.BigIntegerField(null=True, blank=True, help_text="The worker's job (procrastinate_jobs.id)")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "records_approvalrun"


def approval_shown(proposal: Proposal) -> ApprovalRun | None:
    """The proposal's approval run as its page and the API show it: while the proposal is submitted, and a
    failed one only until the proposal is revised (the reason was about the version approved)."""
    run = getattr(proposal, "approval_run", None) if proposal.status == ProposalStatus.SUBMITTED else None
    if run is None or (run.state == ApprovalRun.State.FAILED and run.version != proposal.version):
        return None
    return run

"""Proposals, the reviewers' queue, the discussion and notifications.

Only people who may see a proposal (`Proposal.objects.visible_to`) can open it; everyone else gets 404,
so a page never reveals that someone else's draft exists. Every step calls one function of
the workflow (records/workflow/review.py), which checks the rights again (four eyes) and writes the audit entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from records.content.registry import registry
from records.forms.display import Lookups, state_changes, state_fields
from records.models import (
    Comment,
    Notification,
    Proposal,
    ProposalAction,
    ProposalItem,
    ProposalStatus,
    Revision,
)
from records.views.errors import REFUSALS, Refusal, forbidden, refusal_of, refusals_shown
from records.views.record_form import conflict_context, draft_form_refused
from records.workflow import review

PAGE_SIZE = 50


def _visible(request: HttpRequest, pk: int) -> Proposal:
    proposal = (
        Proposal.objects.visible_to(request.user)
        .select_related("author", "reviewer", "claimed_by")
        .filter(pk=pk)
        .first()
    )
    if proposal is None:
        raise Http404(_("No such proposal."))
    return proposal


def item_title(item: ProposalItem) -> str:
    """What a change is about: the record's name, or the proposed name of a new record."""
    if item.record_id and item.record is not None:
        return item.record.display_label
    spec = registry.find(item.record_type)
    data = item.data or {}
    return data.get(spec.label_name if spec else "name") or data.get("name") or data.get("title") or item.ref


def _items_queryset():
    return ProposalItem.objects.select_related("record").only(
        "proposal_id",
        "position",
        "action",
        "record_type",
        "record_id",
        "ref",
        "base_revision",
        "revert_to",
        "data",
        "record__label",
        "record__labels",
        "record__record_type",
        "record__revision",
        "record__status",
    )


# ------------------------------------------------------------------ lists


@login_required
def my_proposals(request: HttpRequest) -> HttpResponse:
    """The author's own proposals, newest first, with their state and outcome."""
    queryset = (
        Proposal.objects.filter(author=request.user)
        .select_related("reviewer")
        .prefetch_related(Prefetch("items", queryset=_items_queryset()))
        .order_by("-id")
    )
    before = request.GET.get("before", "")
    if before.isascii() and before.isdigit() and len(before) < 19:
        queryset = queryset.filter(id__lt=int(before))
    status = request.GET.get("status", "")
    if status in ProposalStatus.values:
        queryset = queryset.filter(status=status)
    page = list(queryset[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    for proposal in page:
        proposal.item_rows = [(item, item_title(item)) for item in proposal.items.all()]
    return render(
        request,
        "editing/proposals.html",
        {
            "proposals": page,
            "next_before": page[-1].pk if more else None,
            "status": status,
            "statuses": ProposalStatus.choices,
            "can_propose": review.can_propose(request.user),
        },
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Submitted proposals, oldest first, with their age, author, records and who claimed them."""
    if not review.can_review(request.user):
        return forbidden(request, _("The review queue is for reviewers."))
    queryset = (
        Proposal.objects.awaiting_review()
        .select_related("author", "claimed_by")
        .prefetch_related(Prefetch("items", queryset=_items_queryset()))
        .order_by("submitted_at", "id")
    )
    show = request.GET.get("show", "")
    now = timezone.now()
    if show == "unclaimed":  # a lapsed claim counts as none
        lapsed = Q(claimed_at__lte=now - dt.timedelta(minutes=settings.BAILANYS_CLAIM_TIMEOUT_MINUTES))
        queryset = queryset.filter(Q(claimed_by__isnull=True) | lapsed).exclude(author=request.user)
    elif show == "mine":
        queryset = queryset.filter(claimed_by=request.user)
    after = request.GET.get("after", "")
    if "_" in after:
        stamp, _sep, last_id = after.rpartition("_")
        when = parse_datetime(stamp)
        if when is not None and last_id.isascii() and last_id.isdigit() and len(last_id) < 19:
            queryset = queryset.filter(Q(submitted_at__gt=when) | Q(submitted_at=when, id__gt=int(last_id)))
    page = list(queryset[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    for proposal in page:
        proposal.claim_held = proposal.claim_live(now)
        proposal.item_rows = [(item, item_title(item)) for item in proposal.items.all()]
        proposal.age = now - proposal.submitted_at if proposal.submitted_at else dt.timedelta(0)
    last = page[-1] if more else None
    return render(
        request,
        "editing/queue.html",
        {
            "proposals": page,
            "show": show,
            "next_after": f"{last.submitted_at.isoformat()}_{last.pk}" if last else None,
        },
    )


# ------------------------------------------------------------------ one proposal


def proposal_context(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    """Everything the proposal page shows: each change as a diff, the discussion, what the viewer may do."""
    items = list(
        ProposalItem.objects.select_related("record", "revision").filter(proposal=proposal).order_by("position", "id")
    )
    wanted = Q(pk__in=[])
    for item in items:
        if item.record_id:
            numbers = {item.base_revision, item.record.revision}
            wanted |= Q(record_id=item.record_id, number__in=[n for n in numbers if n])
    snapshots = {
        (r.record_id, r.number): r.snapshot
        for r in Revision.objects.filter(wanted).only("record_id", "number", "snapshot")
    }
    lookups = Lookups()
    lookups.refs = {item.ref: item_title(item) for item in items if item.ref}
    shown_items = []
    for item in items:
        base = snapshots.get((item.record_id, item.base_revision), {}) if item.record_id else {}
        current_number = item.record.revision if item.record_id else None
        lookups.load(item.record_type, [base, item.data or {}])
        entry: dict[str, Any] = {
            "item": item,
            "title": item_title(item),
            "spec": registry.get(item.record_type),
            "moved_on": bool(
                item.record_id
                and proposal.status in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED)
                and current_number != item.base_revision
            ),
            "current_revision": current_number,
        }
        if item.action == ProposalAction.CREATE:
            entry["fields"] = state_fields(item.record_type, item.data or {}, lookups)
        elif item.action == ProposalAction.WITHDRAW:
            entry["fields"] = []
        else:
            entry["changes"] = state_changes(item.record_type, base, item.data or {}, lookups)
        shown_items.append(entry)
    conflicts = []
    if proposal.conflict:
        first_type = items[0].record_type if items else "place"
        by_index = {str(i): item.record_type for i, item in enumerate(items)}
        for index, raw in (proposal.conflict.get("items") or {}).items():
            conflicts += conflict_context(by_index.get(str(index), first_type), {"items": {index: raw}})
    user = request.user
    is_author = proposal.author_id == user.pk
    open_ = proposal.status in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED)
    may_review = review.can_review(user) and not is_author and proposal.status == ProposalStatus.SUBMITTED
    # Stored in English by review.py (it is also the e-mail's text); shown in the reader's language.
    stored = (proposal.conflict or {}).get("message")
    conflict_message = _(stored) if stored else ""
    approval_run = review.approval_checked(proposal)
    return {
        "proposal": proposal,
        "items": shown_items,
        "comments": list(Comment.objects.filter(proposal=proposal).select_related("author")),
        "conflicts": conflicts,
        "conflict_message": conflict_message,
        "approval_run": approval_run,
        "approval_error": _(approval_run.error) if approval_run and approval_run.error else "",
        "is_author": is_author,
        "can_edit": is_author and open_,
        "can_submit": is_author and proposal.status == ProposalStatus.DRAFT,
        "can_withdraw": is_author and open_,
        "may_review": may_review,
        "own_and_reviewer": is_author and review.can_review(user),
        "claimed_by_me": proposal.claimed_by_id == user.pk,
        "claim_held": proposal.claim_live(),
        "can_comment": True,
    }


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible(request, pk)
    Notification.objects.filter(user=request.user, proposal=proposal, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return render(request, "editing/proposal.html", proposal_context(request, proposal))


def _page_again(request: HttpRequest, pk: int, status: int, **extra: Any) -> HttpResponse:
    context = proposal_context(request, _visible(request, pk))
    context.update(extra)
    return render(request, "editing/proposal.html", context, status=status)


@login_required
@require_POST
@refusals_shown
def proposal_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """submit, withdraw, claim, release, approve, reject or comment: one workflow function each."""
    proposal = _visible(request, pk)  # 404 before any rights check reveals the proposal exists
    done = {
        "submit": _("Submitted for review."),
        "withdraw": _("The proposal was withdrawn."),
        "claim": _("You are reviewing this proposal; others see it is claimed."),
        "release": _("You released the proposal for other reviewers."),
        "approve": _("Approved and published."),
        "reject": _("Rejected; the author is told why."),
        "comment": _("Your comment was added."),
    }
    if step not in done:
        raise Http404
    reason, body = request.POST.get("reason", ""), request.POST.get("body", "")
    if step == "reject" and not reason.strip():
        return _page_again(request, pk, 400, reject_error=_("Say why the proposal is rejected."), reason=reason)
    if step == "comment" and not body.strip():
        return _page_again(request, pk, 400, comment_error=_("Write something."), body=body)
    try:
        taken = _step_take(step, proposal.pk, request.user, request.POST)
    except REFUSALS as exc:
        return _step_refused(request, proposal, step, refusal_of(exc))
    messages.success(request, taken or done[step])
    return redirect("editing:proposal", pk=proposal.pk)


def _step_take(step: str, pk: int, user, post) -> str | None:
    """Take the step; a message when it is not done yet (a large approval queued for the worker)."""
    if step == "submit":
        review.proposal_submit(proposal_id=pk, author=user)
    elif step == "withdraw":
        review.proposal_withdraw(proposal_id=pk, author=user)
    elif step in ("claim", "release"):
        review.proposal_claim(proposal_id=pk, reviewer=user, release=step == "release")
    elif step == "approve":  # the form names the version it showed (checked when given, as in the API)
        version = post.get("version", "").strip()
        if version and not (version.isdigit() and len(version) < 10):
            raise review.WrongStatus(_("Reload the proposal and approve the version you read."))
        version = int(version) if version else None
        approved = review.approval_request(
            proposal_id=pk, reviewer=user, comment=post.get("comment", ""), version=version
        )
        if approved.status == ProposalStatus.SUBMITTED:
            return _("The proposal is large: it is being approved in the background; this page shows how far.")
    elif step == "reject":
        review.proposal_reject(proposal_id=pk, reviewer=user, reason=post.get("reason", ""))
    else:
        review.comment_add(proposal_id=pk, author=user, body=post.get("body", ""))
    return None


def _step_refused(request: HttpRequest, proposal: Proposal, step: str, refused: Refusal) -> HttpResponse:
    """A refused step on the proposal's page: a draft's invalid changes in its form; other invalid input
    on the page; a conflict on the page (for a draft, with the conflicting fields); a proposal that is
    no longer in that status as a message on the page as it is now."""
    if refused.code == "invalid":
        if step == "submit":
            return draft_form_refused(request, proposal, refused.errors)
        return _page_again(request, proposal.pk, refused.status, step_errors=refused.messages)
    messages.error(request, refused.messages[0])
    if refused.code != "conflict":
        return redirect("editing:proposal", pk=proposal.pk)
    extra: dict[str, Any] = {"approve_comment": request.POST.get("comment", "")}
    if step == "submit":
        items = list(proposal.items.all())
        record_type = items[0].record_type if items else "place"
        extra.update(conflicts=conflict_context(record_type, refused.conflict), conflict_message=refused.messages[0])
    return _page_again(request, proposal.pk, refused.status, **extra)


# ------------------------------------------------------------------ notifications


def notification_text(notification: Notification) -> str:
    """A notice in the reader's language. The stored message is English (it is also the e-mail, sent
    before anyone's language is known); the page says the same from the notice's kind and proposal."""
    proposal = notification.proposal
    kind = notification.kind
    decider = notification.actor or proposal.reviewer  # notices from before the actor was kept have none
    if kind == Notification.Kind.APPROVED and decider is not None:
        return _("Your proposal #%(n)s was approved by %(name)s and is published.") % {
            "n": proposal.pk,
            "name": decider.public_name,
        }
    if kind == Notification.Kind.REJECTED and decider is not None:
        return _("Your proposal #%(n)s was rejected by %(name)s: %(reason)s") % {
            "n": proposal.pk,
            "name": decider.public_name,
            "reason": proposal.decision_comment,
        }
    if kind == Notification.Kind.CONFLICT:
        return _(
            "Your proposal #%(n)s could not be approved: the published records have changed since it was made. "
            "Please revise it."
        ) % {"n": proposal.pk}
    if kind == Notification.Kind.CHANGED and notification.actor is not None:
        return _("%(name)s changed proposal #%(n)s, which you were reviewing; it is back in the queue.") % {
            "name": notification.actor.public_name,
            "n": proposal.pk,
        }
    if kind == Notification.Kind.CLAIM and notification.actor is not None:
        return _("Your claim on proposal #%(n)s lapsed; %(name)s is reviewing it now.") % {
            "n": proposal.pk,
            "name": notification.actor.public_name,
        }
    if kind == Notification.Kind.COMMENT:
        if notification.actor is not None:
            return _("%(name)s commented on proposal #%(n)s.") % {
                "name": notification.actor.public_name,
                "n": proposal.pk,
            }
        return _("New comment on proposal #%(n)s.") % {"n": proposal.pk}  # the commenter is unknown or deleted
    return notification.message


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    queryset = (
        Notification.objects.filter(user=request.user).select_related("actor", "proposal__reviewer").order_by("-id")
    )
    before = request.GET.get("before", "")
    if before.isascii() and before.isdigit() and len(before) < 19:
        queryset = queryset.filter(id__lt=int(before))
    page = list(queryset[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    for notification in page:
        notification.text = notification_text(notification)
    return render(
        request,
        "editing/notifications.html",
        {"notifications": page, "next_before": page[-1].pk if more else None},
    )


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("All notifications are marked as read."))
    return redirect("editing:notifications")

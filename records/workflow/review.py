"""The moderation workflow, written once for every record type: its public face.

propose → (draft) → submitted → approved | rejected, or withdrawn by the author. Every path that
changes published content — pages, API, admin, the seed loader — calls these functions, so every
change leaves the same history and passes the same four-eyes check. Each function is one transaction;
e-mail goes out on commit. Callers import this module (`from records.workflow import review`); the
steps live in the modules named below, by concern.
"""

from records.workflow.approval import proposal_approve
from records.workflow.errors import ClaimHeld, Conflict, NotFound, ProposalInvalid, StaleVersion, WrongStatus
from records.workflow.items import MAX_ITEMS, ItemInput
from records.workflow.proposing import (
    proposal_create,
    proposal_revise,
    proposal_save,
    proposal_submit,
    proposal_withdraw,
)
from records.workflow.queued_approval import approval_checked, approval_request
from records.workflow.reviewing import comment_add, proposal_claim, proposal_reject
from records.workflow.rights import can_propose, can_review

__all__ = [
    "MAX_ITEMS",
    "ClaimHeld",
    "Conflict",
    "ItemInput",
    "NotFound",
    "ProposalInvalid",
    "StaleVersion",
    "WrongStatus",
    "approval_checked",
    "approval_request",
    "can_propose",
    "can_review",
    "comment_add",
    "proposal_approve",
    "proposal_claim",
    "proposal_create",
    "proposal_reject",
    "proposal_revise",
    "proposal_save",
    "proposal_submit",
    "proposal_withdraw",
]

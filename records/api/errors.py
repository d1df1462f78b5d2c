"""One JSON shape for every API error: {"detail": message, "code": code, ...details}.

Domain exceptions map to HTTP here, so views stay thin: invalid content 400 with field errors,
rights 401/403, unknown or invisible things 404, withdrawn records 410, stale revisions 409/412.
"""

from __future__ import annotations

import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from records.workflow.review import Conflict, NotFound, ProposalInvalid, WrongStatus


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = "This record was withdrawn."
    default_code = "gone"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record has changed since the revision named in If-Match."
    default_code = "precondition_failed"


def proposal_errors(errors: dict, single: bool) -> dict:
    """Field errors of a proposal: flat for a one-record proposal, by item index for a change set."""
    if single and set(errors) <= {0}:
        return errors.get(0, {})
    return {"items": {str(index): value for index, value in errors.items()}}


def _workflow_error(exc: Exception, single: bool) -> Response | None:
    """The workflow's refusals that carry details of their own: invalid content, conflicts, wrong status."""
    if isinstance(exc, ProposalInvalid):
        return Response(
            {"detail": "The proposal is invalid.", "code": "invalid", "errors": proposal_errors(exc.errors, single)},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Conflict):
        return Response(
            {"detail": exc.message, "code": "conflict", "conflicts": {str(k): v for k, v in exc.items.items()}},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, WrongStatus):
        return Response({"detail": str(exc), "code": "invalid_state"}, status=status.HTTP_409_CONFLICT)
    return None


def _as_drf(exc: Exception) -> Exception:
    """The workflow's and Django's not-found and permission errors as DRF's, so DRF answers them."""
    if isinstance(exc, NotFound):
        return exceptions.NotFound(str(exc))
    if isinstance(exc, DjangoPermissionDenied) and exc.args:
        return exceptions.PermissionDenied(str(exc))
    if isinstance(exc, Http404):
        return exceptions.NotFound("Not found.")
    return exc


def exception_handler(exc, context):
    single = context.get("single_item", True) if isinstance(context, dict) else True
    view = context.get("view") if isinstance(context, dict) else None
    single = getattr(view, "single_item", single)
    workflow_response = _workflow_error(exc, single)
    if workflow_response is not None:
        return workflow_response
    exc = _as_drf(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        body = {"detail": "Invalid input.", "code": "invalid", "errors": data}
    elif isinstance(data, dict) and "detail" in data:
        detail = data["detail"]
        body = {"detail": str(detail), "code": getattr(detail, "code", None) or exc.default_code}
        body.update({k: v for k, v in data.items() if k != "detail"})
    else:
        body = {"detail": str(data), "code": getattr(exc, "default_code", "error")}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        body["retry_after"] = max(1, math.ceil(exc.wait))
        response["Retry-After"] = str(body["retry_after"])
    if isinstance(exc, PreconditionFailed) and getattr(exc, "records", None):
        body["records"] = exc.records
    response.data = body
    return response

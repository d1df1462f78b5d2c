"""What a typed EDTF date means, for the forms' preview (server-side and the live JSON endpoint).

The words come from records/dates/display.py, the same reading the public pages give, in the active
language; the bounds from records/dates/edtf.py, the same the filters use.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from records.dates import edtf
from records.dates.display import edtf_human


def edtf_preview(value: str) -> dict:
    """Words and bounds for a typed date, or the validator's message when it is not valid EDTF."""
    value = (value or "").strip()
    if not value:
        return {"valid": False, "text": "", "error": ""}
    try:
        bounds = edtf.parse(value)
    except ValidationError as exc:
        return {"valid": False, "text": "", "error": " ".join(exc.messages)}
    return {
        "valid": True,
        "text": edtf_human(value),
        "error": "",
        "lower": bounds.lower.isoformat() if bounds.lower else None,
        "upper": bounds.upper.isoformat() if bounds.upper else None,
    }

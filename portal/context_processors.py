from django.conf import settings
from django.utils.functional import SimpleLazyObject

from records.models import Notification
from records.workflow.review import can_propose, can_review


def site(request):
    return {"SITE_NAME": "Bailanys", "PUBLIC_BASE_URL": settings.BAILANYS_PUBLIC_BASE_URL}


def workspace(request):
    """What the header shows a signed-in person: their workspace links and unread notifications.
    Lazy, so a page that does not show them runs no query."""

    def build() -> dict:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return {"can_propose": False, "can_review": False, "unread": 0}
        return {
            "can_propose": can_propose(user),
            "can_review": can_review(user),
            "unread": Notification.objects.filter(user=user, read_at__isnull=True)[:100].count(),
        }

    return {"workspace": SimpleLazyObject(build)}

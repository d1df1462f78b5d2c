from django.conf import settings


def site(request):
    return {"SITE_NAME": "Bailanys", "PUBLIC_BASE_URL": settings.BAILANYS_PUBLIC_BASE_URL}

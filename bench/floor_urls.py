"""The Django floor (see bench/floor.py): one view that answers with the bytes the portal answered."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from bench.floor import responses


@csrf_exempt  # the floor of a POST answers like the floor of a GET
def floor(request, key: str) -> HttpResponse:
    found = responses().get(key)
    if found is None:
        return HttpResponse(b"no floor\n", status=404, content_type="text/plain")
    status, headers, body = found
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response[name] = value
    return response


urlpatterns = [path("floor/<str:key>/", floor), path("floor/<str:key>", floor)]

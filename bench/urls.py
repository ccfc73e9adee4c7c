"""The project's URLs, and one more for the benchmark: /bench/trivial/, a plain-text answer
that goes through every middleware a page goes through (session, login required, the
staff and branch lookup, ...), so its speed is the floor any page stands on."""

from django.http import HttpResponse
from django.urls import path

from studio import urls as project

handler400 = project.handler400


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial, name="bench_trivial"), *project.urlpatterns]

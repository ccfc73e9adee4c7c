"""Refusal pages drawn in the studio's layout and the reader's language.

Django renders 400 and CSRF failures without the request (so without the menu or the
user's name); these render them with it. 403 and 404 use Django's handlers, which already
pass the request, with templates/403.html and 404.html. 500 stays Django's: with nothing but
the template, so a broken context processor can't break the error page too.
"""

from django.shortcuts import render


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)

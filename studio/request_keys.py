"""Request keys: one key per rendering of a form, so a double submit (a second press, a
browser resending the request) does its work once. The form carries the key as a hidden
field; the row it made keeps it in a unique column; the service looks for it before it
locks and again after (the second request waited for the first one's lock), and a unique
violation at insert means the other request won (docs/decisions.md, "Request keys")."""

import uuid
from typing import TypeVar

from django import forms
from django.db import models

M = TypeVar("M", bound=models.Model)


def key_field(*, required: bool = True) -> forms.CharField:
    """The form's hidden key, new at every rendering."""
    return forms.CharField(
        widget=forms.HiddenInput, max_length=64, required=required, initial=lambda: uuid.uuid4().hex
    )


def key_column(*, editable: bool = True) -> models.CharField:
    """The column that keeps the key of the request that made the row (unique; empty for
    rows made without a form)."""
    return models.CharField(max_length=64, null=True, blank=True, unique=True, editable=editable)


def done_with(
    queryset: "models.QuerySet[M] | models.Manager[M]",
    request_key: str | None,
    field: str = "request_key",
) -> M | None:
    """The row this request already made, or None (also when there is no key)."""
    if not request_key:
        return None
    return queryset.filter(**{field: request_key}).first()

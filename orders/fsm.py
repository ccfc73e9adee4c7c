"""The one module that knows how django-fsm-2 keeps its transitions.

Models declare transitions with django-fsm-2's public `@transition` (its `custom=` dict
carries our metadata: labels, button texts) and `FSMField`; everything else asks here
which transitions a model has, what they say about themselves and which lead out of a
state. django-fsm-2 keeps a method's transitions on a private `_django_fsm` attribute and
its admin runs a transition in a private `_execute_fsm_transition`: both are used here
only, and tests/orders/test_fsm.py pins what we rely on, so an upgrade that changes them
breaks this file's tests, loudly, and nothing else.
"""

from collections.abc import Mapping
from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from django_fsm import Transition
from django_fsm.admin import FSMAdminMixin

FIELD = "state"


def _meta(model: type[Model], name: str) -> Any:
    """django-fsm-2's record of the transitions of method `name` (one per source)."""
    meta = getattr(getattr(model, name, None), "_django_fsm", None)
    if meta is None:
        raise ValueError(f"{model.__name__}.{name} is not a transition")
    return meta


def names(model: type[Model], field: str = FIELD) -> tuple[str, ...]:
    """The names of `model`'s transitions on `field`, in the order the class declares them
    (django-fsm-2 lists them alphabetically)."""
    fsm_field: Any = model._meta.get_field(field)
    declared = {t.name for t in fsm_field.get_all_transitions(model)}
    ordered: list[str] = []
    for klass in reversed(model.__mro__):
        ordered += [n for n in vars(klass) if n in declared and n not in ordered]
    return tuple(ordered)


def transitions(model: type[Model], field: str = FIELD) -> list[Transition]:
    """Every (source, target) edge of `field`'s transitions, in declaration order."""
    by_name: dict[str, list[Transition]] = {}
    fsm_field: Any = model._meta.get_field(field)
    for t in fsm_field.get_all_transitions(model):
        by_name.setdefault(t.name, []).append(t)
    return [t for name in names(model, field) for t in by_name[name]]


def is_transition(model: type[Model], name: str) -> bool:
    try:
        _meta(model, name)
    except ValueError:
        return False
    return True


def custom(model: type[Model], name: str) -> dict[str, Any]:
    """The `custom=` dict of transition `name` (the same for each of its sources)."""
    found = next(iter(_meta(model, name).transitions.values()))
    return dict(found.custom)


def targets(model: type[Model], name: str) -> set[str]:
    """The states transition `name` can lead to."""
    return {t.target for t in _meta(model, name).transitions.values()}


def from_state(model: type[Model], name: str, state: str) -> Transition | None:
    """Transition `name` as it leaves `state` (its guards, permission), or None when it
    does not lead out of `state`."""
    meta = _meta(model, name)
    if not meta.has_transition(state):
        return None
    found: Transition = meta.get_transition(state)
    return found


def current(instance: Model, name: str, field: str = FIELD) -> Transition | None:
    """Transition `name` from `instance`'s current state, or None."""
    return from_state(type(instance), name, getattr(instance, field))


def leading_out(instance: Model, field: str = FIELD) -> list[str]:
    """The names of the transitions that lead out of `instance`'s current state, guards
    not asked, in declaration order."""
    return [n for n in names(type(instance), field) if current(instance, n, field)]


class TransitionAdminMixin(FSMAdminMixin):
    """django-fsm-2's admin buttons, with the transition itself run by
    `run_transition(obj, name, request, note)` (our service) instead of by calling the
    method: django-fsm-2 4.x has no public hook for that, only `_execute_fsm_transition`."""

    def run_transition(self, *, obj: Any, name: str, request: HttpRequest, note: str) -> None:
        raise NotImplementedError

    def _execute_fsm_transition(
        self,
        *,
        transition_func: Any,
        request: HttpRequest,
        kwargs: Mapping[str, Any] | None = None,
    ) -> None:
        self.run_transition(
            obj=transition_func.__self__,
            name=transition_func.__name__,
            request=request,
            note=(kwargs or {}).get("description", ""),
        )

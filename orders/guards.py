"""Transition guards that can explain themselves.

django-fsm's `conditions` only answer yes or no. A guard is a condition that also carries
the sentence staff need when it says no, so pages and errors can tell what is missing.
"""

from .fsm import current


def guard(message):
    def decorate(condition):
        condition.message = message
        return condition

    return decorate


def blocked_reasons(instance, transition_name):
    """The messages of every guard that blocks `transition_name` from the current state."""
    found = current(instance, transition_name)
    if found is None:
        return []
    return [str(c.message) for c in found.conditions if not c(instance)]

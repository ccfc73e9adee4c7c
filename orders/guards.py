"""Transition guards that can explain themselves.

django-fsm's `conditions` only answer yes or no. A guard is a condition that also carries
the sentence staff need when it says no, so pages and errors can tell what is missing.
"""


def guard(message):
    def decorate(condition):
        condition.message = message
        return condition

    return decorate


def blocked_reasons(instance, transition_name):
    """The messages of every guard that blocks `transition_name` from the current state."""
    method = getattr(instance, transition_name)
    meta = method._django_fsm
    current = meta.field.get_state(instance)
    found = meta.get_transition(current)
    if found is None:
        return []
    return [str(c.message) for c in found.conditions if not c(instance)]

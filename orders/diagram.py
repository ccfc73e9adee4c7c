"""The Order's state diagram, drawn from the transitions in the code (Mermaid)."""

from .models import Order, State
from .services import TRANSITIONS


def mermaid():
    field = Order._meta.get_field("state")
    lines = ["stateDiagram-v2", f"    [*] --> {State.BOOKED.value}"]
    transitions = sorted(
        field.get_all_transitions(Order),
        key=lambda t: (TRANSITIONS.index(t.name), str(t.source)),
    )
    for t in transitions:
        guards = [c.__name__.lstrip("_") for c in t.conditions]
        label = t.name + (f" [{', '.join(guards)}]" if guards else "")
        if t.permission:
            label += " (manager)"
        lines.append(f"    {t.source} --> {t.target}: {label}")
    lines += [f"    {State.DELIVERED.value} --> [*]", f"    {State.CANCELLED.value} --> [*]"]
    return "\n".join(lines) + "\n"


def document():
    return (
        "# The Order's states\n\n"
        "Generated from `orders/models.py` by `python manage.py order_diagram`; "
        "a test fails when this file and the code disagree. Guards are in brackets.\n\n"
        "```mermaid\n" + mermaid() + "```\n"
    )

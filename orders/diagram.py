"""The Order's state diagram, drawn from the transitions in the code (Mermaid)."""

from . import fsm
from .models import Order, State


def mermaid():
    lines = ["stateDiagram-v2", f"    [*] --> {State.BOOKED.value}"]
    for t in fsm.transitions(Order):
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

from orders.diagram import document
from orders.management.commands.order_diagram import TARGET


def test_the_documented_diagram_matches_the_code():
    assert TARGET.read_text(encoding="utf-8") == document(), (
        "Run `python manage.py order_diagram` and commit docs/order-states.md."
    )


def test_the_diagram_shows_every_guard():
    assert "check_in [shoot_is_today, paid_if_branch_requires]" in document()

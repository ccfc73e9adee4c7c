from django.utils import timezone

from .models import Shoot


def planned_shoot(order):
    return order.shoots.filter(status=Shoot.Status.PLANNED).order_by("starts_at").first()


def shoot_for_check_in(order):
    """The planned shoot that falls on today's date in the branch's time zone, if any."""
    today = order.branch.today()
    for shoot in order.shoots.filter(status=Shoot.Status.PLANNED):
        if timezone.localtime(shoot.starts_at, order.branch.tzinfo).date() == today:
            return shoot
    return None

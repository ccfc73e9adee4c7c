"""A staff member's own bookings as iCalendar, for the phone's calendar app."""

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event


def render_feed(staff, shoots):
    cal = Calendar()
    cal.add("prodid", "-//Studio office//Shoots//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Shoots: %(name)s") % {"name": staff.display_name})
    for shoot in shoots:
        event = Event()
        event.add("uid", f"shoot-{shoot.pk}@studio")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", shoot.starts_at)
        event.add("dtend", shoot.ends_at)
        # Names only: no phone numbers, addresses or money leave the studio this way.
        event.add("summary", _("Shoot: %(couple)s") % {"couple": shoot.order.customer})
        if shoot.room is not None:
            event.add("location", f"{shoot.branch.name} · {shoot.room.name}")
        else:
            event.add("location", shoot.branch.name)
        event.add("status", "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()

"""The custom check of /health/: beat is alive when its heartbeat is recent.

Beat sends `studio.tasks.heartbeat` every minute and a worker records it in
WorkerHeartbeat("beat"); an old or missing row means beat (or every worker) stopped.
"""

import dataclasses
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from .models import WorkerHeartbeat


@dataclasses.dataclass
class BeatHeartbeat(HealthCheck):
    name: str = "beat"

    async def run(self):
        # The async ORM runs the query in the request's own thread and connection.
        max_age = timedelta(seconds=settings.HEALTH_BEAT_MAX_AGE_SECONDS)
        beat = await WorkerHeartbeat.objects.filter(name=self.name).afirst()
        if beat is None:
            raise ServiceUnavailable(_("No heartbeat from beat yet."))
        age = timezone.now() - beat.last_seen
        if age > max_age:
            raise ServiceUnavailable(
                _("Beat's last heartbeat is %(minutes)d minutes old.")
                % {"minutes": age.total_seconds() // 60}
            )

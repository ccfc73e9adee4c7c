"""Demo monthly targets for the reports page: `demo_studio.targets.seed(branch, team, rng)`.

Call it for each branch once the team exists (demo_studio/chain.py owns the order of things).
"""

from datetime import timedelta
from decimal import Decimal

from studio import roles
from studio.models import MonthlyTarget


def seed(branch, team, rng):
    """This month's and last month's targets: the branch's, and one per order taker."""
    this_month = branch.today().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    takers = [s for s in team if roles.RECEPTIONIST in s.role_set and branch.pk in s.branch_ids]
    targets = []
    for month in (last_month, this_month):
        targets.append(
            MonthlyTarget.objects.create(
                branch=branch,
                month=month,
                deals=rng.randint(8, 12),
                revenue=Decimal(rng.randrange(80_000, 120_001, 5_000)),
            )
        )
        for staff in takers:
            targets.append(
                MonthlyTarget.objects.create(
                    branch=branch,
                    month=month,
                    staff=staff,
                    deals=rng.randint(3, 5),
                    revenue=Decimal(rng.randrange(30_000, 45_001, 5_000)),
                )
            )
    return targets

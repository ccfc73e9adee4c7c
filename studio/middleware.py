import zoneinfo

from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from .models import Branch, Staff


class StaffRequest(HttpRequest):
    """For type hints only: a request that reached a page requiring a role carries, from
    BranchMiddleware, the staff member and the branch they are working at."""

    staff: Staff
    branch: Branch


class BranchMiddleware:
    """Puts `request.staff` and `request.branch` on the request and shows times in the
    branch's time zone. A user working at several branches picks one (kept in the session)."""

    SESSION_KEY = "branch_id"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.staff = None
        request.branch = None
        user = request.user
        if user.is_authenticated:
            request.staff = self._staff(user)
            if request.staff is not None:
                request.branch = self._current_branch(request)
        if request.branch is not None:
            timezone.activate(zoneinfo.ZoneInfo(request.branch.timezone))
        else:
            timezone.deactivate()
        return self.get_response(request)

    @staticmethod
    def _staff(user):
        """The user's staff profile with its roles (the user's groups) in the same query: a
        row per role. No ordering (the user is unique) and the user already loaded."""
        rows = list(
            Staff.objects.filter(user=user, is_active=True)
            .annotate(role_name=F("user__groups__name"))
            .order_by()
        )
        if not rows:
            return None
        staff = rows[0]
        staff.user = user
        staff.__dict__["role_set"] = frozenset(r.role_name for r in rows if r.role_name)
        return staff

    def _current_branch(self, request):
        """The branch picked in the session, else the user's first by code. One query:
        the user's branches, which also give `staff.branch_ids` for the scoping."""
        staff = request.staff
        if staff.user.is_superuser:
            branches = list(Branch.objects.order_by("code"))
        else:
            branches = list(staff.branches.order_by("code"))
        staff.__dict__["branch_ids"] = frozenset(b.pk for b in branches)  # the cached_property
        wanted = request.session.get(self.SESSION_KEY)
        for branch in branches:
            if branch.pk == wanted:
                return branch
        return branches[0] if branches else None

import zoneinfo

from django.http import HttpRequest
from django.utils import timezone

from .models import Branch, Staff

_UNREAD = object()


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
            # Read with the user by studio.backends.StaffBackend; else read now.
            staff = getattr(user, "signed_in_staff", _UNREAD)
            request.staff = Staff.objects.signed_in(user) if staff is _UNREAD else staff
            if request.staff is not None:
                request.branch = self._current_branch(request)
        if request.branch is not None:
            timezone.activate(zoneinfo.ZoneInfo(request.branch.timezone))
        else:
            timezone.deactivate()
        return self.get_response(request)

    def _current_branch(self, request):
        staff = request.staff
        wanted = request.session.get(self.SESSION_KEY)
        for branch in staff.own_branches:  # read with the staff member
            if branch.pk == wanted:
                return branch
        if staff.user.is_superuser:
            if wanted in staff.branch_ids:
                return Branch.objects.get(pk=wanted)
            return Branch.objects.order_by("code").first()
        # The first of their branches by code, if they work at any.
        return staff.own_branches[0] if staff.own_branches else None

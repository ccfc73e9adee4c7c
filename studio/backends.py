"""How a signed-in request finds its user: Django's ModelBackend, reading the user with
their staff member, roles and branches in one prepared statement (every request needs all
of them: BranchMiddleware), where ModelBackend's `get_user` built an ORM query for the user
alone and BranchMiddleware a second query for the rest."""

from django.contrib.auth.backends import ModelBackend

from .models import Staff


class StaffBackend(ModelBackend):
    def get_user(self, user_id):
        user = Staff.objects.user_signed_in(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from demo_studio import chain as demo
from studio.models import Branch


class Command(BaseCommand):
    help = "Build a demo studio: 2 branches, staff for every role, customers and orders."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database has data."
        )

    def handle(self, *args, if_empty=False, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo refuses to run with DEBUG off (a real studio's data).")
        if not demo.is_empty():
            if if_empty:
                self.stdout.write("The database already has data; demo not loaded.")
                self.print_logins()
                return
            raise CommandError("The database already has data; seed_demo needs an empty one.")
        demo.build()
        self.stdout.write(self.style.SUCCESS("Demo studio ready."))
        self.print_logins()

    def print_logins(self):
        """Every branch's demo login per role (the ones that exist in this database)."""
        branches = list(Branch.objects.order_by("pk"))
        rows = demo.login_table(branches)
        existing = set(
            User.objects.filter(
                username__in=[u for _role, names in rows for u in names if u]
            ).values_list("username", flat=True)
        )
        if not existing:
            return
        width = max(len(u) for u in existing) + 2
        self.stdout.write(self.style.SUCCESS("Logins (one per role and branch):"))
        header = f"  {'role':<22}" + "".join(f"{b.code:<{width}}" for b in branches)
        self.stdout.write(header.rstrip())
        for role, names in rows:
            cells = [u if u in existing else "" for u in names]
            if any(cells):
                line = f"  {role:<22}" + "".join(f"{c:<{width}}" for c in cells)
                self.stdout.write(line.rstrip())
        self.stdout.write(f"Password for all: {demo.PASSWORD}")

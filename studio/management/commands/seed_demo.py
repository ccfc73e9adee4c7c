from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from studio import demo


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
                return
            raise CommandError("The database already has data; seed_demo needs an empty one.")
        logins = demo.build()
        self.stdout.write(self.style.SUCCESS("Demo studio ready. Logins (one per role):"))
        for username, role in logins:
            self.stdout.write(f"  {username:<22} {role}")
        self.stdout.write(f"Password for all: {demo.PASSWORD}   (admin: admin / same password)")

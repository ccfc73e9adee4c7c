from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo studio (`manage.py seed_demo`), built through every stage's services.

    At the top of the layers beside `overview`: no app imports it.
    """

    name = "demo_studio"
    verbose_name = _("Demo")

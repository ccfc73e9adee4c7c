from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self):
        # The kinds of text this app writes (studio.texts), and what it does when the core
        # announces something (studio.signals).
        from . import receivers, texts  # noqa: F401

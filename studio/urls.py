from datetime import timedelta

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language
from health_check.views import HealthCheckView

from . import views

app_patterns = (
    [
        path("packages/", views.PackageListView.as_view(), name="packages"),
        path("branch/", views.switch_branch, name="switch_branch"),
        path("rota/", views.RotaView.as_view(), name="rota"),
        path("visits/new/", views.VisitCreateView.as_view(), name="visit_new"),
        path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit"),
        path("customers/search/", views.CustomerSearchView.as_view(), name="customer_search"),
        path("customers/<int:pk>/edit/", views.CustomerEditView.as_view(), name="customer_edit"),
        path("leave/", views.LeaveView.as_view(), name="leave"),
        path("lockouts/", views.LockoutListView.as_view(), name="lockouts"),
        path(
            "discounts/<int:pk>/decide/",
            views.DiscountDecisionView.as_view(),
            name="decide_discount",
        ),
    ],
    "studio",
)


def _health_checks():
    """What /health/ checks: the database, Redis (cache and sessions), a Celery worker's
    answer to a ping, the upload storage, and beat's heartbeat."""
    checks = [
        "health_check.checks.Database",
        "health_check.checks.Cache",
        "health_check.checks.Storage",
        # One worker answering is enough: do not wait the whole timeout for the others.
        ("health_check.contrib.celery.Ping", {"timeout": timedelta(seconds=2), "limit": 1}),
        "studio.health.BeatHeartbeat",
    ]
    if settings.REDIS_URL:
        from redis.asyncio import Redis

        checks.append(
            (
                "health_check.contrib.redis.Redis",
                {"client_factory": lambda: Redis.from_url(settings.REDIS_URL)},
            )
        )
    return checks


urlpatterns = [
    path(
        "health/",
        login_not_required(HealthCheckView.as_view(checks=_health_checks())),
        name="health",
    ),
    # Today (the home page), the customer file and the reports: pages above the stages.
    path("", include("overview.urls")),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("jsi18n/", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("studio/", include(app_patterns)),
    path("orders/", include("orders.urls")),
    path("shoots/", include("shoots.urls")),
    path("selection/", include("selection.urls")),
    path("pickup/", include("pickup.urls")),
    path("rentals/", include("rentals.urls")),
    path("followups/", include("followups.urls")),
    # The couple's own page (by its private link) and the staff's page of its links.
    path("", include("couple.urls")),
]

handler400 = "studio.errors.bad_request"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

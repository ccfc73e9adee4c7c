from django.urls import include, path

from . import views

pages = (
    [
        path("customers/<int:pk>/", views.CustomerDetailView.as_view(), name="customer"),
        path("reports/", views.ReportsView.as_view(), name="reports"),
    ],
    "overview",
)

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("studio/", include(pages)),  # the paths they had when the core served them
]

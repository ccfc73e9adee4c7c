from django.urls import include, path

from . import views

pages = (
    [
        path("customers/<int:pk>/", views.CustomerDetailView.as_view(), name="customer"),
        path(
            "customers/<int:pk>/export.json",
            views.CustomerExportJSONView.as_view(),
            name="customer_export_json",
        ),
        path(
            "customers/<int:pk>/export.pdf",
            views.CustomerExportPDFView.as_view(),
            name="customer_export_pdf",
        ),
        path("customers/<int:pk>/erase/", views.CustomerEraseView.as_view(), name="customer_erase"),
        path("reports/", views.ReportsView.as_view(), name="reports"),
    ],
    "overview",
)

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("studio/", include(pages)),  # the paths they had when the core served them
]

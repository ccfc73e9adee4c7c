from django.urls import path

from . import views

app_name = "followups"
urlpatterns = [
    path("tasks/", views.TaskListView.as_view(), name="tasks"),
    path("tasks/<int:pk>/close/", views.TaskCloseView.as_view(), name="close_task"),
    path("care-rules/", views.CareRuleListView.as_view(), name="care_rules"),
    path("care-rules/<int:pk>/", views.CareRuleUpdateView.as_view(), name="care_rule"),
    path("messages/", views.MessageReportView.as_view(), name="message_report"),
    path(
        "customers/<int:pk>/complaint/",
        views.ComplaintCreateView.as_view(),
        name="log_complaint",
    ),
]

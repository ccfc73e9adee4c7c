from django.urls import path

from . import views

app_name = "followups"
urlpatterns = [
    path("tasks/", views.TaskListView.as_view(), name="tasks"),
    path("tasks/<int:pk>/close/", views.TaskCloseView.as_view(), name="close_task"),
]

from django.urls import path

from . import hooks, views

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
    path("messages/to-check/", views.CheckMessageListView.as_view(), name="messages_to_check"),
    path(
        "messages/<int:pk>/settle/", views.SettleCheckMessageView.as_view(), name="settle_message"
    ),
    # The gateways' callbacks: no login, a secret token each (followups.hooks).
    path("hooks/alibaba/<str:token>/report/", hooks.alibaba_report, name="alibaba_report"),
    path("hooks/alibaba/<str:token>/reply/", hooks.alibaba_reply, name="alibaba_reply"),
    path("hooks/tencent/<str:token>/status/", hooks.tencent_status, name="tencent_status"),
    path("hooks/tencent/<str:token>/reply/", hooks.tencent_reply, name="tencent_reply"),
    path("hooks/wechat/<str:token>/", hooks.wechat_events, name="wechat_events"),
]

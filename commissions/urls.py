from django.urls import path

from . import views

app_name = "commissions"

urlpatterns = [
    path("", views.MyStatementView.as_view(), name="statement"),
    path("branch/", views.BranchMonthView.as_view(), name="branch"),
    path("branch/lock/", views.LockMonthView.as_view(), name="lock"),
    path("staff/<int:pk>/", views.StaffStatementView.as_view(), name="staff"),
    path("rules/", views.RuleListView.as_view(), name="rules"),
    path("rules/new/", views.RuleFormView.as_view(), name="rule_new"),
    path("rules/<int:pk>/", views.RuleFormView.as_view(), name="rule_edit"),
    path("orders/<str:number>/shares/", views.SharesView.as_view(), name="shares"),
]

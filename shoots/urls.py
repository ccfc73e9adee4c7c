from django.urls import path

from . import views

app_name = "shoots"
urlpatterns = [
    path("", views.DayView.as_view(), name="day"),
    path("week/", views.WeekView.as_view(), name="week"),
    path("board/", views.BoardView.as_view(), name="board"),
    path("tomorrow/", views.TomorrowView.as_view(), name="tomorrow"),
    path("tablet/", views.TabletView.as_view(), name="tablet"),
    path("calendar/", views.MyCalendarView.as_view(), name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
    path("book/<str:number>/", views.BookView.as_view(), name="book"),
    path("<int:pk>/", views.ShootDetailView.as_view(), name="detail"),
    path("<int:pk>/check-in/", views.CheckInView.as_view(), name="check_in"),
    path("<int:pk>/brief/", views.BriefView.as_view(), name="brief"),
    path("<int:pk>/hand-off/", views.HandOffView.as_view(), name="hand_off"),
    path("<int:pk>/depart/", views.DepartView.as_view(), name="depart"),
    path("<int:pk>/return/", views.ReturnView.as_view(), name="return"),
    path("<int:pk>/finish/", views.FinishView.as_view(), name="finish"),
    path("<int:pk>/no-show/", views.NoShowView.as_view(), name="no_show"),
    path("<int:pk>/late/", views.LateView.as_view(), name="late"),
    path("<int:pk>/confirmation/", views.ConfirmationView.as_view(), name="confirmation"),
    path("<int:pk>/visit/", views.VisitView.as_view(), name="visit"),
    path("<int:pk>/look/", views.LookView.as_view(), name="look"),
]

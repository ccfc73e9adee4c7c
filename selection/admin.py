from django.contrib import admin

from .models import SessionLength


@admin.register(SessionLength)
class SessionLengthAdmin(admin.ModelAdmin):
    list_display = ["branch", "minutes"]

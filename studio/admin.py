from django.contrib import admin

from .models import Branch, Customer, Package, Staff, WorkerHeartbeat


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "timezone", "pay_in_full_before_shoot", "discount_limit"]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "is_active"]
    list_filter = ["branches", "user__groups", "is_active"]
    filter_horizontal = ["branches"]
    search_fields = ["display_name", "user__username"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "branch", "owner", "wedding_date", "source", "membership_level"]
    list_filter = ["branch", "source", "membership_level"]
    search_fields = ["bride_name", "groom_name", "bride_phone", "groom_phone"]
    raw_id_fields = ["referrer", "owner"]
    list_select_related = ["branch", "owner"]


@admin.register(Package)
class PackageAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "price", "floor_price", "is_signature", "is_active"]
    list_filter = ["is_active", "branches"]
    filter_horizontal = ["branches"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "last_seen", "beats"]
    readonly_fields = ["name", "last_seen", "beats"]

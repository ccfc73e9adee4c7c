def staff(request):
    staff = getattr(request, "staff", None)
    if staff is None:
        return {}
    return {
        "staff": staff,
        "current_branch": request.branch,
        "sees_money": staff.sees_money,
        "sees_contacts": staff.sees_contacts,
        "opens_customer_files": staff.opens_customer_files,
    }

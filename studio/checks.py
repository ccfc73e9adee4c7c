"""System checks that keep the project's own rules from being forgotten."""

from django.conf import settings
from django.contrib.admin import ModelAdmin
from django.core import checks
from django.urls import get_resolver

# The project's pages anyone may open (by URL name): the login form itself.
OPEN_PAGES = {"login"}


@checks.register(checks.Tags.security)
def every_view_declares_roles(app_configs, **kwargs):
    """Every project view says which roles may use it (DEVELOPERS.md, access)."""
    from studio.access import declared_roles

    errors = []
    project_apps = tuple(settings.PROJECT_APPS)

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern, prefix + str(pattern.pattern))
                continue
            view = pattern.callback
            module = getattr(view, "__module__", "")
            if module.split(".")[0] not in project_apps:
                continue
            if getattr(view, "login_required", True) is False:
                if pattern.name not in OPEN_PAGES and not getattr(view, "private_link", False):
                    errors.append(
                        checks.Error(
                            f"View {module}.{getattr(view, '__name__', view)} at "
                            f"/{prefix}{pattern.pattern} needs no login.",
                            hint="Only pages reached by a private token skip the login: "
                            "use studio.access.reached_by_private_link.",
                            id="studio.E002",
                        )
                    )
                continue
            if isinstance(
                getattr(getattr(view, "__wrapped__", None), "__self__", None), ModelAdmin
            ):
                continue  # admin pages: BranchScopedAdmin's permissions decide
            if declared_roles(view) is None:
                errors.append(
                    checks.Error(
                        f"View {module}.{getattr(view, '__name__', view)} at "
                        f"/{prefix}{pattern.pattern} does not declare its roles.",
                        hint="Use studio.access.StaffRequired or @staff_required(roles=...).",
                        id="studio.E001",
                    )
                )

    walk(get_resolver())
    return errors


@checks.register()
def every_question_is_answered(app_configs, **kwargs):
    """Every question a lower app asks has an answer from an installed stage (STYLE.md 16)."""
    from studio.registry import Questions

    return [
        checks.Error(
            f"Nobody answers {q.asker}'s question {name!r}.",
            hint="The stage that owns the fact registers it in its AppConfig.ready().",
            id="studio.E010",
        )
        for q in Questions.every
        for name in q.unanswered()
    ]

"""Questions a lower app asks and a higher app answers (STYLE.md 16).

A lower app (`orders`, `followups`, `selection`) never imports a stage above it, yet some of
its rules need a stage's facts: "is the shoot today?", "which shoots are tomorrow?", "when is
this order's pickup?". The lower app declares the question here; the stage that knows the
answer registers it from its `AppConfig.ready()`, the way `django.contrib.admin` discovers
each app's `admin.py`. A question nobody answers fails loudly — a system check at start-up
(`studio.E010`) and an error when asked — never a silent "no".
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured

F = TypeVar("F", bound=Callable[..., Any])


class Questions:
    """A named set of questions `asker` needs answered by the apps above it."""

    every: list["Questions"] = []  # for the start-up check

    def __init__(self, asker: str, names: list[str] | tuple[str, ...]) -> None:
        self.asker = asker
        self.names = tuple(names)
        self._answers: dict[str, Callable[..., Any]] = {}
        Questions.every.append(self)

    def answers(self, name: str) -> Callable[[F], F]:
        """Decorate the function that answers `name`."""
        if name not in self.names:
            raise ImproperlyConfigured(f"{self.asker} asks no question {name!r}.")

        def register(answer: F) -> F:
            known = self._answers.get(name)
            if known is not None and known is not answer:
                raise ImproperlyConfigured(
                    f"{self.asker}'s question {name!r} is answered twice: "
                    f"{known.__module__}.{known.__name__} and "
                    f"{answer.__module__}.{answer.__name__}."
                )
            self._answers[name] = answer
            return answer

        return register

    def ask(self, name: str, /, *args: Any, **kwargs: Any) -> Any:
        try:
            answer = self._answers[name]
        except KeyError:
            raise ImproperlyConfigured(
                f"Nobody answers {self.asker}'s question {name!r}: "
                "is the app that knows it installed?"
            ) from None
        return answer(*args, **kwargs)

    def answered(self) -> dict[str, Callable[..., Any]]:
        return dict(self._answers)

    def unanswered(self) -> list[str]:
        return [n for n in self.names if n not in self._answers]

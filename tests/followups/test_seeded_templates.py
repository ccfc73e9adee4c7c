"""Every message the studio seeds can be written in both languages: a template that is
missing or broken would make its care rule skip the message without anyone noticing."""

import pytest

from followups.models import PLACEHOLDERS, CareRule, MessageTemplate

LANGUAGES = ("en", "zh-hans")
CONTEXT = {name: f"<{name}>" for name in PLACEHOLDERS}


def seeded_keys():
    return sorted(set(MessageTemplate.objects.values_list("key", flat=True)))


@pytest.mark.django_db
def test_every_seeded_template_renders_in_both_languages():
    keys = seeded_keys()
    assert keys, "no templates seeded"
    problems = []
    for key in keys:
        for language in LANGUAGES:
            template = MessageTemplate.objects.filter(key=key, language=language).first()
            if template is None or not template.is_active:
                problems.append((key, language, "missing or switched off"))
                continue
            try:
                text = template.render(CONTEXT)
            except ValueError as exc:
                problems.append((key, language, str(exc)))
                continue
            if not text.strip() or "{" in text or "}" in text:
                problems.append((key, language, text))
    assert problems == []


@pytest.mark.django_db
def test_every_message_rule_has_a_template():
    wanted = set(
        CareRule.objects.filter(action=CareRule.Action.MESSAGE).values_list(
            "template_key", flat=True
        )
    )
    assert wanted <= set(seeded_keys())

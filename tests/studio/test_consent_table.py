"""The consent table and history, written in Python (`{% consent_table %}`), equal what
the template wrote before: for cells never asked, granted and withdrawn, history lines with
and without who recorded them, an empty history, the history open or closed, in English
and in Chinese, with markup in a name escaped."""

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from studio import services
from studio.selectors import consent_context

pytestmark = pytest.mark.django_db

# studio/includes/consent.html as it was, the markup the tag must write.
TEMPLATE = """{% load i18n %}
<div data-testid="consent">
<table class="table table-sm small mb-2" data-testid="consent-state">
  <thead><tr><th>{% translate "Consent" %}</th>{% for c in consent_channels %}<th>{{ c.label }}</th>{% endfor %}</tr></thead>
  <tbody>
  {% for purpose, cells in consent_rows %}<tr><th class="fw-normal">{{ purpose }}</th>
    {% for c in cells %}<td data-testid="consent-{{ c.purpose }}-{{ c.channel }}">{% if c.event is None %}<span class="text-muted" title="{% translate "Never asked" %}">—</span>{% elif c.granted %}<span class="text-success" title="{{ c.event.at|date:"SHORT_DATETIME_FORMAT" }}">✓ {% translate "yes" context "consent" %}</span>{% else %}<span class="text-danger" title="{{ c.event.at|date:"SHORT_DATETIME_FORMAT" }}">✗ {% translate "withdrawn" %}</span>{% endif %}</td>{% endfor %}
  </tr>{% endfor %}
  </tbody>
</table>
<details class="small mb-3"{% if open_history %} open{% endif %}>
  <summary>{% translate "History of consent" %}</summary>
  <ul class="list-unstyled mb-0" data-testid="consent-history">
  {% for e in consent_history %}
    <li><span class="text-muted">{{ e.at|date:"SHORT_DATETIME_FORMAT" }}</span>
      {% if e.granted %}{% blocktranslate with purpose=e.purpose channel=e.channel %}agreed to {{ purpose }} by {{ channel }}{% endblocktranslate %}{% else %}{% blocktranslate with purpose=e.purpose channel=e.channel %}withdrew consent to {{ purpose }} by {{ channel }}{% endblocktranslate %}{% endif %}
      · {{ e.source }}{% if e.recorded_by %} · {{ e.recorded_by }}{% endif %}</li>
  {% empty %}<li class="text-muted">{% translate "Nothing recorded: never asked." %}</li>
  {% endfor %}
  </ul>
</details>
</div>"""


def _both(customer, **extra):
    context = {**consent_context(customer), **extra}
    before = Template(TEMPLATE).render(Context(context))
    after = Template("{% load studio %}\n{% consent_table %}").render(Context(context))
    return before, after


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("open_history", [False, True])
def test_the_table_and_history_as_the_template_wrote_them(
    customer, receptionist, language, open_history
):
    receptionist.display_name = "<b>Li</b> Na"
    receptionist.save()
    services.record_consents(
        customer,
        purpose="care",
        channels=["sms", "wechat"],
        granted=True,
        source="paper_form",
        by=receptionist,
    )
    services.record_consents(
        customer, purpose="care", channels=["sms"], granted=False, source="sms_reply"
    )
    with translation.override(language), timezone.override("Asia/Shanghai"):
        before, after = _both(customer, open_history=open_history)
    assert after == before
    assert "✗" in after and "✓" in after and "—" in after and "&lt;b&gt;Li" in after


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_never_asked_as_the_template_wrote_it(customer, language):
    with translation.override(language):
        before, after = _both(customer)
    assert after == before
    assert 'class="text-muted">' in after and "✓" not in after

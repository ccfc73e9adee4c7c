"""The one way to print: a template rendered to PDF by WeasyPrint.

Chinese needs a CJK font on the machine (Debian's fonts-noto-cjk, installed by
scripts/ensure-services.sh and named in README); templates extend `pdf/base.html`, whose
font stack puts Noto Sans CJK first so Chinese prints as Chinese, not as boxes.
"""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template_name, context, *, language=None, base_url=None):
    from weasyprint import HTML

    with translation.override(language or translation.get_language()):
        html = render_to_string(template_name, context)
    return HTML(string=html, base_url=base_url).write_pdf()


def pdf_response(template_name, context, *, filename, language=None, request=None):
    base_url = request.build_absolute_uri("/") if request is not None else None
    pdf = render_pdf(template_name, context, language=language, base_url=base_url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response

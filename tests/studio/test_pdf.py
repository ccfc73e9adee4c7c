import io

from pypdf import PdfReader

from studio.pdf import render_pdf


def test_chinese_prints_as_chinese(tmp_path, settings):
    html = tmp_path / "sample.html"
    html.write_text(
        '{% extends "pdf/base.html" %}{% block body %}<h1>企划书 Planning document</h1>'
        "<p>新娘 李娜 · 定金 ¥2,000.00</p>{% endblock %}",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    pdf = render_pdf("sample.html", {}, language="zh-hans")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "企划书" in text
    assert "李娜" in text
    assert "Planning document" in text

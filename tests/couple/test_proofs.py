"""Design proofs (看设计): uploaded by the designer, approved or sent back by the couple on
their page; an album waits for its approval before print; the board shows who waits."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from couple import services as couple
from couple.models import CoupleLink
from selection import services
from selection.models import DesignProof, ProductionItem
from studio.services import AlreadyDone
from tests.races import run_together

from .conftest import last_message, page_url, tiny_jpeg


def _to_design(album, by):
    services.advance_item(item=album, by=by)
    album.refresh_from_db()
    assert album.stage == "design"
    return album


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("a.jpg", b"not a picture at all", content_type="image/jpeg"),
        SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, content_type="image/png"),
        SimpleUploadedFile("a.html", b"<script>alert(1)</script>", content_type="text/html"),
        SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf"),
    ],
)
def test_only_a_jpeg_or_a_pdf_is_taken(album, designer, upload):
    with pytest.raises(ValidationError):
        services.upload_proof(item=album, upload=upload, by=designer)
    assert not DesignProof.objects.exists()


def test_a_huge_file_is_refused(album, designer, settings, monkeypatch):
    monkeypatch.setattr(services, "PROOF_MAX_BYTES", 100)
    with pytest.raises(ValidationError, match="too big"):
        services.upload_proof(item=album, upload=tiny_jpeg(size=(64, 64)), by=designer)


def test_a_pdf_is_taken(album, designer):
    pdf = SimpleUploadedFile("layout.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    proof = services.upload_proof(item=album, upload=pdf, by=designer)
    assert proof.is_pdf and proof.file.name.endswith(".pdf")
    assert "layout" not in proof.file.name  # a name nobody guesses


def test_photos_have_no_proofs(production_order, designer):
    photos = production_order.production_items.exclude(product__in=["album", "enlargement"]).first()
    with pytest.raises(ValidationError, match="Only albums"):
        services.upload_proof(item=photos, upload=tiny_jpeg(), by=designer)


def test_an_album_does_not_go_to_print_until_its_proofs_are_approved(album, designer):
    album = _to_design(album, designer)
    with pytest.raises(ValidationError, match="not been shown"):
        services.advance_item(item=album, by=designer)
    proof = services.upload_proof(item=album, upload=tiny_jpeg(), by=designer)
    with pytest.raises(ValidationError, match="not approved"):
        services.advance_item(item=album, by=designer)
    services.show_proofs(order=album.order, by=designer)
    with pytest.raises(ValidationError, match="not approved"):
        services.advance_item(item=album, by=designer)
    services.decide_proof(proof=proof, approve=True)
    assert services.advance_item(item=album, by=designer).stage == "print"


def test_a_change_asked_keeps_the_album_until_the_new_version_is_approved(album, designer):
    album = _to_design(album, designer)
    proof = services.upload_proof(item=album, upload=tiny_jpeg(), by=designer)
    services.show_proofs(order=album.order, by=designer)
    with pytest.raises(ValidationError, match="Say what"):
        services.decide_proof(proof=proof, approve=False, note="  ")
    services.decide_proof(proof=proof, approve=False, note="Brighter sky on page 3")
    with pytest.raises(ValidationError):
        services.advance_item(item=album, by=designer)
    newer = services.upload_proof(item=album, upload=tiny_jpeg(), by=designer, replaces=proof)
    proof.refresh_from_db()
    assert proof.replaced and proof.couple_note == "Brighter sky on page 3"
    services.show_proofs(order=album.order, by=designer)
    services.decide_proof(proof=newer, approve=True)
    assert services.advance_item(item=album, by=designer).stage == "print"


def test_rework_cannot_skip_back_to_print_without_approval(album, designer):
    album = _to_design(album, designer)
    ProductionItem.objects.filter(pk=album.pk).update(stage="rework")
    with pytest.raises(ValidationError):
        services.resume_item(item=album, to="print", by=designer)


def test_showing_the_proofs_sends_the_couple_a_link_in_their_language(album, designer):
    customer = album.order.customer
    customer.language = "zh-hans"
    customer.save()
    services.upload_proof(item=album, upload=tiny_jpeg(), by=designer)
    services.show_proofs(order=album.order, by=designer)
    message = last_message(customer, "couple_proofs_ready")
    assert "设计稿" in message.body and "/c/" in message.body
    assert CoupleLink.objects.filter(order=album.order, revoked_at__isnull=True).count() == 1
    with pytest.raises(AlreadyDone):
        services.show_proofs(order=album.order, by=designer)


def test_the_couple_cannot_answer_a_proof_not_shown_or_of_another_order(
    album, designer, make_link, order
):
    proof = services.upload_proof(item=album, upload=tiny_jpeg(), by=designer)
    mine = make_link(album.order)
    with pytest.raises(ValidationError):
        couple.answer_proof(link=mine.link, proof_id=proof.pk, approve=True)
    services.show_proofs(order=album.order, by=designer)
    other = make_link(order)
    with pytest.raises(ValidationError):
        couple.answer_proof(link=other.link, proof_id=proof.pk, approve=True)
    proof.refresh_from_db()
    assert proof.decision == "waiting"


def test_a_double_submitted_approval_applies_once(client, shown_proof, make_link):
    made = make_link(shown_proof.item.order)
    url = page_url(made, "couple:answer_proof", pk=shown_proof.pk)
    client.post(url, {"approve": "yes"})
    first = DesignProof.objects.get(pk=shown_proof.pk)
    response = client.post(url, {"approve": "no", "note": "changed my mind"}, follow=True)
    assert "Already answered" in response.content.decode() or "已" in response.content.decode()
    again = DesignProof.objects.get(pk=shown_proof.pk)
    assert (again.decision, again.decided_at, again.couple_note) == (
        "approved",
        first.decided_at,
        "",
    )


@pytest.mark.django_db(transaction=True)
def test_two_phones_approving_at_once_decide_once(shown_proof):
    results = run_together(
        lambda: services.decide_proof(proof=shown_proof, approve=True),
        lambda: services.decide_proof(proof=shown_proof, approve=False, note="No"),
    )
    outcomes = sorted(kind for kind, _value in results)
    assert outcomes == ["error", "ok"]
    assert isinstance([v for k, v in results if k == "error"][0], AlreadyDone)


def test_the_couple_sees_and_opens_only_their_shown_proofs(
    client, shown_proof, make_link, designer, order
):
    made = make_link(shown_proof.item.order)
    hidden = services.upload_proof(item=shown_proof.item, upload=tiny_jpeg(), by=designer)
    text = client.get(page_url(made)).content.decode()
    assert text.count('data-testid="proof"') == 1
    file_url = page_url(made, "couple:proof_file", pk=shown_proof.pk)
    response = client.get(file_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert client.get(page_url(made, "couple:proof_file", pk=hidden.pk)).status_code == 404
    other = make_link(order)
    assert client.get(page_url(other, "couple:proof_file", pk=shown_proof.pk)).status_code == 404


def test_the_couple_approves_and_asks_for_changes_on_their_page(client, album, designer, make_link):
    first = services.upload_proof(item=album, upload=tiny_jpeg(), by=designer)
    second = services.upload_proof(item=album, upload=tiny_jpeg(), by=designer)
    services.show_proofs(order=album.order, by=designer)
    made = make_link(album.order)
    client.post(page_url(made, "couple:answer_proof", pk=first.pk), {"approve": "yes"})
    response = client.post(
        page_url(made, "couple:answer_proof", pk=second.pk),
        {"approve": "no", "note": ""},
        follow=True,
    )
    second.refresh_from_db()
    assert second.decision == "waiting"
    client.post(
        page_url(made, "couple:answer_proof", pk=second.pk), {"approve": "no", "note": "Warmer"}
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.decision, second.decision, second.couple_note) == (
        "approved",
        "changes",
        "Warmer",
    )
    assert response.status_code == 200


def test_a_refused_upload_leaves_no_file(album, designer, settings):
    from pathlib import Path

    ProductionItem.objects.filter(pk=album.pk).update(stage="qc")
    with pytest.raises(ValidationError, match="Already moved"):
        services.upload_proof(item=album, upload=tiny_jpeg(), by=designer)
    assert not DesignProof.objects.exists()
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


# --- The couple's data ---


def test_erasing_the_couple_takes_their_words_on_the_proofs_and_keeps_their_answers(
    shown_proof, make_order, branch, designer
):
    """PIPL erasure (studio.signals.customer_erased): what the couple typed when asking for
    a change goes; that they asked, and when, stays with the album."""
    from studio.signals import customer_erased
    from tests.factories import CustomerFactory

    services.decide_proof(proof=shown_proof, approve=False, note="Wang Lei, not Wang Li")
    theirs = ProductionItem.objects.create(
        order=make_order(customer=CustomerFactory(branch=branch)), name="Album", product="album"
    )
    their_proof = DesignProof.objects.create(
        item=theirs, file="x.jpg", content_type="image/jpeg", uploaded_by=designer,
        decision="changes", couple_note="Brighter, please",
    )  # fmt: skip
    customer = shown_proof.item.order.customer
    customer_erased.send(type(customer), customer=customer, by=None)
    proof = DesignProof.objects.get(pk=shown_proof.pk)
    assert (proof.decision, proof.couple_note) == ("changes", "")
    assert proof.decided_at is not None
    assert DesignProof.objects.get(pk=their_proof.pk).couple_note == "Brighter, please"


def test_the_couples_export_has_what_they_asked_on_the_proofs(shown_proof):
    from selection.selectors import customer_data

    services.decide_proof(proof=shown_proof, approve=False, note="Wang Lei, not Wang Li")
    section = next(
        s for s in customer_data(shown_proof.item.order.customer) if s.key == "design_proofs"
    )
    assert [(r["decision"], r["couple_note"]) for r in section.rows] == [
        ("changes", "Wang Lei, not Wang Li")
    ]

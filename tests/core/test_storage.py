"""Uploads: type by content, safe names, random keys outside static/, capped streaming, and the
authorized download route."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from core.errors import Invalid
from core.i18n import use_locale
from core.settings import ROOT
from core.storage import (
    ALL_KINDS,
    DOCUMENTS,
    IMAGES,
    KINDS,
    StoredFile,
    cap_body,
    clean_name,
    content_disposition,
    human_size,
    kinds_list,
    sniff,
    store_upload,
    upload_dir,
)
from tests.conftest import csrf
from tests.factories import make_user, sign_in

# --- Small real files -----------------------------------------------------------------------


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    return (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        b"\xff\xdb\x00\x43\x00" + bytes(64) + b"\xff\xd9"
    )


def webp() -> bytes:
    frame = b"VP8L" + struct.pack("<I", 5) + b"\x2f\x00\x00\x00\x00\x00"
    return b"RIFF" + struct.pack("<I", 4 + len(frame)) + b"WEBP" + frame


def mp4() -> bytes:
    ftyp = struct.pack(">I", 24) + b"ftyp" + b"isom" + struct.pack(">I", 512) + b"isommp41"
    free = struct.pack(">I", 8) + b"free"
    return ftyp + free + struct.pack(">I", 8) + b"mdat"


def office(folder: str, *, content_types: bool = True, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if content_types:
            archive.writestr(
                "[Content_Types].xml",
                '<?xml version="1.0"?><Types xmlns='
                '"http://schemas.openxmlformats.org/package/2006/content-types"/>',
            )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(f"{folder}/document.xml", "<document/>")
        if macros:
            archive.writestr(f"{folder}/vbaProject.bin", b"\x00" * 10)
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


GOOD = [
    ("paper.pdf", pdf, "pdf", "application/pdf"),
    ("logo.png", png, "png", "image/png"),
    ("photo.jpg", jpeg, "jpeg", "image/jpeg"),
    ("photo.webp", webp, "webp", "image/webp"),
    ("clip.mp4", mp4, "mp4", "video/mp4"),
    (
        "idea.docx",
        lambda: office("word"),
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "pitch.pptx",
        lambda: office("ppt"),
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    (
        "budget.xlsx",
        lambda: office("xl"),
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
]
EVERYTHING = "DOCX, JPG, MP4, PDF, PNG, PPTX, WEBP, or XLSX"


def upload(name: str, data: bytes) -> UploadFile:
    return UploadFile(io.BytesIO(data), filename=name, size=len(data))


def stored_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


@pytest.fixture
def uploads(settings) -> Path:  # noqa: ANN001
    return upload_dir(settings)


async def keep(
    directory: Path,
    name: str,
    data: bytes,
    *,
    owner_id: int | None = None,
    purpose: str = "test",
    allowed=ALL_KINDS,
    max_bytes: int = 10_000,
) -> StoredFile:
    return await store_upload(
        upload(name, data),
        directory=directory,
        purpose=purpose,
        owner_id=owner_id,
        allowed=allowed,
        max_bytes=max_bytes,
    )


# --- Accepted files -------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "build", "kind", "mime"), GOOD)
async def test_real_files_are_accepted_with_their_kind(db, uploads, name, build, kind, mime):
    data = build()
    stored = await keep(uploads, name, data, owner_id=3)
    assert (stored.kind, stored.content_type, stored.original_name) == (kind, mime, name)
    assert (stored.size, stored.owner_id, stored.purpose) == (len(data), 3, "test")
    assert re.fullmatch(r"[0-9a-f]{32}", stored.key)
    assert (uploads / stored.key).read_bytes() == data
    assert stored_files(uploads) == [stored.key]
    assert (await StoredFile.get(id=stored.id)).sha256 == stored.sha256


def test_the_uploads_directory_is_outside_static(settings, uploads):
    assert not uploads.resolve().is_relative_to((ROOT / "static").resolve())
    assert uploads == Path(settings.uploads_dir)


async def test_names_follow_the_content_not_the_extension(db, uploads):
    stored = await keep(uploads, "report.exe", pdf())
    assert (stored.kind, stored.original_name) == ("pdf", "report.pdf")


async def test_two_uploads_of_the_same_file_get_different_keys(db, uploads):
    first, second = await keep(uploads, "a.pdf", pdf()), await keep(uploads, "a.pdf", pdf())
    assert first.key != second.key
    assert first.sha256 == second.sha256


# --- Refused files --------------------------------------------------------------------------

REFUSED = [
    ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(100)),
    ("page.png", b"<!doctype html><html><script>alert(1)</script></html>"),
    ("letter.docx", plain_zip()),
    ("macro.docx", office("word", macros=True)),
    ("nocontent.xlsx", office("xl", content_types=False)),
    ("movie.mp4", struct.pack(">I", 20) + b"ftypqt  " + bytes(8)),
    ("script.jpg", b"#!/bin/sh\nrm -rf /\n"),
]


@pytest.mark.parametrize(("name", "data"), REFUSED)
async def test_files_are_refused_by_content_whatever_the_name(db, uploads, name, data):
    with use_locale("en"), pytest.raises(Invalid) as caught:
        await keep(uploads, name, data)
    assert caught.value.errors == {
        "file": f"This type of file is not accepted. Accepted: {EVERYTHING}."
    }
    assert stored_files(uploads) == []
    assert await StoredFile.all().count() == 0


async def test_a_kind_outside_the_allowed_list_is_refused_in_arabic(db, uploads):
    with use_locale("ar"), pytest.raises(Invalid) as caught:
        await keep(uploads, "logo.png", png(), allowed=DOCUMENTS)
    assert caught.value.errors == {
        "file": "هذا النوع من الملفات غير مقبول. الأنواع المقبولة: DOCX أو PDF أو PPTX أو XLSX."
    }
    assert stored_files(uploads) == []


async def test_an_empty_file_is_refused(db, uploads):
    with use_locale("ar"), pytest.raises(Invalid) as caught:
        await keep(uploads, "empty.pdf", b"")
    assert caught.value.errors == {"file": "الملف فارغ."}
    assert stored_files(uploads) == []


async def test_a_file_over_the_cap_is_refused_and_not_kept(db, uploads):
    data = pdf() + b"%" * 20_000
    with use_locale("en"), pytest.raises(Invalid) as caught:
        await keep(uploads, "big.pdf", data, max_bytes=10_000)
    assert caught.value.errors == {"file": "The file is larger than 9.8 KB."}
    # Without a known size the file is refused while it is copied, and nothing stays behind.
    unsized = UploadFile(io.BytesIO(data), filename="big.pdf")
    with pytest.raises(Invalid):
        await store_upload(
            unsized,
            directory=uploads,
            purpose="test",
            owner_id=None,
            allowed=ALL_KINDS,
            max_bytes=10_000,
            field="attachment",
        )
    assert stored_files(uploads) == []


# --- Names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\evil\\a.pdf", "a.pdf"),
        ("/absolute/path/x.pdf", "x.pdf"),
        ("inv\u202eoice\u202cfdp.exe", "invoicefdp.pdf"),
        ("bad\x00name\x07\r\n.pdf", "badname.pdf"),
        ("zero\u200bwidth\u2066.pdf", "zerowidth.pdf"),
        ("..", "file.pdf"),
        ("", "file.pdf"),
        (None, "file.pdf"),
        ("   spaced    out   .pdf", "spaced out.pdf"),
        ("تقرير المشاركة النهائي.pdf", "تقرير المشاركة النهائي.pdf"),
        ("archive.tar.gz", "archive.tar.pdf"),
    ],
)
def test_file_names_are_cleaned_to_a_safe_display_name(name, shown):
    assert clean_name(name, KINDS["pdf"]) == shown


@given(st.text(max_size=300), st.sampled_from(sorted(KINDS)))
def test_clean_names_never_carry_paths_or_invisible_characters(name, kind):
    shown = clean_name(name, KINDS[kind])
    assert shown.endswith(f".{KINDS[kind].extension}")
    assert "/" not in shown and "\\" not in shown
    assert not any(
        ord(c) < 32 or 0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in shown
    )
    assert len(shown) <= 125 and not shown.startswith((".", " "))


@given(st.binary(max_size=64))
def test_markup_and_programs_are_never_sniffed_as_an_accepted_kind(tail):
    for head in (b"<html>", b"MZ", b"#!", b"<?xml", b"GIF89a"):
        assert sniff(head + tail) is None


SIZES = (599, 2048, 1536, 20 * 1024 * 1024, 3 * 1024**3, 5000 * 1024**3)


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        ("en", ["599 B", "2 KB", "1.5 KB", "20 MB", "3 GB", "5,000 GB"]),
        ("ar", ["599 بايت", "2 ك.ب", "1.5 ك.ب", "20 م.ب", "3 ج.ب", "5,000 ج.ب"]),
    ],
)
def test_sizes_for_people_in_their_language(lang, shown):
    with use_locale(lang):
        assert [human_size(n) for n in SIZES] == shown


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("en", "DOCX, JPG, MP4, or PDF"), ("ar", "DOCX أو JPG أو MP4 أو PDF")],
)
def test_file_kinds_listed_in_the_readers_language(lang, shown):
    with use_locale(lang):
        assert kinds_list(["docx", "jpeg", "mp4", "pdf", "not-a-kind"]) == shown
        assert kinds_list([]) == ""


# --- Over HTTP: cap_body + request.form() + store_upload -------------------------------------


@pytest.fixture
def upload_app(app):  # noqa: ANN001, ANN201
    async def submit(request: Request) -> Response:
        cap = request.app.state.settings.uploads_max_bytes
        async with cap_body(request, cap).form() as form:
            stored = await store_upload(
                form["file"],
                directory=upload_dir(request),
                purpose="test",
                owner_id=None,
                allowed=DOCUMENTS | IMAGES,
                max_bytes=cap,
            )
        return PlainTextResponse(f"{stored.kind} {stored.original_name}")

    app.router.routes.append(Route("/test/upload", submit, methods=["POST"]))
    return app


async def test_upload_over_http_is_stored(upload_app, client, uploads):
    token = await csrf(client)
    response = await client.post(
        "/test/upload",
        data={"csrf_token": token},
        files={"file": ("../../خطة.docx", office("word"))},
    )
    assert (response.status_code, response.text) == (200, "docx خطة.docx")
    assert len(stored_files(uploads)) == 1


async def test_refused_type_over_http_is_a_422_with_the_message(upload_app, client, uploads):
    token = await csrf(client)
    response = await client.post(
        "/test/upload", data={"csrf_token": token}, files={"file": ("page.png", b"<html>hi</html>")}
    )
    assert response.status_code == 422
    assert "<h1>يرجى تصحيح النموذج</h1>" in response.text
    assert (
        "<li>هذا النوع من الملفات غير مقبول. الأنواع المقبولة: DOCX أو JPG أو PDF أو PNG أو "
        "PPTX أو WEBP أو XLSX.</li>"
    ) in response.text
    assert stored_files(uploads) == []


async def test_declared_body_over_the_cap_is_a_413(upload_app, client, uploads):
    await client.get("/?lang=en")
    token = await csrf(client)
    big = pdf() + b"0" * (2 * 1024 * 1024)
    response = await client.post(
        "/test/upload", data={"csrf_token": token}, files={"file": ("big.pdf", big)}
    )
    assert response.status_code == 413
    assert "<h1>The upload is too large</h1>" in response.text
    assert "The file is larger than 2 MB." in response.text
    assert stored_files(uploads) == []


class CountingBody:
    """A chunked request body without Content-Length, counting the bytes pulled from it."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.pulled = 0

    async def __aiter__(self):  # noqa: ANN204
        for chunk in self.chunks:
            self.pulled += len(chunk)
            yield chunk


async def test_streamed_body_without_length_is_stopped_at_the_cap(upload_app, client, uploads):
    token = await csrf(client)
    head = (
        '--cut\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
        f'{token}\r\n--cut\r\nContent-Disposition: form-data; name="file"; '
        'filename="huge.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()
    chunk = 64 * 1024
    body = CountingBody([head, pdf()] + [b"0" * chunk] * 80 + [b"\r\n--cut--\r\n"])
    response = await client.post(
        "/test/upload", content=body, headers={"Content-Type": "multipart/form-data; boundary=cut"}
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert "<h1>الملف المرفوع كبير جدًا</h1>" in response.text
    assert "حجم الملف أكبر من 2 م.ب." in response.text
    cap = 2 * 1024 * 1024
    assert cap < body.pulled <= cap + chunk  # it stopped reading right after the cap
    assert stored_files(uploads) == []
    assert await StoredFile.all().count() == 0


# --- Download -------------------------------------------------------------------------------


@pytest.fixture
async def owner_and_file(db, uploads):  # noqa: ANN201
    owner = await make_user()
    stored = await keep(
        uploads, "تقرير المشاركة.pdf", pdf(), owner_id=owner.id, purpose="team-files"
    )
    return owner, stored


async def test_owner_downloads_as_an_attachment(client, owner_and_file):
    owner, stored = owner_and_file
    await sign_in(client, owner)
    response = await client.get(f"/files/{stored.id}")
    assert response.status_code == 200
    assert response.content == pdf()
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"file.pdf\"; filename*=UTF-8''%D8%AA%D9%82%D8%B1%D9%8A%D8%B1"
        "%20%D8%A7%D9%84%D9%85%D8%B4%D8%A7%D8%B1%D9%83%D8%A9.pdf"
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert len(response.headers.get_list("content-security-policy")) == 1
    assert len(response.headers.get_list("x-content-type-options")) == 1


async def test_plain_names_and_inline_images(client, uploads):
    owner = await make_user()
    image = await keep(uploads, "logo.png", png(), owner_id=owner.id)
    paper = await keep(uploads, "paper.pdf", pdf(), owner_id=owner.id)
    await sign_in(client, owner)
    inline = await client.get(f"/files/{image.id}?inline=1")
    assert inline.headers["content-disposition"] == 'inline; filename="logo.png"'
    forced = await client.get(f"/files/{paper.id}?inline=1")  # only images show inline
    assert forced.headers["content-disposition"] == 'attachment; filename="paper.pdf"'


async def test_others_get_the_same_404_as_for_a_missing_file(app, client, owner_and_file):
    _, stored = owner_and_file
    anonymous = await client.get(f"/files/{stored.id}")
    assert anonymous.status_code == 404
    assert "هذا الملف غير موجود أو غير متاح لك." in anonymous.text
    assert "%PDF" not in anonymous.text
    await sign_in(client, await make_user())
    other = await client.get(f"/files/{stored.id}")
    missing = await client.get("/files/00000000-0000-4000-8000-000000000000")
    assert other.status_code == missing.status_code == 404
    assert other.text.count("هذا الملف غير موجود أو غير متاح لك.") == 1
    assert (await client.get("/files/not-a-uuid")).status_code == 404


async def test_an_admin_downloads_any_file(client, owner_and_file):
    _, stored = owner_and_file
    await sign_in(client, await make_user(admin=True))
    response = await client.get(f"/files/{stored.id}")
    assert (response.status_code, response.content) == (200, pdf())


async def test_a_file_policy_lets_others_download(app, client, owner_and_file):
    _, stored = owner_and_file
    judge = await make_user(email="judge@example.org")

    async def judges_see_team_files(user, file: StoredFile) -> bool:  # noqa: ANN001
        return user is not None and user.email == "judge@example.org"

    app.state.hooks.file_policies["team-files"] = judges_see_team_files
    await sign_in(client, judge)
    allowed = await client.get(f"/files/{stored.id}")
    assert (allowed.status_code, allowed.content) == (200, pdf())
    client.cookies.clear()
    await sign_in(client, await make_user())
    assert (await client.get(f"/files/{stored.id}")).status_code == 404
    client.cookies.clear()
    assert (await client.get(f"/files/{stored.id}")).status_code == 404


async def test_a_row_without_its_file_is_a_404_not_a_500(client, owner_and_file, uploads):
    owner, stored = owner_and_file
    (uploads / stored.key).unlink()
    await sign_in(client, owner)
    response = await client.get(f"/files/{stored.id}")
    assert response.status_code == 404
    assert "هذا الملف غير موجود أو غير متاح لك." in response.text


async def test_stored_files_are_not_reachable_under_static(client, owner_and_file):
    _, stored = owner_and_file
    assert (await client.get(f"/static/{stored.key}")).status_code == 404
    assert (await client.get(f"/static/../var/uploads/{stored.key}")).status_code == 404


def test_content_disposition_escapes_quotes_for_the_fallback():
    assert content_disposition("attachment", 'a"b;c.pdf') == (
        "attachment; filename=\"a_b_c.pdf\"; filename*=UTF-8''a%22b%3Bc.pdf"
    )


async def test_download_link_works_over_a_real_client_with_https(settings, db):
    """The same answer behind HTTPS, with HSTS, for the owner."""
    from core.app import create_app

    app = create_app(settings.replace(base_url="https://manassa.example"))
    owner = await make_user()
    stored = await keep(upload_dir(app.state.settings), "a.pdf", pdf(), owner_id=owner.id)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
        await sign_in(c, owner)
        response = await c.get(f"/files/{stored.id}")
    assert response.content == pdf()
    assert "strict-transport-security" in response.headers

"""Small real files of every kind a submission accepts, and some it refuses."""

from __future__ import annotations

import io
import zipfile

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 40


def office(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<doc/>")
    return buffer.getvalue()


ACCEPTED = {  # kind: (a name with a misleading extension, bytes, the name it is stored under)
    "pdf": ("idea.pdf", PDF, "idea.pdf"),
    "png": ("screen.png", PNG, "screen.png"),
    "jpeg": ("photo.jpeg", JPEG, "photo.jpg"),
    "webp": ("cover.webp", WEBP, "cover.webp"),
    "mp4": ("pitch.mov", MP4, "pitch.mp4"),
    "docx": ("plan.docx", office("word/"), "plan.docx"),
    "pptx": ("slides.pptx", office("ppt/"), "slides.pptx"),
    "xlsx": ("budget.xlsx", office("xl/"), "budget.xlsx"),
}
REFUSED = {
    "an executable named .pdf": ("idea.pdf", b"MZ\x90\x00\x03" + b"\x00" * 60),
    "a script": ("run.sh", b"#!/bin/sh\nrm -rf /\n"),
    "HTML": ("page.pdf", b"<html><script>alert(1)</script></html>"),
    "a plain zip": ("archive.docx", b"PK\x03\x04" + b"\x00" * 60),
    "an SVG": ("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
}

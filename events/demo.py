"""Demo data for `make run`: a published Mediathon open for registration with three tracks,
teams at various stages and a few submissions, and a past edition (for results once judged).

Runs after the accounts demo (it uses its people) and does nothing if already loaded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from accounts.demo import DEMO_PASSWORD
from accounts.enums import Role, ScopeType
from accounts.models import Membership, User
from accounts.passwords import hash_password
from core.clock import now
from core.settings import Settings
from core.storage import StoredFile, upload_dir
from events import fingerprint as fp
from events.enums import QuestionKind, QuestionScope, SubmissionState, Visibility
from events.models import (
    Event,
    Question,
    Registration,
    Submission,
    SubmissionFile,
    SubmissionVersion,
    Team,
    TeamMember,
    Track,
)
from events.services.submissions import snapshot
from events.services.teams import new_join_code

CURRENT, PAST = "mediathon-2026", "mediathon-2025"
TRACKS = (
    (
        "مكافحة الشائعات",
        "Countering misinformation",
        "أدوات وأساليب تساعد الجمهور على التحقق من الأخبار قبل مشاركتها.",
        "Tools and formats that help audiences check news before they share it.",
    ),
    (
        "الإعلام الرقمي للشباب",
        "Digital media for youth",
        "محتوى يصل إلى الشباب حيث هم، بلغتهم وعلى منصاتهم.",
        "Content that reaches young people where they are, in their language and on their "
        "platforms.",
    ),
    (
        "الذكاء الاصطناعي في غرف الأخبار",
        "AI in the newsroom",
        "استخدامات مسؤولة للذكاء الاصطناعي في جمع الأخبار وتحريرها ونشرها.",
        "Responsible uses of AI in gathering, editing and publishing news.",
    ),
)
EXTRA_PEOPLE = (  # email, Arabic name, English name, language, organization
    ("lina@manassa.local", "لينا الحربي", "Lina Al-Harbi", "ar", "جامعة الملك سعود"),
    ("faisal@manassa.local", "فيصل العتيبي", "Faisal Al-Otaibi", "ar", "صحيفة الغد"),
    ("maryam@manassa.local", "مريم الكعبي", "Maryam Al-Kaabi", "ar", "Dubai Media Lab"),
    ("james@manassa.local", "جيمس كارتر", "James Carter", "en", "Gulf News Desk"),
    ("huda@manassa.local", "هدى الشمري", "Huda Al-Shammari", "ar", "قناة المستقبل"),
)
DAY = dt.timedelta(days=1)


async def load(settings: Settings) -> list[str]:
    if await Event.filter(slug=CURRENT).exists():
        return ["Mediathon demo data is already there."]
    people = {u.email: u for u in await User.filter(email__endswith="@manassa.local")}
    organizer = people.get("organizer@manassa.local")
    if organizer is None or "participant@manassa.local" not in people:
        return ["Mediathon demo data skipped: load the accounts demo first."]
    people.update(await _extra_people(settings, people))
    current = await _current_event(settings, organizer, people)
    past = await _past_event(settings, organizer, people)
    return [
        "",
        "Mediathon demo:",
        f"  /events/{current.slug}  open for registration and submissions (3 tracks, 3 teams)",
        f"  /events/{past.slug}  last year's edition, closed (results once judged)",
        "  organizer@manassa.local organizes both; participant@ (captain) and participant2@ are "
        "in the team عين الحقيقة, which has submitted its idea.",
    ]


async def _extra_people(settings: Settings, known: dict[str, User]) -> dict[str, User]:
    hashed = hash_password(DEMO_PASSWORD, settings.security_argon2_profile)
    made = {}
    for email, name_ar, name_en, language, organization in EXTRA_PEOPLE:
        if email in known:
            continue
        made[email] = await User.create(
            email=email,
            password_hash=hashed,
            name_ar=name_ar,
            name_en=name_en,
            language=language,
            organization=organization,
            email_verified_at=now(),
        )
    return made


async def _event(organizer: User, slug: str, start: dt.datetime, **texts: Any) -> Event:
    event = await Event.create(
        slug=slug,
        visibility=Visibility.PUBLISHED,
        team_min=2,
        team_max=4,
        registration_opens=start,
        registration_closes=start + 24 * DAY,
        submissions_open=start + 7 * DAY,
        submissions_close=start + 31 * DAY,
        judging_starts=start + 32 * DAY,
        judging_ends=start + 40 * DAY,
        results_at=start + 45 * DAY,
        max_attachments=5,
        max_attachment_mb=20,
        **texts,
    )
    await Membership.create(
        user=organizer,
        scope_type=ScopeType.EVENT.value,
        scope_id=event.id,
        role=Role.ORGANIZER.value,
    )
    for position, (name_ar, name_en, text_ar, text_en) in enumerate(TRACKS, start=1):
        await Track.create(
            event=event,
            position=position,
            name_ar=name_ar,
            name_en=name_en,
            description_ar=text_ar,
            description_en=text_en,
        )
    return event


RULES_AR = (
    "- يتكون الفريق من شخصين إلى أربعة أشخاص.\n- تُقدَّم الفكرة قبل الموعد النهائي مع "
    "ملف عرض واحد على الأقل.\n- تبقى الملكية الفكرية للفريق."
)
RULES_EN = (
    "- Teams have two to four people.\n- Submit your idea before the deadline with at "
    "least one presentation file.\n- Teams keep their intellectual property."
)


async def _current_event(settings: Settings, organizer: User, people: dict[str, User]) -> Event:
    day = now().replace(hour=9, minute=0, second=0, microsecond=0)
    event = await _event(
        organizer,
        CURRENT,
        day - 10 * DAY,
        title_ar="ميدياثون 2026",
        title_en="Mediathon 2026",
        description_ar="هاكاثون إعلامي يجمع الصحفيين والطلاب وصنّاع المحتوى لابتكار مبادرات "
        "تعالج تحديات الإعلام في منطقتنا.",
        description_en="A media hackathon that brings journalists, students and creators "
        "together to invent initiatives for the media challenges of our region.",
        rules_ar=RULES_AR,
        rules_en=RULES_EN,
    )
    heard, field = await _questions(event)
    tracks = list(await Track.filter(event=event).order_by("position"))
    p = people
    for email in ("participant@", "participant2@", "lina@", "faisal@", "maryam@", "james@"):
        await Registration.create(
            event=event,
            user=p[email + "manassa.local"],
            answers={str(heard.id): "o2", str(field.id): "الصحافة"},
        )
    await _membership(p, event, Role.PARTICIPANT)
    first = await _team(
        event,
        "عين الحقيقة",
        tracks[0],
        [p["participant@manassa.local"], p["participant2@manassa.local"]],
    )
    await _submitted(
        settings,
        event,
        first,
        p["participant@manassa.local"],
        day - 2 * DAY,
        {
            "title": "تحقّق قبل أن تشارك",
            "summary": "مساعد على واتساب يتحقق من الأخبار المتداولة.",
            "problem": "تنتشر الشائعات في مجموعات المراسلة أسرع من التصحيحات.",
            "solution": "رقم واتساب يرسل إليه المستخدم الخبر فيعيد له مصادر موثوقة خلال دقائق.",
            "audience": "مستخدمو تطبيقات المراسلة في الخليج.",
            "video_url": "https://video.example.org/verify-first",
            "prototype_url": "https://proto.example.org/verify-first",
        },
    )
    second = await _team(
        event, "Newsroom Bots", tracks[2], [p["james@manassa.local"], p["maryam@manassa.local"]]
    )
    await Submission.create(
        event=event,
        team=second,
        track=tracks[2],
        title="Copilot for local editors",
        summary="An assistant that drafts briefs from council minutes.",
    )
    await _team(event, "جيل رقمي", tracks[1], [p["lina@manassa.local"]])
    return event


async def _questions(event: Event) -> tuple[Question, Question]:
    options = [
        {"key": "o1", "ar": "وسائل التواصل الاجتماعي", "en": "Social media"},
        {"key": "o2", "ar": "الجامعة أو جهة العمل", "en": "University or workplace"},
        {"key": "o3", "ar": "صديق", "en": "A friend"},
    ]
    heard = await Question.create(
        event=event,
        scope=QuestionScope.REGISTRATION,
        kind=QuestionKind.SINGLE_CHOICE,
        position=1,
        required=True,
        label_ar="كيف عرفت عن الميدياثون؟",
        label_en="How did you hear about the Mediathon?",
        options=options,
    )
    field = await Question.create(
        event=event,
        scope=QuestionScope.REGISTRATION,
        kind=QuestionKind.SHORT_TEXT,
        position=2,
        label_ar="مجال عملك أو دراستك",
        label_en="Your field of work or study",
    )
    await Question.create(
        event=event,
        scope=QuestionScope.SUBMISSION,
        kind=QuestionKind.YES_NO,
        position=1,
        label_ar="هل جرّبتم الفكرة مع مستخدمين؟",
        label_en="Have you tried the idea with users?",
    )
    return heard, field


async def _membership(people: dict[str, User], event: Event, role: Role) -> None:
    ids = await Registration.filter(event=event).values_list("user_id", flat=True)
    for user_id in ids:
        await Membership.get_or_create(
            user_id=user_id, scope_type=ScopeType.EVENT.value, scope_id=event.id, role=role.value
        )


async def _team(event: Event, name: str, track: Track, members: list[User]) -> Team:
    team = await Team.create(
        event=event,
        name=name,
        name_key=name.casefold(),
        track=track,
        captain=members[0],
        join_code=new_join_code(),
        member_count=len(members),
    )
    for member in members:
        await TeamMember.create(event=event, team=team, user=member)
    return team


def _pdf(title: str) -> bytes:
    """A small, valid one-page PDF (text in ASCII: the demo only needs a real file)."""
    text = title.encode("ascii", "replace")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    start = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{start}\n%%EOF\n".encode()
    )
    return bytes(out)


async def _stored_pdf(settings: Settings, name: str, title: str) -> StoredFile:
    data = _pdf(title)
    key = hashlib.sha256(data + name.encode()).hexdigest()[:32]
    (upload_dir(settings) / key).write_bytes(data)
    return await StoredFile.create(
        key=key,
        original_name=name,
        kind="pdf",
        content_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        purpose="events.submission",
    )


async def _submitted(
    settings: Settings,
    event: Event,
    team: Team,
    author: User,
    at: dt.datetime,
    values: dict[str, str],
) -> Submission:
    submission = await Submission.create(event=event, team=team, track_id=team.track_id, **values)
    stored = await _stored_pdf(settings, f"{event.slug}-team-{team.id}.pdf", values["title"])
    await SubmissionFile.create(submission=submission, file=stored)
    files = list(await SubmissionFile.filter(submission=submission).select_related("file"))
    snap = snapshot(submission, files)
    digest = fp.fingerprint(snap)
    await SubmissionVersion.create(
        submission=submission,
        number=1,
        snapshot=snap,
        fingerprint=digest,
        created_at=at,
        author=author,
        changes=fp.changes(None, snap),
        files=[
            {
                "id": str(stored.id),
                "name": stored.original_name,
                "sha256": stored.sha256,
                "size": stored.size,
                "question": None,
            }
        ],
    )
    submission.state, submission.submitted_at = SubmissionState.SUBMITTED, at
    submission.fingerprint, submission.version_count = digest, 1
    await submission.save()
    return submission


async def _past_event(settings: Settings, organizer: User, people: dict[str, User]) -> Event:
    start = now().replace(hour=9, minute=0, second=0, microsecond=0) - 365 * DAY
    event = await _event(
        organizer,
        PAST,
        start,
        title_ar="ميدياثون 2025",
        title_en="Mediathon 2025",
        description_ar="النسخة الأولى من الميدياثون.",
        description_en="The first edition of the Mediathon.",
        rules_ar=RULES_AR,
        rules_en=RULES_EN,
    )
    tracks = list(await Track.filter(event=event).order_by("position"))
    crews = (
        (
            "صوت الحي",
            tracks[1],
            ["lina@", "faisal@"],
            "بودكاست الحي",
            "حلقات صوتية قصيرة يصنعها شباب الحي عن قضاياهم.",
        ),
        (
            "Fact Lab",
            tracks[0],
            ["james@", "maryam@", "participant2@"],
            "Fact Lab Live",
            "Weekly live fact-checks of viral clips with the audience.",
        ),
        (
            "غرفة الغد",
            tracks[2],
            ["participant@", "huda@"],
            "محرر آلي مسؤول",
            "أداة تقترح عناوين متوازنة وتشرح سبب كل اقتراح.",
        ),
    )
    for name, track, emails, title, summary in crews:
        members = [people[e + "manassa.local"] for e in emails]
        for member in members:
            await Registration.create(event=event, user=member)
        team = await _team(event, name, track, members)
        await _submitted(
            settings,
            event,
            team,
            members[0],
            start + 30 * DAY,
            {
                "title": title,
                "summary": summary,
                "problem": summary,
                "solution": summary,
                "audience": summary,
            },
        )
    await _membership(people, event, Role.PARTICIPANT)
    return event

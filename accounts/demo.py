"""Demo accounts for `make run` (every domain adds its own demo data)."""

from __future__ import annotations

from accounts.models import User
from accounts.passwords import hash_password
from core.clock import now
from core.settings import Settings

DEMO_PASSWORD = "Manassa-demo-2026"  # noqa: S105 - printed for the newcomer on purpose
DEMO_USERS = (
    ("admin@manassa.local", "مدير المنصة", "Platform Admin", True, "ar"),
    ("organizer@manassa.local", "نورة القحطاني", "Noura Al-Qahtani", False, "ar"),
    ("judge@manassa.local", "خالد المنصوري", "Khalid Al-Mansoori", False, "ar"),
    ("judge2@manassa.local", "Sarah Johnson", "Sarah Johnson", False, "en"),
    ("participant@manassa.local", "ريم الزهراني", "Reem Al-Zahrani", False, "ar"),
    ("participant2@manassa.local", "Omar Haddad", "Omar Haddad", False, "en"),
)


async def load(settings: Settings) -> list[str]:
    hashed = hash_password(DEMO_PASSWORD, settings.security_argon2_profile)
    for email, name_ar, name_en, is_admin, language in DEMO_USERS:
        await User.create(
            email=email,
            password_hash=hashed,
            name_ar=name_ar,
            name_en=name_en,
            is_admin=is_admin,
            language=language,
            email_verified_at=now(),
            organization="Manassa Demo",
        )
    lines = ["", "Demo accounts (password for all: " + DEMO_PASSWORD + "):"]
    lines += [
        f"  {email:<30} {'admin' if is_admin else name_en}"
        for email, _, name_en, is_admin, _ in DEMO_USERS
    ]
    return lines

"""Sign-up, verification, sign-in, sign-out, password reset and change, profile."""

from __future__ import annotations

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from accounts import forms, services
from accounts.models import SignedIn, User
from core import permissions
from core.errors import DomainError, Invalid, TooManyRequests
from core.i18n import choose_language, get_locale, use_locale
from core.i18n import gettext as _
from core.routing import form_pages
from core.security import LANG_COOKIE, client_address, rotate_session
from core.settings import Settings
from core.templating import render
from core.web import flash, page, redirect, safe_next


def links(request: Request, next_url: str = "") -> services.Links:
    return services.Links(
        request.app.state.settings.base_url, request.app.url_path_for, next=next_url
    )


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _refused(response: Response, exc: DomainError) -> Response:
    """Tell clients when to come back after a rate limit."""
    if isinstance(exc, TooManyRequests):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def signup(request: Request) -> Response:
    if request.state.user is not None:
        return redirect(request, "accounts:profile")
    if request.method == "GET":
        form = forms.Form({})
        form.values["language"] = get_locale()
        next_url = safe_next(request.query_params.get("next", ""))
        return page(request, "accounts/signup.html", form, next=next_url)
    data = await request.form()
    next_url = safe_next(str(data.get("next", "")))
    form = forms.signup(data)
    if not form.ok:
        return page(request, "accounts/signup.html", form, 422, next=next_url)
    v = form.values
    try:
        await services.sign_up(
            _settings(request),
            links(request, next_url),
            email=v["email"],
            password=v["password"],
            name=v["name"],
            language=v["language"],
            address=client_address(request),
        )
    except TooManyRequests as exc:
        return _refused(
            page(request, "accounts/signup.html", form, 429, message=exc.message, next=next_url),
            exc,
        )
    return render(request, "accounts/check_inbox.html", {"email": v["email"]})


async def verify(request: Request) -> Response:
    try:
        user = await services.verify_email(_settings(request), request.path_params["token"])
    except Invalid as exc:
        return render(
            request, "accounts/verify_failed.html", {"message": exc.message}, status_code=400
        )
    flash(request, _("Your e-mail address is confirmed. You can sign in now."))
    next_url = safe_next(request.query_params.get("next", ""))
    if request.state.user is not None and request.state.user.id == user.id:
        return (
            RedirectResponse(next_url, 303) if next_url else redirect(request, "accounts:profile")
        )
    target = request.url_for("accounts:login").include_query_params(email=user.email)
    if next_url:
        target = target.include_query_params(next=next_url)
    return RedirectResponse(str(target), 303)


async def login(request: Request) -> Response:
    next_url = safe_next(request.query_params.get("next", ""))
    if request.method == "GET":
        form = forms.Form({})
        form.values["email"] = request.query_params.get("email", "")[:254]
        return page(request, "accounts/login.html", form, next=next_url)
    data = await request.form()
    next_url = safe_next(str(data.get("next", "")))
    form = forms.login(data)
    if not form.ok:
        return page(request, "accounts/login.html", form, 422, next=next_url)
    try:
        user = await services.authenticate(
            _settings(request),
            links(request),
            email=form.values["email"],
            password=form.values["password"],
            address=client_address(request),
        )
    except DomainError as exc:
        form.values.pop("password", None)
        return _refused(
            page(
                request,
                "accounts/login.html",
                form,
                exc.status_code,
                message=exc.message,
                next=next_url,
            ),
            exc,
        )
    rotate_session(request, uid=user.id, sv=user.session_version)
    with use_locale(_language_after_sign_in(request, user)):
        flash(request, _("Welcome, %(name)s.", name=user.display_name))
    return RedirectResponse(next_url or str(request.url_for("core:home")), status_code=303)


def _language_after_sign_in(request: Request, user: User) -> str:
    """The language of the next page: a chosen one (cookie) first, else the profile's."""
    return choose_language(
        None, request.cookies.get(LANG_COOKIE), user.language, _settings(request).default_language
    )


async def logout(request: Request) -> Response:
    user, sid = request.state.user, request.session.get("sid")
    if user is not None and isinstance(sid, str):
        await services.end_session(_settings(request), user, sid)
    rotate_session(request)
    flash(request, _("You have signed out."))
    # Keep speaking the language the person used while signed in (it may have come from
    # their profile, which the signed-out pages no longer see).
    return _remember_language(request, redirect(request, "core:home"), get_locale())


def _remember_language(request: Request, response: Response, lang: str) -> Response:
    response.set_cookie(
        LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", secure=_settings(request).https
    )
    return response


async def forgot(request: Request) -> Response:
    if request.method == "GET":
        return page(request, "accounts/forgot.html", None)
    form = forms.email_only(await request.form())
    if not form.ok:
        return page(request, "accounts/forgot.html", form, 422)
    try:
        mail_link = await services.request_password_reset(
            _settings(request),
            links(request),
            email=form.values["email"],
            address=client_address(request),
        )
    except TooManyRequests as exc:
        return _refused(page(request, "accounts/forgot.html", form, 429, message=exc.message), exc)
    sent = render(request, "accounts/reset_sent.html", {"email": form.values["email"]})
    sent.background = BackgroundTask(mail_link)  # after the answer: its timing tells nothing
    return sent


async def reset(request: Request) -> Response:
    token = request.path_params["token"]
    settings = _settings(request)
    user = await services.user_for_reset(settings, token)
    if user is None:
        return render(request, "accounts/reset_failed.html", {}, status_code=400)
    if request.method == "GET":
        return page(request, "accounts/reset.html", None, token=token)
    form = forms.new_password(await request.form(), user.email)
    if not form.ok:
        return page(request, "accounts/reset.html", form, 422, token=token)
    try:
        await services.reset_password(settings, token, form.values["password"])
    except Invalid:
        return render(request, "accounts/reset_failed.html", {}, status_code=400)
    rotate_session(request)
    flash(request, _("Your password has been changed. Sign in with the new one."))
    return RedirectResponse(
        str(request.url_for("accounts:login").include_query_params(email=user.email)), 303
    )


async def resend(request: Request) -> Response:
    form = forms.email_only(await request.form())
    if not form.ok:
        return page(request, "accounts/login.html", form, 422, next="")
    try:
        await services.resend_verification(
            _settings(request),
            links(request),
            email=form.values["email"],
            address=client_address(request),
        )
    except TooManyRequests as exc:
        return _refused(
            page(request, "accounts/login.html", form, 429, message=exc.message, next=""), exc
        )
    return render(request, "accounts/check_inbox.html", {"email": form.values["email"]})


async def profile(request: Request) -> Response:
    user: SignedIn | None = request.state.user
    permissions.require(user, "core.signed_in")
    assert user is not None
    if request.method == "GET":
        form = forms.Form({})
        form.values.update({f: getattr(user, f) for f in services.PROFILE_FIELDS})
        return page(request, "accounts/profile.html", form)
    form = forms.profile(await request.form())
    if not form.ok:
        return page(request, "accounts/profile.html", form, 422)
    saved = await services.update_profile(user, form.values)
    with use_locale(saved.language):  # the next page speaks the newly chosen language
        flash(request, _("Your profile has been saved."))
    return _remember_language(request, redirect(request, "accounts:profile"), saved.language)


async def change_password(request: Request) -> Response:
    user: SignedIn | None = request.state.user
    permissions.require(user, "core.signed_in")
    assert user is not None
    if request.method == "GET":
        return page(request, "accounts/change_password.html", None)
    form = forms.change_password(await request.form(), user.email)
    if not form.ok:
        return page(request, "accounts/change_password.html", form, 422)
    try:
        saved = await services.change_password(
            _settings(request),
            user,
            current=form.values["current_password"],
            new=form.values["password"],
        )
    except Invalid as exc:
        form.errors.update(exc.errors)
        return page(request, "accounts/change_password.html", form, 422)
    rotate_session(request, uid=saved.id, sv=saved.session_version)
    flash(request, _("Your password has been changed."))
    return redirect(request, "accounts:profile")


# A refused resend re-renders the sign-in page at /verify/resend: a GET there leads back to
# it (core.routing.form_pages), not to /verify/{token}'s "this link is not valid".
routes = form_pages(
    [
        Route("/signup", signup, methods=["GET", "POST"], name="accounts:signup"),
        Route("/verify/resend", resend, methods=["POST"], name="accounts:resend"),
        Route("/verify/{token}", verify, name="accounts:verify"),
        Route("/login", login, methods=["GET", "POST"], name="accounts:login"),
        Route("/logout", logout, methods=["POST"], name="accounts:logout"),
        Route("/password/forgot", forgot, methods=["GET", "POST"], name="accounts:forgot"),
        Route("/password/reset/{token}", reset, methods=["GET", "POST"], name="accounts:reset"),
        Route("/account/profile", profile, methods=["GET", "POST"], name="accounts:profile"),
        Route(
            "/account/password",
            change_password,
            methods=["GET", "POST"],
            name="accounts:change_password",
        ),
    ],
    {"accounts:resend": "accounts:login"},
)

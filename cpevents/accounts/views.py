"""Signing in and out, registration, email confirmation, passwords, second factor, your account."""

from __future__ import annotations

import hashlib
import hmac
import time

import segno
from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from cpevents.accounts import services
from cpevents.accounts.forms import (
    ChangePasswordForm,
    CodeForm,
    ForgotPasswordForm,
    RecoveryCodeForm,
    RegisterForm,
    SetPasswordForm,
    SetUpTwoFactorForm,
    SignInForm,
)
from cpevents.accounts.models import SecretKind, TokenPurpose, User, normalise_email
from cpevents.core import ratelimits
from cpevents.core.access import pending_sign_in, public, signed_in, token_link
from cpevents.core.forms import ConfirmForm, add_error, answer
from cpevents.core.security import private_link_headers, safe_next
from cpevents.extensions import db, limiter

bp = Blueprint("accounts", __name__)

SIGN_IN_FAILED = (
    "The email address or password is not right. After 6 wrong tries an account is locked for 15 minutes: "
    "if that has happened, wait, or reset your password."
)
PENDING_MINUTES = 10
# Session keys holding handles to secrets kept on the server (PendingSecret), never the secrets.
SETUP_KEY = "authenticator_setup"
CODES_KEY = "recovery_codes"


def _sign_in_limit():
    return current_app.config["RATELIMIT_SIGN_IN"]


def _account_limit():
    return current_app.config["RATELIMIT_SIGN_IN_ACCOUNT"]


def _account_key() -> str:
    """The limiter's key for "this account", whichever address the tries come from: the email typed
    on the sign-in form (normalised), or the person part-way through signing in on the code pages.
    Only an HMAC of it is used, so no email address is ever a key in the limiter's store (Redis)."""
    if request.endpoint == "accounts.sign_in":
        who = "email:" + normalise_email(request.form.get("email", ""))
    else:
        who = "pending:" + str(session.get("pending_user_id", ""))
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), who.encode(), hashlib.sha256).hexdigest()
    return "account:" + digest[:32]


def _sign_in_limits(view):
    """Per client address (RATELIMIT_SIGN_IN) and per account (RATELIMIT_SIGN_IN_ACCOUNT), on posts."""
    view = limiter.limit(_account_limit, key_func=_account_key, methods=["POST"])(view)
    return limiter.limit(_sign_in_limit, methods=["POST"])(view)


# --- signing in -------------------------------------------------------------------------------


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@_sign_in_limits
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if request.method == "GET":
        nxt = safe_next(request.args.get("next"))
        if nxt:
            session["next"] = nxt
        return render_template("accounts/sign_in.html", form=form)
    if not form.validate_on_submit():
        return render_template("accounts/sign_in.html", form=form), 400
    user = services.check_password(answer(form.email.data), answer(form.password.data))
    db.session.commit()  # failed attempts and any lockout email are kept
    if user is None:
        add_error(form.email, SIGN_IN_FAILED)
        return render_template("accounts/sign_in.html", form=form), 400
    if not user.is_verified:
        session["unverified_user_id"] = user.id
        return redirect(url_for("accounts.confirm_email_first"))
    return _after_password(user)


def _after_password(user: User):
    nxt = session.get("next")
    session.clear()
    if nxt:
        session["next"] = nxt
    if user.has_second_factor or user.second_factor_required:
        session["pending_user_id"] = user.id
        session["pending_at"] = time.time()
        if user.has_second_factor:
            return redirect(url_for("accounts.sign_in_code"))
        return redirect(url_for("accounts.sign_in_set_up"))
    return _complete_sign_in(user)


def _complete_sign_in(user: User):
    nxt = safe_next(session.get("next"))
    session.clear()  # a new session: nothing from before sign-in carries over
    services.start_session(user)
    db.session.commit()
    login_user(user)
    session.permanent = True
    return redirect(nxt or url_for("home.index"))


def _pending_user() -> User | None:
    started = session.get("pending_at", 0)
    if time.time() - started > PENDING_MINUTES * 60:
        session.clear()
        return None
    user = db.session.get(User, session.get("pending_user_id"))
    if user is None or not user.is_active or services.is_locked(user):
        session.clear()
        return None
    return user


def _pending_expired():
    flash("Sign in again. For your security, the sign-in was started too long ago or too many codes were wrong.")
    return redirect(url_for("accounts.sign_in"))


@bp.route("/sign-in/code", methods=["GET", "POST"])
@pending_sign_in
@_sign_in_limits
def sign_in_code():
    user = _pending_user()
    if user is None or not user.has_second_factor:
        return _pending_expired()
    form = CodeForm()
    if request.method == "GET":
        return render_template("accounts/sign_in_code.html", form=form)
    if not form.validate_on_submit():
        return render_template("accounts/sign_in_code.html", form=form), 400
    if not services.check_totp(user, answer(form.code.data)):
        services.record_failed_sign_in(user)
        db.session.commit()
        if services.is_locked(user):
            session.clear()
            return _pending_expired()
        add_error(form.code, "The code is not right. Check your authenticator app and enter the newest code")
        return render_template("accounts/sign_in_code.html", form=form), 400
    return _complete_sign_in(user)


@bp.route("/sign-in/recovery-code", methods=["GET", "POST"])
@pending_sign_in
@_sign_in_limits
def sign_in_recovery():
    user = _pending_user()
    if user is None or not user.has_second_factor:
        return _pending_expired()
    form = RecoveryCodeForm()
    if request.method == "GET":
        return render_template("accounts/sign_in_recovery.html", form=form)
    if not form.validate_on_submit():
        return render_template("accounts/sign_in_recovery.html", form=form), 400
    if not services.use_recovery_code(user, answer(form.code.data)):
        services.record_failed_sign_in(user)
        db.session.commit()
        add_error(form.code, "That recovery code is not right, or it has been used already")
        return render_template("accounts/sign_in_recovery.html", form=form), 400
    left = services.recovery_codes_left(user)
    response = _complete_sign_in(user)
    flash(f"You used a recovery code. You have {left} left. You can make new ones on your account page.")
    return response


@bp.route("/sign-in/set-up-authenticator", methods=["GET", "POST"])
@pending_sign_in
@_sign_in_limits
def sign_in_set_up():
    """Organisers and board members must add a second factor before their first sign-in completes."""
    user = _pending_user()
    if user is None:
        return _pending_expired()
    if user.has_second_factor:
        return redirect(url_for("accounts.sign_in_code"))
    return _two_factor_set_up(user, during_sign_in=True)


def _two_factor_set_up(user: User, during_sign_in: bool):
    """The key stays the same while this browser sets it up (reloading shows the same QR code); it
    waits on the server, with only a handle to it in the session cookie, which is readable."""
    form = SetUpTwoFactorForm()
    secret = services.read_secret(session.get(SETUP_KEY), user, SecretKind.AUTHENTICATOR_SETUP)
    if request.method == "GET" or not secret:
        if not secret:
            secret = services.new_totp_secret()
            session[SETUP_KEY] = services.keep_secret(user, SecretKind.AUTHENTICATOR_SETUP, secret)
            db.session.commit()
        form = SetUpTwoFactorForm(formdata=None)
        return render_template("accounts/two_factor_set_up.html", form=form, **_qr(user, secret), during_sign_in=during_sign_in)
    status = 400
    if form.validate_on_submit():
        codes = services.enable_totp(user, secret, answer(form.code.data))
        if codes is not None:
            services.drop_secret(session.pop(SETUP_KEY, None))
            handle = services.keep_secret(user, SecretKind.RECOVERY_CODES, "\n".join(codes))
            if during_sign_in:
                _complete_sign_in(user)  # a new session (the cookie starts empty), committed
            else:
                db.session.commit()
            session[CODES_KEY] = handle
            return redirect(url_for("accounts.recovery_codes"))
        add_error(form.code, "The code is not right. Check you scanned the QR code or typed the key, then enter the newest code")
    return render_template("accounts/two_factor_set_up.html", form=form, **_qr(user, secret), during_sign_in=during_sign_in), status


def _qr(user: User, secret: str) -> dict:
    uri = services.totp_uri(user, secret)
    qr = segno.make(uri, error="m")
    return {
        "qr_data_uri": qr.svg_data_uri(scale=4, title="QR code for your authenticator app"),
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }


@bp.get("/account/recovery-codes")
@signed_in
def recovery_codes():
    """Shown once: the codes wait on the server until this page, then are gone (only their
    hashes stay, in RecoveryCode)."""
    codes = services.take_secret(session.get(CODES_KEY), current_user, SecretKind.RECOVERY_CODES)
    if not codes:
        session.pop(CODES_KEY, None)
        return redirect(url_for("accounts.account"))
    db.session.commit()
    session.pop(CODES_KEY, None)  # after the commit: a GET that SQLite runs again must still find it
    return render_template("accounts/recovery_codes.html", codes=codes.split("\n"))


@bp.post("/sign-out")
@public
def sign_out():
    if current_user.is_authenticated:
        services.end_session(current_user.get_id())
        db.session.commit()
    logout_user()
    session.clear()
    response = redirect(url_for("accounts.signed_out"))
    # The door list saved on a phone for use without signal (its pages and waiting taps) goes too.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.get("/signed-out")
@public
def signed_out():
    return render_template("accounts/signed_out.html")


@bp.route("/confirm-your-email", methods=["GET", "POST"])
@public
@limiter.limit(ratelimits.form_limit, methods=["POST"])
def confirm_email_first():
    user_id = session.get("unverified_user_id")
    user = db.session.get(User, user_id) if user_id else None
    if user is None or user.is_verified:
        return redirect(url_for("accounts.sign_in"))
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        services.send_verification(user)
        db.session.commit()
        flash("We have sent you a new link. Check your email.")
        return redirect(url_for("accounts.confirm_email_first"))
    return render_template("accounts/confirm_email_first.html", form=form, email=user.email)


# --- registration ---------------------------------------------------------------------------------


@bp.route("/register", methods=["GET", "POST"])
@public
@limiter.limit(ratelimits.form_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm()
    if request.method == "GET":
        return render_template("accounts/register.html", form=form)
    if not form.validate_on_submit():
        return render_template("accounts/register.html", form=form), 400
    services.register_user(
        name=answer(form.name.data),
        email=answer(form.email.data),
        organisation=answer(form.organisation.data),
        job_title=answer(form.job_title.data),
        password=answer(form.password.data),
        wants_champion=form.purpose.data == "champion",
    )
    db.session.commit()
    session["registered_email"] = form.email.data
    session["wants_champion"] = form.purpose.data == "champion"
    return redirect(url_for("accounts.check_email"))


@bp.get("/register/check-your-email")
@public
def check_email():
    return render_template("accounts/check_email.html", email=session.get("registered_email"), wants_champion=session.get("wants_champion"))


@bp.route("/verify-email/<token>", methods=["GET", "POST"])
@token_link
@limiter.limit(ratelimits.token_limit)
def verify_email(token):
    row = services.find_token(token, TokenPurpose.VERIFY_EMAIL)
    if row is None:
        return private_link_headers(make_response(render_template("accounts/link_expired.html", kind="confirm"), 404))
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        services.verify_email(row)
        db.session.commit()
        flash("Your email address is confirmed. You can now sign in.", "success")
        return redirect(url_for("accounts.sign_in"))
    return private_link_headers(make_response(render_template("accounts/verify_email.html", form=form)))


# --- passwords ---------------------------------------------------------------------------------------


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
@limiter.limit(ratelimits.form_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if request.method == "GET":
        return render_template("accounts/forgot_password.html", form=form)
    if not form.validate_on_submit():
        return render_template("accounts/forgot_password.html", form=form), 400
    services.request_password_reset(answer(form.email.data))
    db.session.commit()
    session["reset_email"] = form.email.data
    return redirect(url_for("accounts.reset_sent"))


@bp.get("/forgot-password/sent")
@public
def reset_sent():
    return render_template("accounts/reset_sent.html", email=session.get("reset_email"))


def _password_from_link(token: str, purpose: TokenPurpose, template: str):
    row = services.find_token(token, purpose)
    if row is None:
        kind = "reset" if purpose == TokenPurpose.RESET_PASSWORD else "invite"
        return private_link_headers(make_response(render_template("accounts/link_expired.html", kind=kind), 404))
    form = SetPasswordForm()
    form._person_name, form._person_email = row.user.name, row.user.email
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                services.set_password_from_link(row, answer(form.password.data))
            except services.AccountError as error:
                db.session.rollback()
                flash(str(error))
                return redirect(url_for("accounts.sign_in"))
            db.session.commit()
            flash("Your password is saved. Sign in with your email address and new password.", "success")
            return redirect(url_for("accounts.sign_in"))
        status = 400
    page = render_template(template, form=form, person=row.user)
    return private_link_headers(make_response(page, status))


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@token_link
@limiter.limit(ratelimits.token_limit)
def reset_password(token):
    return _password_from_link(token, TokenPurpose.RESET_PASSWORD, "accounts/reset_password.html")


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@token_link
@limiter.limit(ratelimits.token_limit)
def set_password(token):
    return _password_from_link(token, TokenPurpose.SET_PASSWORD, "accounts/set_password.html")


# --- your account -----------------------------------------------------------------------------------------


@bp.get("/account")
@signed_in
def account():
    return render_template(
        "accounts/account.html",
        codes_left=services.recovery_codes_left(current_user) if current_user.has_second_factor else 0,
        form=ConfirmForm(),
    )


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
@limiter.limit(ratelimits.form_limit, methods=["POST"])
def account_password():
    form = ChangePasswordForm()
    form._person_name, form._person_email = current_user.name, current_user.email
    if request.method == "GET":
        return render_template("accounts/change_password.html", form=form)
    if form.validate_on_submit():
        try:
            services.change_password(current_user, answer(form.current.data), answer(form.password.data))
        except services.AccountError as error:
            add_error(form.current, str(error))
        else:
            db.session.commit()
            flash("Your password has been changed.", "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form), 400


@bp.route("/account/two-factor", methods=["GET", "POST"])
@signed_in
@limiter.limit(ratelimits.form_limit, methods=["POST"])
def account_two_factor():
    if current_user.has_second_factor:
        return redirect(url_for("accounts.account"))
    return _two_factor_set_up(current_user, during_sign_in=False)


@bp.post("/account/two-factor/turn-off")
@signed_in
def account_two_factor_off():
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("accounts.account"))
    try:
        services.disable_totp(current_user)
    except services.AccountError as error:
        flash(str(error))
        return redirect(url_for("accounts.account"))
    db.session.commit()
    flash("The second factor is turned off. You will sign in with your password only.", "success")
    return redirect(url_for("accounts.account"))


@bp.post("/account/recovery-codes")
@signed_in
def account_new_recovery_codes():
    form = ConfirmForm()
    if not form.validate_on_submit() or not current_user.has_second_factor:
        return redirect(url_for("accounts.account"))
    codes = services.regenerate_recovery_codes(current_user)
    session[CODES_KEY] = services.keep_secret(current_user, SecretKind.RECOVERY_CODES, "\n".join(codes))
    db.session.commit()
    return redirect(url_for("accounts.recovery_codes"))

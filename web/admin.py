"""Administration: staff accounts (role, team, password, active), teams, categories, the
council's closure days (set in config.toml, shown here with the state they were applied in), and
the council's wording of the letter templates (`web.admin_templates`)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from complaints.errors import NotFoundError
from complaints.models import Role
from complaints.permissions import Permission
from complaints.services.accounts import (
    add_category,
    change_account,
    list_categories,
    list_staff,
    list_teams,
    set_list_entry_active,
    set_password,
    staff_member,
)
from complaints.services.people import add_team, add_user, find_user
from web import admin_templates
from web.forms import NAME_LIMIT, Form, empty_form
from web.pages import choices, submit
from web.security import ROLE_NAMES, account, allowed_to, context

bp = Blueprint("admin", __name__, url_prefix="/admin")
admin_templates.register(bp)
ROLES = tuple(role.value for role in Role)
PASSWORD_LIMIT = 256


@bp.route("")
@allowed_to(Permission.MANAGE_ACCOUNTS)
def index() -> str:
    return render_template("admin/index.html")


@bp.route("/users")
@allowed_to(Permission.MANAGE_ACCOUNTS)
def users() -> str:
    return render_template("admin/users.html", staff=list_staff(context()), role_names=ROLE_NAMES)


@bp.route("/users/new", methods=["GET", "POST"])
@allowed_to(Permission.MANAGE_ACCOUNTS)
def new_user() -> str | Response:
    options = choices()
    if request.method == "GET":
        return render_template(
            "admin/new_user.html", form=empty_form(), choices=options, role_names=ROLE_NAMES
        )
    form = Form(request.form)
    username = form.text("username", "a username", limit=60)
    full_name = form.text("full_name", "their full name", limit=NAME_LIMIT)
    role = form.choice("role", "a role", ROLES)
    team = form.choice("team", "a team", options.team_names, required=False)
    email = form.optional_text("email", "an e-mail address", limit=254)
    password = form.text("password", "a password", limit=PASSWORD_LIMIT)
    created = submit(
        form,
        lambda: _add_user(username, full_name, role, team or None, email, password),
    )
    if created is None:
        page = render_template(
            "admin/new_user.html", form=form, choices=options, role_names=ROLE_NAMES
        )
        return page, 400  # type: ignore[return-value]
    flash(f"Account '{created}' added.", "success")
    return redirect(url_for("admin.users"))


def _add_user(
    username: str, full_name: str, role: str, team: str | None, email: str | None, password: str
) -> str:
    ctx = context()
    with ctx.database.reader() as session:
        actor = find_user(session, account().username)
    user = add_user(
        ctx,
        username,
        role=role,
        full_name=full_name,
        team=team,
        email=email,
        password=password,
        actor=actor,
    )
    return user.username


@bp.route("/users/<username>", methods=["GET", "POST"])
@allowed_to(Permission.MANAGE_ACCOUNTS)
def edit_user(username: str) -> str | Response:
    try:
        member = staff_member(context(), username)
    except NotFoundError:
        abort(404)
    options = choices()
    if request.method == "GET":
        form = empty_form(
            {
                "full_name": member.full_name,
                "email": member.email or "",
                "role": member.role,
                "team": member.team or "",
                "active": "yes" if member.active else "no",
            }
        )
        return render_template(
            "admin/edit_user.html",
            member=member,
            form=form,
            choices=options,
            role_names=ROLE_NAMES,
        )
    form = Form(request.form)
    full_name = form.text("full_name", "their full name", limit=NAME_LIMIT)
    role = form.choice("role", "a role", ROLES)
    team = form.choice("team", "a team", options.team_names, required=False)
    email = form.optional_text("email", "an e-mail address", limit=254)
    active = form.choice("active", "whether they may sign in", ("yes", "no")) == "yes"
    changed = submit(
        form,
        lambda: change_account(
            context(),
            member.username,
            by=account().username,
            role=role,
            team=team or None,
            full_name=full_name,
            email=email,
            active=active,
        ),
    )
    if changed is None:
        page = render_template(
            "admin/edit_user.html", member=member, form=form, choices=options, role_names=ROLE_NAMES
        )
        return page, 400  # type: ignore[return-value]
    flash(f"Account '{member.username}' changed.", "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<username>/password", methods=["POST"])
@allowed_to(Permission.MANAGE_ACCOUNTS)
def password(username: str) -> str | Response:
    try:
        member = staff_member(context(), username)
    except NotFoundError:
        abort(404)
    form = Form(request.form)
    new_password = form.text("password", "a new password", limit=PASSWORD_LIMIT)
    done = submit(
        form,
        lambda: set_password(context(), member.username, new_password, by=account().username),
        "password",
    )
    if done is None and not form.valid:
        options = choices()
        page = render_template(
            "admin/edit_user.html",
            member=member,
            form=form,
            choices=options,
            role_names=ROLE_NAMES,
        )
        return page, 400  # type: ignore[return-value]
    flash(f"Password of '{member.username}' set.", "success")
    return redirect(url_for("admin.users"))


@bp.route("/lists", methods=["GET"])
@allowed_to(Permission.MANAGE_ACCOUNTS)
def lists() -> str:
    ctx = context()
    return render_template(
        "admin/lists.html",
        teams=list_teams(ctx),
        categories=list_categories(ctx),
        closure_days=ctx.settings.calendar.closure_days,
        config_file=ctx.settings.source,
        form=empty_form(),
    )


@bp.route("/lists/<kind>", methods=["POST"])
@allowed_to(Permission.MANAGE_ACCOUNTS)
def add_entry(kind: str) -> str | Response:
    if kind not in ("team", "category"):
        abort(404)
    form = Form(request.form)
    name = form.text("name", f"the {kind}'s name", limit=120)
    ctx = context()

    def add() -> str:
        if kind == "team":
            with ctx.database.reader() as session:
                actor = find_user(session, account().username)
            return add_team(ctx, name, actor=actor).name
        return add_category(ctx, name, by=account().username).name

    added = submit(form, add, "name")
    if added is None:
        page = render_template(
            "admin/lists.html",
            teams=list_teams(ctx),
            categories=list_categories(ctx),
            closure_days=ctx.settings.calendar.closure_days,
            config_file=ctx.settings.source,
            form=form,
        )
        return page, 400  # type: ignore[return-value]
    flash(f"{kind.capitalize()} '{added}' added.", "success")
    return redirect(url_for("admin.lists"))


@bp.route("/lists/<kind>/<int:entry_id>/<change>", methods=["POST"])
@allowed_to(Permission.MANAGE_ACCOUNTS)
def toggle_entry(kind: str, entry_id: int, change: str) -> Response:
    if kind not in ("team", "category") or change not in ("withdraw", "offer"):
        abort(404)
    form = Form(request.form)
    done = submit(
        form,
        lambda: set_list_entry_active(
            context(), kind, entry_id, active=change == "offer", by=account().username
        ),
    )
    if done is None:
        flash(form.errors[0].message if form.errors else "Not changed.", "error")
    else:
        flash(
            f"{kind.capitalize()} '{done.name}' {'offered' if done.active else 'withdrawn'}.",
            "success",
        )
    return redirect(url_for("admin.lists"))

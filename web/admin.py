"""Administration: staff accounts (role, team, password, active), teams, categories, the
council's closure days (set in config.toml, shown here with the state they were applied in), and
the council's wording of the letter templates (`web.admin_templates`)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from complaints.errors import NotFoundError
from complaints.permissions import Permission
from complaints.services.accounts import (
    StaffMember,
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
from web.forms.accounts import ChangeAccountForm, ListEntryForm, NewAccountForm, PasswordForm
from web.forms.base import PageForm
from web.pages import choices, form_page, refusals_shown, submit
from web.security import ROLE_NAMES, account, allowed_to, context

bp = Blueprint("admin", __name__, url_prefix="/admin")
admin_templates.register(bp)
LIST_KINDS = ("team", "category")


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
def new_user() -> ResponseReturnValue:
    form = NewAccountForm(choices())
    return form_page(
        "admin/new_user.html",
        form,
        lambda: _add_user(form),
        done=lambda created: f"Account '{created}' added.",
        then=url_for("admin.users"),
    )


def _add_user(form: NewAccountForm) -> str:
    ctx = context()
    with ctx.database.reader() as session:
        actor = find_user(session, account().username)
    user = add_user(
        ctx,
        form.username.data,
        role=form.role.data,
        full_name=form.full_name.data,
        team=form.team.optional,
        email=form.email.optional,
        password=form.password.data,
        actor=actor,
    )
    return user.username


@bp.route("/users/<username>", methods=["GET", "POST"])
@allowed_to(Permission.MANAGE_ACCOUNTS)
def edit_user(username: str) -> ResponseReturnValue:
    member = _member(username)
    form = _account_form(member)
    return form_page(
        "admin/edit_user.html",
        form,
        lambda: change_account(
            context(),
            member.username,
            by=account().username,
            role=form.role.data,
            team=form.team.optional,
            full_name=form.full_name.data,
            email=form.email.optional,
            active=form.active.data == "yes",
        ),
        done=f"Account '{member.username}' changed.",
        then=url_for("admin.users"),
        member=member,
        password_form=PasswordForm(blank=True),
    )


@bp.route("/users/<username>/password", methods=["POST"])
@allowed_to(Permission.MANAGE_ACCOUNTS)
def password(username: str) -> ResponseReturnValue:
    member = _member(username)
    form = PasswordForm()
    if form.validate():
        with refusals_shown(form, form.password):
            set_password(context(), member.username, form.password.data, by=account().username)
            flash(f"Password of '{member.username}' set.", "success")
            return redirect(url_for("admin.users"))
    page = render_template(
        "admin/edit_user.html",
        member=member,
        form=_account_form(member, blank=True),
        password_form=form,
    )
    return page, 400


def _member(username: str) -> StaffMember:
    try:
        return staff_member(context(), username)
    except NotFoundError:
        abort(404)


def _account_form(member: StaffMember, *, blank: bool = False) -> ChangeAccountForm:
    """The account's form, showing the account as it is until it is sent."""
    return ChangeAccountForm(
        choices(),
        blank=blank,
        full_name=member.full_name,
        email=member.email or "",
        role=member.role,
        team=member.team or "",
        active="yes" if member.active else "no",
    )


@bp.route("/lists", methods=["GET"])
@allowed_to(Permission.MANAGE_ACCOUNTS)
def lists() -> str:
    return _lists_page(ListEntryForm("team"), ListEntryForm("category"))


@bp.route("/lists/<kind>", methods=["POST"])
@allowed_to(Permission.MANAGE_ACCOUNTS)
def add_entry(kind: str) -> ResponseReturnValue:
    if kind not in LIST_KINDS:
        abort(404)
    forms = {each: ListEntryForm(each, blank=each != kind) for each in LIST_KINDS}
    form = forms[kind]
    ctx = context()

    def add() -> str:
        if kind == "team":
            with ctx.database.reader() as session:
                actor = find_user(session, account().username)
            return add_team(ctx, form.name.data, actor=actor).name
        return add_category(ctx, form.name.data, by=account().username).name

    added = submit(form, add, form.name)
    if added is None:
        return _lists_page(forms["team"], forms["category"]), 400
    flash(f"{kind.capitalize()} '{added}' added.", "success")
    return redirect(url_for("admin.lists"))


def _lists_page(team_form: ListEntryForm, category_form: ListEntryForm) -> str:
    ctx = context()
    return render_template(
        "admin/lists.html",
        teams=list_teams(ctx),
        categories=list_categories(ctx),
        closure_days=ctx.settings.calendar.closure_days,
        config_file=ctx.settings.source,
        team_form=team_form,
        category_form=category_form,
    )


@bp.route("/lists/<kind>/<int:entry_id>/<change>", methods=["POST"])
@allowed_to(Permission.MANAGE_ACCOUNTS)
def toggle_entry(kind: str, entry_id: int, change: str) -> Response:
    if kind not in LIST_KINDS or change not in ("withdraw", "offer"):
        abort(404)
    form = PageForm()
    done = submit(
        form,
        lambda: set_list_entry_active(
            context(), kind, entry_id, active=change == "offer", by=account().username
        ),
    )
    if done is None:
        flash(form.problems[0].message if form.problems else "Not changed.", "error")
    else:
        flash(
            f"{kind.capitalize()} '{done.name}' {'offered' if done.active else 'withdrawn'}.",
            "success",
        )
    return redirect(url_for("admin.lists"))

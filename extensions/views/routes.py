"""routers/<model>.py: each route's method, path, level dependency and parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..schema import ROUTES, Import, OnDelete, py
from .code import render_imports

if TYPE_CHECKING:
    from .model import ModelView


@dataclass
class Route:
    """One endpoint: `@router.<method>(<path>, ...)` then `def <function>(<parameters>)`."""

    action: str
    level: str
    model: ModelView

    # what it prints ---------------------------------------------------------------------

    @property
    def method(self) -> str:
        return ROUTES[self.action][0].lower()

    @property
    def path(self) -> str:
        # `:int` lets a route the owner adds after these (`/search`) be reached.
        return ROUTES[self.action][1].replace("{id}", f"{{{self.model.id_param}:int}}")

    @property
    def decorator_arguments(self) -> list[str]:
        name = self.model.name
        arguments = [py(self.path)]
        if self.action == "list":
            arguments.append(f"response_model=list[{name}Read]")
        elif self.action != "delete":
            arguments.append(f"response_model={name}Read")
        if self.action == "create":
            arguments.append("status_code=status.HTTP_201_CREATED")
        if self.action != "delete" and self.model.queries.embedded:
            # A related record is in the output only when ?expand= embedded it.
            arguments.append("response_model_exclude_unset=True")
        if self.action == "delete":
            arguments.append("status_code=status.HTTP_204_NO_CONTENT")
        if self.error_codes:
            arguments.append(f"responses=error_responses({', '.join(map(str, self.error_codes))})")
        if self.guard:
            arguments.append(f"dependencies=[{self.guard}]")
        return arguments

    @property
    def function(self) -> str:
        model = self.model
        return {
            "create": f"create_{model.module}",
            "list": f"list_{model.plural}",
            "detail": f"read_{model.module}",
            "update": f"update_{model.module}",
            "delete": f"delete_{model.module}",
        }[self.action]

    @property
    def parameters(self) -> list[str]:
        model, record = self.model, f"{self.model.id_param}: RecordId"
        parameters = {
            "create": [f"data: {model.name}Create", "session: SessionDep"],
            "list": [
                "session: SessionDep",
                f"params: Annotated[{model.name}ListParams, Query()]",
                "response: Response",
            ],
            "detail": [record, "session: SessionDep"],
            "update": [record, f"data: {model.name}Update", "session: SessionDep"],
            "delete": [record, "session: SessionDep"],
        }[self.action]
        if self.expands and self.action == "detail":
            parameters.append(f"params: Annotated[{model.name}DetailParams, Query()]")
        if self.user_dep:
            parameters.append(f"current_user: {self.user_dep}")
        if self.reads_token:
            parameters.append("token: BearerToken")
        return parameters

    @property
    def returns(self) -> str:
        # A route that expands returns Read shapes, with the related records embedded.
        name = f"{self.model.name}Read" if self.expands else self.model.name
        return {"list": f"list[{name}]", "delete": "None"}.get(self.action, name)

    # ?expand= -----------------------------------------------------------------------------

    @property
    def expands(self) -> bool:
        """The route takes `?expand=`: what it may embed depends on the caller."""
        return self.action in self.model.queries.expands_on

    @property
    def reads_token(self) -> bool:
        """A public route that expands reads the caller only when asked to: loading them
        for every request would cost what the route itself does."""
        return self.expands and not self.user_dep

    @property
    def expansions_call(self) -> str:
        model = self.model.name
        if self.reads_token:
            return f"expansions_for_token({model}, params.expand, session, token)"
        return f"expansions({model}, params.expand, current_user)"

    # who may call it ----------------------------------------------------------------------

    @property
    def guard(self) -> str | None:
        """The decorator dependency that enforces a role, when the route needs no user."""
        if self.level == "auth" and not self.needs_user:
            return "RequireUser"
        if self.level == "admin" and not self.needs_user:
            return "RequireAdmin"
        return None

    @property
    def user_dep(self) -> str | None:
        """The `current_user` parameter's type, when the route looks at the user."""
        if not self.needs_user:
            # What a caller may expand depends on who they are: the guard stays the level's.
            return "CurrentUser" if self.expands and self.level != "public" else None
        return {"public": "OptionalUser", "admin": "AdminUser"}.get(self.level, "CurrentUser")

    @property
    def needs_user(self) -> bool:
        return (
            self.owned
            or self.checks_role
            or self.sets_owner
            or self.keeps_owner
            or self.scoped
            or self.checks_admin_only
        )

    @property
    def checks_admin_only(self) -> bool:
        """A write below admin level of a model with fields only an admin sets."""
        return (
            self.action in ("create", "update")
            and self.level != "admin"
            and bool(self.model.admin_only)
        )

    @property
    def checks_role(self) -> bool:
        """Only an admin sets a role: below admin level, the user model's writes check it."""
        return (
            self.model.is_user_model
            and self.action in ("create", "update")
            and self.level != "admin"
        )

    @property
    def owned(self) -> bool:
        """An owner-level route: a non-admin reaches only their own records."""
        return self.level == "owner"

    @property
    def sets_owner(self) -> bool:
        """A create whose owner FK comes from the token (an admin may name another)."""
        return self.action == "create" and self.model.direct_owner is not None

    @property
    def keeps_owner(self) -> bool:
        """An update that refuses a non-admin's change of the owner FK."""
        return (
            self.action == "update"
            and self.level != "admin"
            and self.model.direct_owner is not None
        )

    @property
    def checks_move(self) -> bool:
        """An update below owner level of a record owned through its parent: only its owner
        (or an admin) moves it to another parent."""
        return (
            self.action == "update"
            and self.level in ("public", "auth")
            and self.model.owner_parent is not None
        )

    @property
    def scoped(self) -> bool:
        """The route passes crud the caller's owner scope: to reach only their records, or
        to check that the records a body refers to are theirs."""
        if self.owned or self.checks_move:
            return True
        return (
            self.action in ("create", "update")
            and self.level != "admin"
            and bool(self.model.owned_references)
        )

    @property
    def error_codes(self) -> list[int]:
        codes: set[int] = set()
        if self.action in ("create", "update"):
            codes.add(400)  # a body that cannot be parsed at all
        if self.level != "public":
            codes.add(401)
        if self.level == "admin" or self.checks_role or self.sets_owner or self.keeps_owner:
            codes.add(403)
        if self.checks_move or self.checks_admin_only:
            codes.add(403)
        if self.expands:
            codes.update((401, 403))  # a relation the caller may not read
        if self.action in ("detail", "update", "delete"):
            codes.add(404)
        if self.action in ("create", "update") and self.model.unique_fields:
            codes.add(409)
        if self.action == "delete" and any(
            r.on_delete is OnDelete.RESTRICT for r in self.model.model.children
        ):
            codes.add(409)
        return sorted(codes)


class RouterModule:
    def __init__(self, model: ModelView) -> None:
        self.model = model

    @property
    def router_arguments(self) -> list[str]:
        """`APIRouter(...)`'s arguments."""
        return [f"prefix={py(self.model.path)}", f"tags=[{py(self.model.tag)}]"]

    @property
    def record_routes(self) -> bool:
        """Some route acts on one record by its id (detail, update, delete)."""
        return any(a in self.model.endpoints for a in ("detail", "update", "delete"))

    def record_lookup(self, action: str) -> str:
        """The expression that loads the record a detail, update or delete route acts on."""
        model = self.model
        if model.endpoints[action].owned:
            return (
                f"get_{model.module}_or_404(session, {model.id_param}, owner_scope(current_user))"
            )
        return f"get_{model.module}_or_404(session, {model.id_param})"

    @property
    def auth_deps(self) -> set[str]:
        """The names this router takes from auth/deps.py."""
        names: set[str] = set()
        for route in self.model.endpoints.values():
            names.update(filter(None, (route.guard, route.user_dep)))
            if route.checks_role:
                names.add("ensure_can_set_role")
                if route.action == "update":
                    names.add("ensure_can_set_password")
            if route.checks_admin_only:
                names.add("ensure_admin_sets")
        return names

    @property
    def ownership_rules(self) -> set[str]:
        """The names this router takes from auth/ownership.py."""
        names: set[str] = set()
        for route in self.model.endpoints.values():
            if route.scoped:
                names.add("owner_scope")
            if route.sets_owner:
                names.add("owner_of_new_record")
                if route.level == "public" and self.model.owner_required:
                    names.add("missing_owner")
            if route.keeps_owner:
                names.add("ensure_owner_kept")
            if route.checks_move:
                names.add("ensure_moved_by_owner")
        return names

    @property
    def imports(self) -> str:
        model, routes = self.model, self.model.endpoints
        name = model.name
        needed = [Import("fastapi", "APIRouter"), Import("database", "SessionDep")]
        needed += [Import(f"models.{model.module}", name), Import(f"crud.{model.module}")]
        schemas = [f"{name}Read"] if set(routes) - {"delete"} else []
        if "create" in routes:
            schemas.append(f"{name}Create")
            needed.append(Import("fastapi", "status"))
        if "list" in routes:
            schemas.append(f"{name}ListParams")
            needed += [Import("fastapi", "Query"), Import("fastapi", "Response")]
            needed.append(Import("typing", "Annotated"))
        if "update" in routes:
            schemas.append(f"{name}Update")
        for route in routes.values():
            if route.expands:
                expansions = "expansions_for_token" if route.reads_token else "expansions"
                needed.append(Import("auth.expand", expansions))
                embed = "embed" if route.action == "list" else "embed_one"
                needed.append(Import("crud.queries", embed))
            if route.reads_token:
                needed.append(Import("auth.expand", "BearerToken"))
        if "detail" in model.queries.expands_on:
            schemas.append(f"{name}DetailParams")
            needed += [Import("fastapi", "Query"), Import("typing", "Annotated")]
        if "delete" in routes:
            needed.append(Import("fastapi", "status"))
        needed += [Import(f"schemas.{model.module}", schema) for schema in schemas]
        if any(route.error_codes for route in routes.values()):
            needed.append(Import("errors", "error_responses"))
        if self.record_routes:
            needed += [Import("fastapi", "HTTPException"), Import("fastapi", "status")]
            needed += [Import("sqlalchemy.orm", "Session"), Import("database", "RecordId")]
        needed += [Import("auth.deps", dep) for dep in self.auth_deps]
        needed += [Import("auth.ownership", rule) for rule in self.ownership_rules]
        return render_imports(needed)

"""The legacy CMS ("WebShop Manager 2005"): a product catalogue and a product page
editor whose description is written in an iframe rich-text editor. Saving makes a
draft that waits for a person to review it (publish or reject on the draft's page);
nothing is published by a robot."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from sandbox._auth import login_routes
from sandbox._cms_store import CmsStore, Draft
from sandbox._erp_forms import CURRENCIES
from sandbox._web import LegacyApp
from sandbox.settings import SandboxSettings

_SKU = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")
# v1 name -> v2 name; labels stay the same in both layouts
NAMES = {"sku": "prodCode", "title": "prodName", "price": "listPrice", "currency": "priceCur",
         "stock": "qtyOnHand", "note": "chgNote", "description": "bodyHtml"}  # fmt: skip
_UNSAFE = re.compile(r"<\s*/?\s*(script|iframe|object|embed|style)[^>]*>|\son\w+\s*=", re.I)


def _clean(html: str) -> str:
    """The old CMS's "sanitizer": strips the obviously dangerous bits."""
    return _UNSAFE.sub("", html)


def validate_product(values: dict[str, str]) -> list[str]:
    errors: list[str] = []
    if not _SKU.match(values["sku"]):
        errors.append(f"SKU '{values['sku']}' is invalid (capital letters, digits and dashes).")
    if not values["title"]:
        errors.append("Title is required.")
    try:
        if Decimal(values["price"].replace(",", ".")) < 0:
            raise InvalidOperation
    except InvalidOperation:
        errors.append(f"Price '{values['price']}' is not a valid amount (e.g. 19.90).")
    if values["currency"] not in CURRENCIES:
        errors.append(f"Currency '{values['currency']}' is not allowed.")
    if not values["stock"].isdigit():
        errors.append(f"Stock '{values['stock']}' must be a whole number.")
    return errors


def create_cms_app(settings: SandboxSettings | None = None) -> Starlette:
    settings = settings or SandboxSettings()
    store = CmsStore(settings.cms_db_path())
    app = LegacyApp("cms", "PHPSESSID", settings.admin_token, settings.session_idle_seconds)

    def name(key: str, layout: int) -> str:
        return NAMES[key] if layout == 2 else key

    async def catalogue(request: Request) -> Response:
        if app.authenticated(request) is None:
            return app.login_redirect(request)
        return app.render(
            request, "catalogue.html", products=store.products(), drafts=store.drafts()
        )

    def render_editor(
        request: Request, csrf: str, values: dict[str, str], errors: list[str], status: int = 200
    ) -> Response:
        return app.render(
            request,
            "editor.html",
            status_code=status,
            csrf=csrf,
            values=values,
            errors=errors,
            name=name,
            currencies=CURRENCIES,
        )

    async def editor(request: Request) -> Response:
        session = app.authenticated(request)
        if session is None:
            return app.login_redirect(request)
        if request.method == "GET":
            # Layout 2's catalogue links with its own parameter name.
            query = request.query_params
            sku = query.get("sku") or query.get(NAMES["sku"]) or ""
            product = store.product(sku) if sku else None
            values = {k: str(product[k]) for k in NAMES if k in product} if product else {}
            values.setdefault("sku", sku)
            values.setdefault("stock", "0")
            return render_editor(request, session.csrf, values, [])
        form = await request.form()
        if not app.csrf_ok(session, form):
            return app.csrf_refused()
        layout = int(str(form.get("layout") or app.layout))
        values = {k: str(form.get(name(k, layout)) or "").strip() for k in NAMES}
        errors = validate_product(values)
        if errors:
            return render_editor(request, session.csrf, values, errors, status=422)
        number = store.save_draft(
            Draft(
                sku=values["sku"],
                title=values["title"],
                price=str(Decimal(values["price"].replace(",", ".")).quantize(Decimal("0.01"))),
                currency=values["currency"],
                stock=int(values["stock"]),
                description=_clean(values["description"]),
                note=values["note"],
            )
        )
        return RedirectResponse(f"/drafts/{number}", status_code=303)

    async def editor_frame(request: Request) -> Response:
        if app.authenticated(request) is None:
            return app.login_redirect(request)
        return app.render(request, "editor_frame.html")

    async def draft(request: Request) -> Response:
        session = app.authenticated(request)
        if session is None:
            return app.login_redirect(request)
        found = store.draft(request.path_params["number"])
        if found is None:
            return HTMLResponse("<h1>404 Not Found</h1>", status_code=404)
        return app.render(request, "draft.html", draft=found, csrf=session.csrf)

    async def review(request: Request) -> Response:
        """A person's decision on a draft; robots only ever save drafts."""
        session = app.authenticated(request)
        if session is None:
            return app.login_redirect(request)
        form = await request.form()
        if not app.csrf_ok(session, form):
            return app.csrf_refused()
        number = request.path_params["number"]
        decision = form.get("decision")
        if decision not in ("publish", "reject"):
            return HTMLResponse("<h1>400 Bad Request</h1><p>Publish or reject.</p>", 400)
        if not store.review(number, publish=decision == "publish"):
            return HTMLResponse(
                f"<h1>409 Conflict</h1><p>Draft {number} is not awaiting review.</p>", 409
            )
        return RedirectResponse(f"/drafts/{number}", status_code=303)

    async def root(request: Request) -> Response:
        return RedirectResponse("/products", status_code=303)

    routes = [
        Route("/", root),
        *login_routes(app, settings, home="/products"),
        Route("/products", catalogue),
        Route("/editor", editor, methods=["GET", "POST"]),
        Route("/editor/frame", editor_frame),
        Route("/drafts/{number}", draft),
        Route("/drafts/{number}/review", review, methods=["POST"]),
        *app.admin_routes(store.ledger),
    ]
    return Starlette(routes=routes, middleware=[Middleware(app.middleware())])

"""The legacy ERP ("ACME Financials 4.2"): login, a frame layout with a menu, invoice and
purchase-order entry with a vendor search popup, document search and detail pages."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from sandbox._auth import login_routes
from sandbox._erp_forms import CURRENCIES, LINE_COLUMNS, FormState, fields_for, line_name, validate
from sandbox._erp_store import ErpStore
from sandbox._web import LegacyApp
from sandbox.settings import SandboxSettings

_KINDS = {"/invoices/new": "invoice", "/po/new": "po"}
_TITLES = {"invoice": "Enter invoice", "po": "Enter purchase order"}


def create_erp_app(settings: SandboxSettings | None = None) -> Starlette:
    settings = settings or SandboxSettings()
    store = ErpStore(settings.erp_db_path(), settings.samples_dir)
    app = LegacyApp("erp", "JSESSIONID", settings.admin_token, settings.session_idle_seconds)

    async def root(request: Request) -> Response:
        return RedirectResponse("/main", status_code=303)

    async def shell(request: Request) -> Response:
        if app.authenticated(request) is None:
            return app.login_redirect(request)
        return app.render(request, "main.html")

    async def page(request: Request) -> Response:
        session = app.authenticated(request)
        if session is None:
            return app.login_redirect(request)
        name = request.path_params["name"]
        if name not in ("menu", "welcome"):
            return HTMLResponse("<h1>404 Not Found</h1>", status_code=404)
        return app.render(request, f"{name}.html", user=session.user)

    def render_entry(
        request: Request, csrf: str, state: FormState, errors: list[str], status: int = 200
    ) -> Response:
        layout = app.layout
        return app.render(
            request,
            "entry.html",
            status_code=status,
            title=_TITLES[state.kind],
            action=request.url.path,
            csrf=csrf,
            fields=fields_for(state.kind, layout),
            values=state.values,
            vendor=store.vendor(state.values.get("vendor_no", "")),
            currencies=CURRENCIES,
            columns=LINE_COLUMNS,
            lines=state.lines,
            line_name=line_name,
            errors=errors,
        )

    async def entry(request: Request) -> Response:
        session = app.authenticated(request)
        if session is None:
            return app.login_redirect(request)
        kind = _KINDS[request.url.path]
        if request.method == "GET":
            return render_entry(request, session.csrf, FormState.empty(kind), [])
        form = await request.form()
        if not app.csrf_ok(session, form):
            return app.csrf_refused()
        layout = int(str(form.get("layout") or app.layout))
        state = FormState.parse(kind, form, layout)
        if form.get("action") == "add_line":
            state.lines.append({c: "" for c, _, _ in LINE_COLUMNS})
            return render_entry(request, session.csrf, state, [])
        errors, document = validate(state, store)
        if document is None:
            return render_entry(request, session.csrf, state, errors, status=422)
        number = store.add(document)
        return RedirectResponse(f"/documents/{number}?posted=1", status_code=303)

    async def vendor_popup(request: Request) -> Response:
        if app.authenticated(request) is None:
            return app.login_redirect(request)
        query = request.query_params.get("q", "").strip()
        vendors = store.find_vendors(query) if query else []
        return app.render(
            request, "vendors.html", query=query, vendors=vendors, searched=bool(query)
        )

    async def search(request: Request) -> Response:
        session = app.authenticated(request)
        if session is None:
            return app.login_redirect(request)
        criteria = {"kind": "invoice", "vendor_no": "", "reference": ""}
        results: list[dict[str, Any]] | None = None
        if request.method == "POST":
            form = await request.form()
            if not app.csrf_ok(session, form):
                return app.csrf_refused()
            criteria = {k: str(form.get(k) or "").strip() for k in criteria}
            kind = "po" if criteria["kind"] == "po" else "invoice"
            results = store.search(kind, criteria["vendor_no"], criteria["reference"])
        return app.render(
            request, "search.html", csrf=session.csrf, criteria=criteria, results=results
        )

    async def document(request: Request) -> Response:
        if app.authenticated(request) is None:
            return app.login_redirect(request)
        doc = store.document(request.path_params["number"])
        if doc is None:
            return HTMLResponse("<h1>404 Not Found</h1><p>No such document.</p>", 404)
        posted = request.query_params.get("posted") == "1"
        return app.render(request, "document.html", doc=doc, posted=posted)

    async def egress_probe(request: Request) -> Response:
        return app.render(request, "egress.html")

    routes = [
        Route("/", root),
        *login_routes(app, settings, home="/main"),
        Route("/main", shell),
        Route("/frames/{name}", page),
        Route("/invoices/new", entry, methods=["GET", "POST"]),
        Route("/po/new", entry, methods=["GET", "POST"]),
        Route("/vendors/popup", vendor_popup),
        Route("/search", search, methods=["GET", "POST"]),
        Route("/documents/{number}", document),
        Route("/diagnostics/egress", egress_probe),
        *app.admin_routes(store.ledger),
    ]
    return Starlette(routes=routes, middleware=[Middleware(app.middleware())])

"""`mubiao desk`: a local web app over the warehouse. Pages read the analysts' copy through short read-only
connections (so they answer while a run holds the warehouse); actions go through the single writer
(flows.review_writer) in a worker thread, never on the event loop: applied at once and the copy refreshed, or,
while a run holds the warehouse, queued and applied as soon as it ends."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from flows import review_writer
from flows.runlock import RunLocked, run_lock
from warehouse import attainment as attainment_queries, corrections, db, desk_queries, review_queue
from warehouse.errors import WarehouseError
from warehouse.publish import reader_path
from warehouse.review_queue import ReviewAction

from . import pages

HOST = "127.0.0.1"  # the desk serves this machine only
_LOCAL_NAMES = frozenset({"127.0.0.1", "localhost"})


def default_reviewer() -> str:
    """Who decides, unless the form says otherwise (flows.settings.reviewer: MUBIAO_REVIEWER, else the login)."""
    from flows.settings import reviewer

    return reviewer()


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body()).decode("utf-8")
    return {k: v[-1].strip() for k, v in parse_qs(body, keep_blank_values=True).items()}


def _number(form: dict[str, str], name: str, kind: Callable[[str], float | int]) -> float | int | None:
    text = form.get(name, "")
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        raise WarehouseError(f"{name} {text!r} is not a number") from None


def create_app(warehouse: Path) -> FastAPI:
    """The desk for one warehouse file."""
    app = FastAPI(title="mubiao desk", docs_url=None, redoc_url=None, openapi_url=None)
    timeout_s = db.lock_timeout_s()
    try:
        with run_lock(warehouse, 0), db.connect(warehouse):  # an older warehouse's schema brought up to date
            pass
    except RunLocked:
        pass  # a run holds it, and migrates it
    queue = review_writer.QueueWorker(warehouse, timeout_s)
    if review_queue.queued(warehouse):  # left by a desk closed while a run held the warehouse
        queue.kick()

    def read():  # noqa: ANN202 - a context manager
        return db.connect(reader_path(warehouse), read_only=True)

    def act(action: ReviewAction, error_page: Callable[[str], HTMLResponse], back: str) -> Response:
        """Apply or queue an action (call in a worker thread); back to its page, or the page with the error."""
        try:
            if isinstance(review_writer.submit(warehouse, action, 0, timeout_s), review_writer.Queued):
                queue.kick()
        except WarehouseError as exc:
            return error_page(str(exc))
        return RedirectResponse(back, status_code=303)

    def who(form: dict[str, str]) -> str:
        return form.get("reviewer") or default_reviewer()

    @app.middleware("http")
    async def this_machine_only(request: Request, call_next):  # noqa: ANN001, ANN202 - middleware
        """Refuse a request addressed to another host name (DNS rebinding) or a form posted by another site."""
        host = urlsplit(f"//{request.headers.get('host', '')}").hostname
        origin = request.headers.get("origin")
        if host not in _LOCAL_NAMES or (request.method != "GET" and origin is not None
                                        and urlsplit(origin).hostname not in _LOCAL_NAMES):
            return PlainTextResponse("refused: the desk takes requests from its own pages on this machine only",
                                     status_code=403)
        return await call_next(request)

    @app.exception_handler(WarehouseError)
    async def warehouse_error(request: Request, exc: WarehouseError) -> HTMLResponse:
        return HTMLResponse(pages.page("Problem", pages._error(str(exc))), status_code=409)

    @app.get("/")
    def home() -> Response:
        return RedirectResponse("/figures", status_code=303)

    @app.get("/figures", response_class=HTMLResponse)
    def figures(request: Request, q: str = "", page: int = 0) -> str:
        filters = {k: request.query_params.get(k, "") for k in desk_queries.FACETS}
        with read() as con:
            total, rows = desk_queries.find_figures(con, filters, q, page)
            facets = desk_queries.facet_counts(con, filters, q)
        return pages.figures_page(filters, q, page, total, rows, facets)

    def _figure_page(figure_id: str, error: str | None = None) -> HTMLResponse:
        with read() as con:
            f = desk_queries.figure(con, figure_id)
            if f is None:
                return HTMLResponse(pages.page("Not found", pages._error(f"no figure {figure_id}")), status_code=404)
            before, after = desk_queries.context(con, str(f["document_id"]), f.get("sentence_offset"),
                                                 f.get("sentence"))
            history = corrections.history(con, "figure", figure_id)
        waiting = [a for a in review_queue.queued(warehouse) if a.target_id == figure_id]
        return HTMLResponse(pages.figure_page(f, before, after, history, default_reviewer(), error, waiting),
                            status_code=409 if error else 200)

    @app.get("/figures/{figure_id}", response_class=HTMLResponse)
    def figure(figure_id: str) -> HTMLResponse:
        return _figure_page(figure_id)

    @app.post("/figures/{figure_id}/decide")
    async def decide(figure_id: str, request: Request) -> Response:
        form = await _form(request)
        action = ReviewAction("decide", figure_id, form.get("note", ""), who(form),
                              {"decision": form.get("decision", "")})
        return await run_in_threadpool(act, action, lambda error: _figure_page(figure_id, error),
                                       f"/figures/{figure_id}")

    def _correct(figure_id: str, form: dict[str, str]) -> Response:
        try:
            with read() as con:
                current = desk_queries.figure(con, figure_id) or {}
            proposed = corrections.FigureCorrection(
                value_low=_number(form, "value_low", float), value_high=_number(form, "value_high", float),
                unit=form.get("unit") or None, kind=form.get("kind") or None,
                period_year=_number(form, "period_year", int), metric_code=form.get("metric_code") or None)
        except WarehouseError as exc:
            return _figure_page(figure_id, str(exc))
        changed = {k: v for k, v in vars(proposed).items() if v is not None and v != current.get(k)}  # only edits
        action = ReviewAction("correct", figure_id, form.get("note", ""), who(form), changed)
        return act(action, lambda error: _figure_page(figure_id, error), f"/figures/{figure_id}")

    @app.post("/figures/{figure_id}/correct")
    async def correct(figure_id: str, request: Request) -> Response:
        return await run_in_threadpool(_correct, figure_id, await _form(request))

    @app.get("/documents", response_class=HTMLResponse)
    def documents(q: str = "") -> str:
        with read() as con:
            return pages.documents_page(desk_queries.documents(con, q), q)

    def _document_page(document_id: str, error: str | None = None) -> HTMLResponse:
        with read() as con:
            d, findings = desk_queries.document(con, document_id)
            if d is None:
                return HTMLResponse(pages.page("Not found", pages._error(f"no document {document_id}")),
                                    status_code=404)
            history = corrections.history(con, "document", document_id)
        waiting = [a for a in review_queue.queued(warehouse) if a.target_id == document_id]
        return HTMLResponse(pages.document_page(d, findings, history, default_reviewer(), error, waiting),
                            status_code=409 if error else 200)

    @app.get("/documents/{document_id}", response_class=HTMLResponse)
    def document(document_id: str) -> HTMLResponse:
        return _document_page(document_id)

    def _correct_document(document_id: str, form: dict[str, str]) -> Response:
        try:
            with read() as con:
                current, _ = desk_queries.document(con, document_id)
            year = _number(form, "report_year", int)
        except WarehouseError as exc:
            return _document_page(document_id, str(exc))
        current = current or {}
        region = form.get("region") or None
        doc_type = form.get("doc_type") or None
        action = ReviewAction("set_document", document_id, form.get("note", ""), who(form), {
            "region": None if region in (current.get("region_code"), current.get("region_name")) else region,
            "report_year": None if year == current.get("report_year") else year,
            "doc_type": None if doc_type == current.get("doc_type") else doc_type})
        return act(action, lambda error: _document_page(document_id, error), f"/documents/{document_id}")

    @app.post("/documents/{document_id}/correct")
    async def correct_document(document_id: str, request: Request) -> Response:
        return await run_in_threadpool(_correct_document, document_id, await _form(request))

    @app.get("/attainment", response_class=HTMLResponse)
    def attainment(region: str = "", metric: str = "") -> str:
        with read() as con:
            pairs = attainment_queries.attainment_pairs(con)
            rows = actuals = None
            if region and metric:
                rows = attainment_queries.attainment(con, region, metric)
                rows = rows[rows["region"] == region]
                actuals = attainment_queries.series_actuals(con, region, metric)
        return pages.attainment_page(pairs, region, metric, rows, actuals)

    @app.get("/quarantine", response_class=HTMLResponse)
    def quarantine() -> str:
        with read() as con:
            return pages.quarantine_page(desk_queries.quarantine_queue(con))

    @app.get("/status", response_class=HTMLResponse)
    def status() -> str:
        with read() as con:
            state = desk_queries.status(con, warehouse)
        return pages.status_page(state, review_queue.queued(warehouse), review_queue.failed(warehouse))

    return app


def serve(warehouse: Path, port: int) -> None:
    """Serve the desk on 127.0.0.1:port until interrupted."""
    import uvicorn

    uvicorn.run(create_app(warehouse), host=HOST, port=port, log_level="warning")

"""The `mubiao` command line: run, sql, metrics, attainment, review, desk, status, eval, serve."""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer

from flows.settings import (SettingError, default_cron, default_inbox, default_timezone, default_warehouse,
                            quiet_prefect_defaults, reviewer)

quiet_prefect_defaults()

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="mubiao (目标): Chinese government report figures → validated DuckDB warehouse.")
review_app = typer.Typer(add_completion=False, pretty_exceptions_enable=False,
                         help="Review the last run's failed checks and quarantined figures; accept or reject them.")
app.add_typer(review_app, name="review")

WarehouseOpt = Annotated[Optional[Path], typer.Option(
    "--warehouse", "-w", help="DuckDB file (env MUBIAO_WAREHOUSE; default warehouse/mubiao.duckdb).")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")]


class UserError(Exception):
    """A problem the user can fix; printed as one line, no traceback."""


def fail(message: str, code: int = 2) -> None:
    """Print a one-line error and exit."""
    typer.echo(f"mubiao: {message}", err=True)
    raise typer.Exit(code)


def _warehouse(path: Path | None) -> Path:
    return (path or default_warehouse()).expanduser()


def _check_writable(warehouse: Path) -> None:
    parent = warehouse.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"cannot create the warehouse folder {parent}: {e.strerror}") from None
    if not os.access(parent, os.W_OK) or (warehouse.exists() and not os.access(warehouse, os.W_OK)):
        raise UserError(f"warehouse {warehouse} is not writable")


def _existing(warehouse: Path) -> Path:
    if not warehouse.exists():
        raise UserError(f"warehouse {warehouse} does not exist yet: run `mubiao run` first")
    return warehouse


MAX_CELL = 60
DEFAULT_SQL_LIMIT = 1000
BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with a byte-order mark


def _cell(value: object) -> str:
    """A table cell: empty for NULL, floats without noise, long values (sentences) cut to MAX_CELL characters."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = f"{value:.12g}" if isinstance(value, float) else str(value)
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"


def csv_text(columns: list[str], rows: list[tuple]) -> str:
    """Rows as CSV text for Excel and pandas alike: a UTF-8 BOM, a header line, NULL as an empty field."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(columns)
    w.writerows([["" if v is None else v for v in r] for r in rows])
    return BOM + buf.getvalue()


def _print_frame(columns: list[str], rows: list[tuple], fmt: str, output: Path | None = None) -> None:
    """Print rows as a table, CSV or JSON, or write them to `output`."""
    if output is not None:
        if fmt == "table":
            raise UserError("--output writes csv or json: add --format csv or --format json")
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            _print_frame(columns, rows, fmt)
        try:
            output.write_text(buf.getvalue(), encoding="utf-8")
        except OSError as e:
            raise UserError(f"cannot write {output}: {e.strerror}") from None
        return
    if fmt == "json":
        typer.echo(json.dumps([dict(zip(columns, r)) for r in rows], ensure_ascii=False, default=str, indent=1))
    elif fmt == "csv":
        typer.echo(csv_text(columns, rows), nl=False)
    elif fmt == "table":
        from rich.console import Console
        from rich.table import Table

        from rich.cells import cell_len

        cells = [[_cell(v) for v in r] for r in rows]
        widths = [min(MAX_CELL, max([cell_len(c)] + [cell_len(r[i]) for r in cells])) for i, c in enumerate(columns)]
        table = Table(show_lines=False)
        for c, w in zip(columns, widths):
            table.add_column(c, no_wrap=True, overflow="ellipsis", min_width=w, max_width=w)
        for r in cells:
            table.add_row(*r)
        Console(width=sum(widths) + 3 * len(widths) + 1).print(table)
    else:
        raise UserError(f"unknown format {fmt!r}: use table, csv or json")


def _guard(fn):  # noqa: ANN001, ANN202 - decorator
    """Turn known errors into one-line messages."""
    from functools import wraps

    @wraps(fn)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        from flows.inbox import InboxError
        from flows.prefect_api import PrefectServerError
        from flows.runlock import RunLocked
        from flows.schedule import ScheduleError
        from warehouse.db import WarehouseError

        try:
            return fn(*args, **kwargs)
        except (UserError, InboxError, RunLocked, ScheduleError, WarehouseError, SettingError,
                PrefectServerError) as e:
            fail(str(e))
        except KeyboardInterrupt:
            fail("interrupted", 130)
    return wrapper


@contextlib.contextmanager
def _read(warehouse: Path | None):  # noqa: ANN202 - yields a read-only DuckDB connection
    """A read-only connection to the analysts' copy; before a run has published one, to the warehouse itself, said in
    one line on stderr (in the error's line if a run holds the warehouse)."""
    from warehouse import db
    from warehouse.errors import WarehouseLocked
    from warehouse.publish import published_path, reader_path

    wh = _existing(_warehouse(warehouse))
    path = reader_path(wh)
    note = f"no analysts' copy yet ({published_path(wh).name}); reading {wh} itself"
    try:
        with db.connect(path, read_only=True) as con:
            yield con
    except WarehouseLocked as e:
        raise WarehouseLocked(str(e) if path != wh else f"{note}: {e}") from None
    if path == wh:
        typer.echo(f"mubiao: {note}", err=True)


@app.command()
@_guard
def run(
    inbox: Annotated[Optional[Path], typer.Option(help="Folder of report files (env MUBIAO_INBOX; default seeds/reports).")] = None,
    warehouse: WarehouseOpt = None,
    full_refresh: Annotated[bool, typer.Option("--full-refresh", help="Re-read and reload every file.")] = False,
    reprocess: Annotated[bool, typer.Option("--reprocess", help=(
        "Re-extract every stored document from its stored text (without it, only documents of an older "
        "extractor are)."))] = False,
    keep_missing: Annotated[bool, typer.Option("--keep-missing", help=(
        "Keep the documents of files no longer in the inbox (default: retire them from the views, kept as "
        "history)."))] = False,
    workers: Annotated[Optional[int], typer.Option(help="Worker processes for extraction (env MUBIAO_WORKERS).")] = None,
    dask_address: Annotated[Optional[str], typer.Option(
        "--dask-address", help="Extract on this Dask scheduler, e.g. tcp://host:8786 (env MUBIAO_DASK_ADDRESS).")] = None,
) -> None:
    """Run one ingestion of the inbox into the warehouse and print a summary."""
    inbox = (inbox or default_inbox()).expanduser()
    wh = _warehouse(warehouse)
    if not inbox.is_dir():
        raise UserError(f"inbox {inbox} does not exist or is not a folder")
    _check_writable(wh)
    from flows.runner import run_ingestion

    outcome = run_ingestion(inbox=inbox, warehouse=wh, full_refresh=full_refresh, reprocess=reprocess,
                            workers=workers, dask_address=dask_address, keep_missing=keep_missing)
    c = outcome.counts
    typer.echo(
        f"run {outcome.run_id}: {c['files_seen']} files seen, {c['files_loaded']} loaded, "
        f"{c['files_skipped']} unchanged, {c['files_quarantined']} quarantined, {c['files_moved']} renamed, "
        f"{c['files_retired']} gone (retired); "
        f"{c['figures_loaded']} figures loaded, {c['figures_quarantined']} quarantined, "
        f"{c['warnings']} with warnings")
    typer.echo(f"status: {outcome.status}")
    typer.echo(f"warehouse: {wh}")
    typer.echo(f"data-quality report: {outcome.report_path}")
    if outcome.data_docs_path:
        typer.echo(f"GX Data Docs: {outcome.data_docs_path}")


@app.command()
@_guard
def sql(
    query: Annotated[str, typer.Argument(help="SQL to run on a read-only connection.")],
    warehouse: WarehouseOpt = None,
    fmt: FormatOpt = "table",
    limit: Annotated[int, typer.Option("--limit", "-n", help="Rows shown at most; 0 for all.")] = DEFAULT_SQL_LIMIT,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write the result (csv or json) to this file.")] = None,
    allow_files: Annotated[bool, typer.Option("--allow-files", help=(
        "Let the query read and write files, ATTACH and INSTALL (COPY … TO, read_csv); off by default."))] = False,
) -> None:
    """Run ad-hoc SQL on the warehouse: query-only (no file access, ATTACH, INSTALL or SET) unless --allow-files."""
    from warehouse import queries

    if limit < 0:
        raise UserError(f"--limit must be 0 (all rows) or more, not {limit}")
    limit = 0 if output is not None else limit  # a file gets every row; the limit is for reading on screen
    with _read(warehouse) as con:
        if not allow_files:
            queries.query_only(con)
        columns, rows = queries.run_sql(con, query, max_rows=limit or None)
    cut = bool(limit) and len(rows) > limit
    _print_frame(columns, rows[:limit] if cut else rows, fmt, output)
    if cut:
        typer.echo(f"mubiao: showing the first {limit} rows; more were cut (--limit N, or --limit 0 for all)",
                   err=True)


@app.command()
@_guard
def metrics(
    warehouse: WarehouseOpt = None,
    domain: Annotated[Optional[str], typer.Option(help="Only this domain (economy, fiscal and debt, prices, …).")] = None,
    search: Annotated[Optional[str], typer.Option(
        "--search", "-s", help="Only codes whose code, name or an alias contains this text (e.g. 赤字, income).")] = None,
    fmt: FormatOpt = "table",
) -> None:
    """List the metric catalog (code, name, measure, unit, headline code, aliases) with each code's loaded figures.

    Query a code in `figures.metric_code`, or `figures.headline_code` to include the finer codes that roll up to it.
    """
    from warehouse import queries

    with _read(warehouse) as con:
        columns, rows = queries.metric_catalog(con, domain, search)
    _print_frame(columns, rows, fmt)


TABLE_ATTAINMENT_COLUMNS = ("region", "metric_code", "period", "report_year", "target", "status", "actual", "gap",
                            "reason", "target_file", "actual_file")


@app.command()
@_guard
def attainment(
    region: Annotated[Optional[str], typer.Option(
        "--region", "-r", help="Region code or name (part of a name works).")] = None,
    metric: Annotated[Optional[str], typer.Option("--metric", "-m", help="Metric code, e.g. gdp_growth.")] = None,
    warehouse: WarehouseOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Promises and outcomes: each target with its status (met, missed, pending, unknown), actual, gap and sentences."""
    import pandas as pd

    from warehouse import attainment as wattainment

    if fmt not in ("table", "csv", "json"):
        raise UserError(f"unknown format {fmt!r}: use table, csv or json")
    with _read(warehouse) as con:
        frame = wattainment.attainment(con, region, metric)
    frame["gap"] = frame["gap"].round(4)
    frame["period"] = [str(end) if basis == "annual" else f"{start}–{end} {basis}"
                       for basis, start, end in zip(frame["basis"], frame["period_start_year"], frame["period_year"])]
    columns = list(TABLE_ATTAINMENT_COLUMNS if fmt == "table" else wattainment.ATTAINMENT_COLUMNS)
    shown = frame[columns].astype(object)
    rows = [tuple(None if pd.isna(v) else v for v in r) for r in shown.itertuples(index=False, name=None)]
    if fmt == "table" and not rows:
        typer.echo("no targets match" + (f" region {region!r}" if region else "")
                   + (f" metric {metric!r}" if metric else ""))
        return
    _print_frame(columns, rows, fmt)


@review_app.callback(invoke_without_command=True)
@_guard
def review(
    ctx: typer.Context,
    warehouse: WarehouseOpt = None,
    run_id: Annotated[Optional[str], typer.Option("--run", help="One run's items, decided ones too.")] = None,
    all_runs: Annotated[bool, typer.Option("--all", help="Every run's failed checks, not only the last run's.")] = False,
    orphans: Annotated[bool, typer.Option(
        "--orphans", help="Decisions no current figure or document carries any more (kept, never dropped).")] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Show every open quarantined item (and the last run's failed checks), with reasons and sentences.

    The first column, figure_id, is the id `mubiao review accept|reject` takes. `--format csv` prints the
    quarantined items only, as one CSV.
    """
    if ctx.invoked_subcommand:
        ctx.obj = _warehouse(warehouse)
        return
    from desk.pages import open_items_text
    from warehouse import review as wreview

    with _read(warehouse) as con:
        items = ({"orphaned_decisions": wreview.orphans(con)} if orphans
                 else wreview.review_items(con, "all" if all_runs else run_id))
        counts = wreview.open_item_counts(con)
    if fmt == "json":
        typer.echo(json.dumps({k: json.loads(v.to_json(orient="records", force_ascii=False))
                               for k, v in items.items()}, ensure_ascii=False, indent=1))
        return
    if fmt == "csv":
        frame = items["quarantine"].astype(object).where(items["quarantine"].notna(), None)
        _print_frame(list(frame.columns), list(frame.itertuples(index=False, name=None)), fmt)
        return
    if not orphans and run_id is None:
        typer.echo(f"open review items: {open_items_text(counts)}")
    for title, frame in items.items():
        typer.echo(f"\n== {title} ({len(frame)})")
        if len(frame):
            _print_frame(list(frame.columns), list(frame.itertuples(index=False, name=None)), fmt)


def _reviewer() -> str:
    from desk.app import default_reviewer

    return default_reviewer()


def _review_write(ctx: typer.Context, warehouse: Path | None, kind: str, target_id: str, note: str,
                  fields: dict[str, object]) -> object:
    """One reviewer action through the single writer (flows.review_writer): applied under the run lock, or queued
    when a run holds the warehouse for longer than MUBIAO_LOCK_TIMEOUT (printed, then None)."""
    from flows.review_writer import Queued, submit
    from flows.settings import settings_from_env
    from warehouse.review_queue import ReviewAction

    path = _existing(warehouse or ctx.obj or default_warehouse())
    timeout_s = settings_from_env(warehouse=path).lock_timeout_s
    result = submit(path, ReviewAction(kind, target_id, note, _reviewer(), fields), timeout_s, timeout_s)
    if isinstance(result, Queued):
        typer.echo(f"queued; applied when the current run ends ({result.why}): {result.action.describe()}")
        return None
    return result


def _decide(ctx: typer.Context, warehouse: Path | None, figure_id: str, note: str, accept: bool) -> None:
    decision = "accepted" if accept else "rejected"
    state = _review_write(ctx, warehouse, "decide", figure_id, note, {"decision": decision})
    if state is not None:
        typer.echo(f"{decision} {state} figure {figure_id} ({_reviewer()}: {note})")


@review_app.command()
@_guard
def accept(ctx: typer.Context, figure_id: Annotated[str, typer.Argument(help="figure_id (quarantined or loaded).")],
           note: Annotated[str, typer.Option("--note", help="Why it is released.")],
           warehouse: WarehouseOpt = None) -> None:
    """Release a quarantined figure into the warehouse (or confirm a loaded one); the decision survives re-runs."""
    _decide(ctx, warehouse, figure_id, note, accept=True)


@review_app.command()
@_guard
def reject(ctx: typer.Context, figure_id: Annotated[str, typer.Argument(help="figure_id (quarantined or loaded).")],
           note: Annotated[str, typer.Option("--note", help="Why it stays out.")],
           warehouse: WarehouseOpt = None) -> None:
    """Keep a figure out of the views: a quarantined one stays out, a loaded one is taken out."""
    _decide(ctx, warehouse, figure_id, note, accept=False)


@review_app.command()
@_guard
def correct(ctx: typer.Context, figure_id: Annotated[str, typer.Argument(help="figure_id of a loaded figure.")],
            note: Annotated[str, typer.Option("--note", help="Why.")],
            value: Annotated[Optional[float], typer.Option("--value", help="Value (low end of a range).")] = None,
            value_high: Annotated[Optional[float], typer.Option("--value-high", help="High end of a range.")] = None,
            unit: Annotated[Optional[str], typer.Option("--unit", help="Unit as written, e.g. 亿元.")] = None,
            kind: Annotated[Optional[str], typer.Option("--kind", help="target or actual.")] = None,
            period: Annotated[Optional[int], typer.Option("--period", help="Year the figure refers to.")] = None,
            metric: Annotated[Optional[str], typer.Option("--metric", help="Catalog metric code.")] = None,
            warehouse: WarehouseOpt = None) -> None:
    """Correct a loaded figure's value, unit, kind, period year or metric code (kept as history; views apply it)."""
    changes = _review_write(ctx, warehouse, "correct", figure_id, note, {
        "value_low": value, "value_high": value_high, "unit": unit, "kind": kind, "period_year": period,
        "metric_code": metric})
    if changes is not None:
        typer.echo(f"corrected figure {figure_id}: " + ", ".join(f"{k}={v}" for k, v in changes.items()))


@review_app.command(name="set-document")
@_guard
def set_document(ctx: typer.Context, document_id: Annotated[str, typer.Argument(help="document_id.")],
                 note: Annotated[str, typer.Option("--note", help="Why.")],
                 region: Annotated[Optional[str], typer.Option("--region", help="Region code or name.")] = None,
                 year: Annotated[Optional[int], typer.Option("--year", help="Report year.")] = None,
                 doc_type: Annotated[Optional[str], typer.Option("--type", help="Document type.")] = None,
                 warehouse: WarehouseOpt = None) -> None:
    """Correct a document's region, report year or type (kept as history; the views apply it to its figures)."""
    changes = _review_write(ctx, warehouse, "set_document", document_id, note,
                            {"region": region, "report_year": year, "doc_type": doc_type})
    if changes is not None:
        typer.echo(f"corrected document {document_id}: " + ", ".join(f"{k}={v}" for k, v in changes.items()))


@app.command()
@_guard
def desk(warehouse: WarehouseOpt = None,
         port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8765) -> None:
    """Open the review desk: browse, search and correct figures and documents in a browser (127.0.0.1 only)."""
    from desk.app import HOST, serve as serve_desk

    wh = _existing(_warehouse(warehouse))
    typer.echo(f"mubiao desk on http://{HOST}:{port}/ for {wh} (Ctrl-C stops it)")
    serve_desk(wh, port)


@app.command()
@_guard
def status(warehouse: WarehouseOpt = None) -> None:
    """Show the warehouse's state: last runs, open review items, figures by level and year, size."""
    from desk.pages import open_items_text, runs_with_status
    from warehouse import db, desk_queries
    from warehouse.publish import reader_path

    wh = _existing(_warehouse(warehouse))
    path = reader_path(wh)
    if path == wh:
        with db.connect(wh):  # brings an older warehouse's schema up to date (review_log, duplicate_of)
            pass
    with _read(warehouse) as con:
        s = desk_queries.status(con, wh)
    opened = open_items_text(s["open_items"])
    typer.echo(f"warehouse: {wh} ({s['size_bytes'] / 1e6:.1f} MB)" + (
        "" if path == wh else f", read from the analysts' copy {path.name} (as of the last run or review action)"))
    typer.echo(f"documents: {s['documents']} ({s['duplicates']} near-duplicates); open review items: {opened}; "
               f"review decisions: {s['decisions']}")
    for title, key in (("last runs", "runs"), ("figures by level", "by_level"), ("figures by report year", "by_year")):
        frame = s[key]
        if key == "runs":
            frame = runs_with_status(frame)[["run_id", "status", "started_at", "files_seen", "files_loaded",
                                             "files_quarantined", "figures_loaded", "figures_quarantined", "warnings"]]
        typer.echo(f"\n== {title}")
        _print_frame(list(frame.columns), list(frame.astype(object).where(frame.notna(), None)
                                               .itertuples(index=False, name=None)), "table")


@app.command(name="eval")
@_guard
def evaluate(
    gold: Annotated[list[Path], typer.Option("--gold", help="Gold CSV (see tests/data/SCHEMA.md); repeat it to "
                                                             "score several document sets, each on its own.")],
    inbox: Annotated[Optional[list[Path]], typer.Option(
        help="Extract these files directly instead of reading the warehouse (repeatable).")] = None,
    warehouse: WarehouseOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Score extracted figures against labelled gold CSVs: value F1, strict F1, each attribute's accuracy, misses.

    Only gold rows of files in the inbox (or the warehouse) are scored.
    """
    from transforms.evaluate import GoldError, format_score, load_gold, predictions_from_documents, score

    for path in gold:
        if not path.is_file():
            raise UserError(f"gold file {path} does not exist")
        try:
            load_gold(path)
        except GoldError as e:
            raise UserError(str(e)) from None
    if inbox:
        from flows.inbox import discover
        from flows.processing import process_files

        predictions, documents = [], []
        for folder in inbox:
            files = discover(folder.expanduser())
            results = process_files(files, 1 << 40, 1)
            predictions += predictions_from_documents(d for r in results for d in r.documents)
            documents += [f.name for f in files]
    else:
        from warehouse import queries

        with _read(warehouse) as con:
            columns, rows = queries.run_sql(con, queries.EVAL_FIGURES)
            documents = [r[0] for r in queries.run_sql(con, "SELECT source_file FROM source_files")[1]]
        predictions = [dict(zip(columns, r)) for r in rows]
    scores = {str(path): score(predictions, path, documents=documents) for path in gold}
    if fmt == "json":
        typer.echo(json.dumps({name: asdict(s) for name, s in scores.items()}, ensure_ascii=False, indent=1,
                              default=str))
        return
    for name, result in scores.items():
        if len(scores) > 1:
            typer.echo(f"== {name}")
        typer.echo(format_score(result))


@app.command()
@_guard
def serve(
    cron: Annotated[str, typer.Option(help="Cron schedule (env MUBIAO_CRON).")] = default_cron(),
    timezone: Annotated[str, typer.Option(help="Time zone of the schedule (env MUBIAO_TIMEZONE).")] = default_timezone(),
    inbox: Annotated[Optional[Path], typer.Option(help="Inbox for the nightly runs.")] = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Serve the nightly schedule on a Prefect server (PREFECT_API_URL, or one started here)."""
    from flows.schedule import serve_nightly

    serve_nightly(cron=cron, timezone=timezone, inbox=(inbox or default_inbox()).expanduser(),
                  warehouse=_warehouse(warehouse))


def main() -> None:
    """Run the command line (raises SystemExit, as a click program does)."""
    app(prog_name="mubiao")


def console() -> NoReturn:
    """Console-script entry point: the command, then a quick exit (exit_quickly)."""
    try:
        main()
    except SystemExit as e:
        exit_quickly(e.code)
    exit_quickly(0)


def exit_quickly(code: int | str | None) -> NoReturn:
    """End the process as `sys.exit(code)` would, minus the interpreter's teardown of its objects.

    After a run, that teardown is garbage collection over millions of objects (Prefect, GX, pandas, the run's
    frames): 1.5 s of a 2,000-report run, freeing memory the system takes back anyway. Everything that writes runs
    first: the exit handlers (Prefect's log and event queues, logging's handlers), then the flush of stdout and
    stderr. While a non-daemon thread still runs, the exit is the ordinary one, which waits for it."""
    import atexit
    import threading

    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        sys.exit(code)
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()  # logging's handlers are closed by one of them
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code or 0)


if __name__ == "__main__":
    console()

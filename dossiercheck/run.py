"""One audit run: read, audit, build the payload, record history, write the outputs.

The CLI is a thin layer over :func:`run_audit`; the benchmark calls the phases directly.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import time
from collections.abc import Callable
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from dossiercheck import config as cfgmod
from dossiercheck.engine import audit_frames
from dossiercheck.forking import ForkJob, can_fork, release_free_memory
from dossiercheck.io import read_inputs
from dossiercheck.io.workbook import InputError
from dossiercheck.reports.payload import build_payload, write_json

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
# from this many findings rapport.html is rendered in a forked child (beside findings.json and
# rapport.xlsx); below it the page takes well under a second and is rendered in-process
FORK_HTML_MIN_FINDINGS = 20_000

# the progress display's phase labels (stderr), per --lang
PHASES = {"nl": {"read": "Lezen", "audit": "Controleren"}, "en": {"read": "Reading", "audit": "Checking"}}


@dataclass
class RunOptions:
    paths: list[str]
    peildatum: dt.date
    out_dir: Path
    config_file: str | None = None
    formats: list[str] = field(default_factory=lambda: ["html", "xlsx", "json"])
    lang: str = "nl"
    split_by: str | None = None
    history_path: str | None = None
    no_history: bool = True
    waivers_file: str | None = None
    progress: bool = False


@dataclass
class Outcome:
    payload: dict
    written: list[Path]
    timings: dict[str, float]
    # phases that ran alongside others (their own seconds, not in ``timings``, which add up to the
    # run's wall time): ``report.xlsx`` when a child process wrote it
    overlapped: dict[str, float] = field(default_factory=dict)

    def exit_code(self, fail_on: str) -> int:
        if fail_on == "never":
            return 0
        limit = SEVERITY_RANK[fail_on]
        return 1 if any(SEVERITY_RANK[f["severity"]] <= limit for f in self.payload["findings"]) else 0


def _progress(enabled: bool):
    if not enabled:
        return nullcontext(None)
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.fields[item]}"), TimeElapsedColumn(),
        console=Console(stderr=True), transient=True,
    )


def run_audit(opts: RunOptions) -> Outcome:
    timings: dict[str, float] = {}
    overlapped: dict[str, float] = {}
    config = cfgmod.load(opts.config_file)
    with _progress(opts.progress) as bar:
        tick: Callable[[str], None] | None = None
        if bar is not None:
            phases = PHASES.get(opts.lang, PHASES["nl"])
            task = bar.add_task(phases["read"], total=None, item="")

            def tick(item: str) -> None:
                bar.update(task, item=item, advance=1)

        t0 = time.perf_counter()
        read = read_inputs(opts.paths, config["limits"], progress=tick)
        timings["read"] = time.perf_counter() - t0
        if not read.tables:
            names = ", ".join(u["file"] + (f" [{u['sheet']}]" if u["sheet"] else "") for u in read.unrecognised[:5])
            raise InputError("no_table", names=names)
        if bar is not None:
            bar.update(task, description=phases["audit"], item="")
        result = audit_frames(read.tables, config, opts.peildatum, progress=tick)
        timings.update(result.timings)
        overlapped.update({f"rules.{prog}": secs for prog, secs in result.programme_seconds.items()})
        overlapped.update(result.own_seconds)
        payload = build_payload(result, read.inputs, read.unrecognised)

        # history (and waivers): the run is recorded in one transaction that commits only once
        # every output below was written, so an error or Ctrl-C leaves no half-recorded run
        stack = ExitStack()
        if (not opts.no_history or opts.waivers_file) and importlib.util.find_spec("dossiercheck.history"):
            from dossiercheck import history

            t0 = time.perf_counter()
            stack.enter_context(history.apply(payload, opts, tables=result.tables))
            timings["history"] = time.perf_counter() - t0
        # the frames are not needed for the reports: let them go before rapport.xlsx's writer is
        # forked (less memory for the two processes together)
        del read, result
        release_free_memory()

        with stack:
            written: list[Path] = []
            out = opts.out_dir
            out.mkdir(parents=True, exist_ok=True)
            max_rows = int(config["report"]["max_html_rows"])
            # rapport.xlsx is written by a forked child process, and for a large audit rapport.html
            # is rendered by another, while this one writes findings.json; the reports are put in
            # place in this order (json, xlsx, html), each by a rename, so an interrupted run
            # leaves the earlier reports whole.
            job = html_job = None
            if "html" in opts.formats:
                from dossiercheck.reports.html import render_html
            try:
                if "xlsx" in opts.formats:
                    from dossiercheck.reports.xlsx import XlsxJob

                    t0 = time.perf_counter()
                    job = XlsxJob(payload, out / "rapport.xlsx", lang=opts.lang)
                    timings["report.xlsx"] = time.perf_counter() - t0
                if "html" in opts.formats and len(payload["findings"]) >= FORK_HTML_MIN_FINDINGS and can_fork():
                    t0 = time.perf_counter()
                    html_job = ForkJob(lambda: render_html(payload, lang=opts.lang, max_rows=max_rows))
                    timings["report.html"] = time.perf_counter() - t0
                if "json" in opts.formats:
                    t0 = time.perf_counter()
                    write_json(payload, out / "findings.json")
                    written.append(out / "findings.json")
                    timings["report.json"] = time.perf_counter() - t0
                html = None
                if "html" in opts.formats:
                    t0 = time.perf_counter()
                    if html_job is not None:
                        html = html_job.result()
                        overlapped["report.html"] = html_job.seconds or 0.0
                        html_job = None
                    else:
                        html = render_html(payload, lang=opts.lang, max_rows=max_rows)
                    timings["report.html"] = timings.get("report.html", 0.0) + time.perf_counter() - t0
                if job is not None:
                    t0 = time.perf_counter()
                    # the time the workbook costs beyond the overlap (its own time: overlapped)
                    job.finish()
                    written.append(out / "rapport.xlsx")
                    timings["report.xlsx"] += time.perf_counter() - t0
                    overlapped["report.xlsx"] = job.seconds or 0.0
                    job = None
            finally:
                if html_job is not None:
                    html_job.abort()
                if job is not None:
                    job.abort()
            if html is not None:
                from dossiercheck.reports import html as html_mod

                t0 = time.perf_counter()
                html_mod.write_html(payload, out / "rapport.html", lang=opts.lang, max_rows=max_rows, rendered=html)
                written.append(out / "rapport.html")
                timings["report.html"] += time.perf_counter() - t0
                del html
            if opts.split_by:
                from dossiercheck.reports.split import write_split

                t0 = time.perf_counter()
                formats = [f for f in opts.formats if f in ("html", "xlsx")] or ["html", "xlsx"]
                written.extend(
                    write_split(payload, out / "per_organisatie", lang=opts.lang, max_rows=max_rows, formats=formats)
                )
                timings["report.split"] = time.perf_counter() - t0
    return Outcome(payload=payload, written=written, timings=timings, overlapped=overlapped)

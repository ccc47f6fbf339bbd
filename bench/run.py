"""Benchmark: bare read (the floor) vs the full audit, per phase, with peak RSS, at two sizes.

    python bench/run.py                       # 200,000 and 20,000 clients, xlsx and csv
    python bench/run.py --sizes 20000 --formats csv
    python bench/run.py --write-docs          # also regenerate the results in docs/performance.md
    python bench/run.py --smoke               # a tiny workload in a temporary folder, in seconds
    python bench/run.py --profile py-spy      # also profile one extra audit per format (largest size)

Workloads come from ``bench/generate.py`` (generated once into ``bench/out/data/c<clients>`` and
reused; see its docstring). Every measurement runs in its own subprocess (``--measure``), so the
peak RSS it reports (``ru_maxrss``) is that measurement's alone and sizes do not pollute each
other. Measurements:

- ``floor``: read every input with the fastest reader and nothing else: fastexcel (calamine,
  every cell as text) -> pandas for xlsx, pyarrow's CSV reader -> pandas for CSV.
- ``audit``: ``dossiercheck.run.run_audit`` with every rule and all three outputs
  (findings.json, rapport.xlsx, rapport.html), split into the phases its ``Outcome.timings``
  reports (read, schema, prepare, rules (wall; each programme's own time beside it), each report); the time not in a phase
  (building the findings payload) is shown as ``other``.
- ``frictionless``: ``frictionless validate`` of the lines CSV against a schema only, when the
  ``frictionless`` command is installed (it is not a dependency); otherwise skipped with a note.

Results: a table on stdout and JSON in ``bench/out/`` (gitignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata as md
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # measure the working tree, installed or not
    sys.path.insert(0, str(ROOT))
OUT = HERE / "out"
DOCS = ROOT / "docs" / "performance.md"
PEILDATUM = "2025-06-05"  # bench/generate.py's PEILDATUM
BEGIN, END = "<!-- bench:results:begin -->", "<!-- bench:results:end -->"
PACKAGES = ("pandas", "numpy", "pyarrow", "pandera", "fastexcel", "python-calamine", "xlsxwriter", "jinja2", "orjson", "isal")
TARGETS = {"xlsx_ratio": 1.5, "csv_seconds": 12.0, "rss_gb": 3.0, "scaling": 11.0, "frictionless": 5.0}


# --- measurements (each in its own subprocess) ------------------------------------------------


def _rss_mb() -> float:
    """Peak RSS of this measurement: its own ``ru_maxrss`` plus the largest child's (the audit
    writes rapport.xlsx in a forked child while it writes the other reports). The sum is an upper
    bound of what was resident at once (the child shares the parent's pages copy-on-write)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + child) / 1024.0


def measure_floor(data: Path) -> dict:
    files = sorted(p for p in data.rglob("*") if p.suffix in (".xlsx", ".csv"))
    t0 = time.perf_counter()
    rows = 0
    for f in files:
        if f.suffix == ".xlsx":
            import fastexcel

            reader = fastexcel.read_excel(str(f))
            for name in reader.sheet_names:
                df = reader.load_sheet(name, header_row=None, dtypes="string").to_pandas()
                rows += len(df)
        else:
            import pyarrow as pa
            import pyarrow.csv as pacsv

            with f.open("rb") as fh:
                width = fh.readline().decode("cp1252").count(";") + 1
            names = [f"c{i}" for i in range(width)]
            table = pacsv.read_csv(
                f,
                read_options=pacsv.ReadOptions(encoding="cp1252", column_names=names),
                parse_options=pacsv.ParseOptions(delimiter=";", newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}),
            )
            df = table.to_pandas()
            rows += len(df)
    return {"seconds": time.perf_counter() - t0, "rows": rows, "files": len(files)}


class _TreeMemory:
    """Samples the resident memory of this process and its children (the forked rapport.xlsx
    writer) every 20 ms, as PSS from /proc/<pid>/smaps_rollup, so pages a child shares with its
    parent copy-on-write are counted once. The peak reported is the larger of this sampled sum
    and the process's own exact ``ru_maxrss``. Without /proc (not Linux) it reports nothing and
    the caller falls back to ``ru_maxrss`` alone."""

    def __init__(self) -> None:
        import threading

        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _pss_kb(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
                for line in fh:
                    if line.startswith(b"Pss:"):
                        return int(line.split()[1])
        except (OSError, ValueError, IndexError):
            pass
        return 0

    @staticmethod
    def _children(pid: int) -> list[int]:
        kids: list[int] = []
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", "rb") as fh:
                    kids += [int(x) for x in fh.read().split()]
        except OSError:
            pass
        return kids

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.02):
            total = self._pss_kb(me) + sum(self._pss_kb(c) for c in self._children(me))
            self.peak_kb = max(self.peak_kb, total)

    def __enter__(self) -> "_TreeMemory":
        if os.path.exists("/proc/self/smaps_rollup"):
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def measure_audit(data: Path, out: Path) -> dict:
    from dossiercheck import run as runmod

    statuses = []
    orig = runmod.audit_frames

    def audit_frames(*a, **k):
        # Keep only the rule statuses: holding the result would keep every table alive after
        # run_audit releases them, and inflate the peak memory measured.
        res = orig(*a, **k)
        statuses[:] = [(s.rule.code, s.evaluated, s.seconds, s.findings, s.reason) for s in res.rules]
        return res

    runmod.audit_frames = audit_frames
    opts = runmod.RunOptions(
        paths=[str(data)], peildatum=dt.date.fromisoformat(PEILDATUM), out_dir=out, formats=["json", "xlsx", "html"]
    )
    t0 = time.perf_counter()
    with _TreeMemory() as mem:
        outcome = runmod.run_audit(opts)
    wall = time.perf_counter() - t0
    per_rule = {}
    not_evaluated = {}
    for code, evaluated, seconds, findings, reason in statuses:
        if evaluated:
            per_rule[code] = {"seconds": round(seconds, 4), "findings": findings}
        else:
            not_evaluated[code] = reason
    summary = outcome.payload["summary"]
    own_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return {
        "seconds": wall,
        "timings": {k: round(v, 4) for k, v in outcome.timings.items()},
        # own time of work that overlapped other work: each programme's rules (a large audit runs
        # some in a forked child beside the others) and the rapport.xlsx writer
        "own": {k: round(v, 4) for k, v in outcome.overlapped.items()},
        "rows_read": summary["rows_read"],
        "findings": {k: summary[k] for k in ("error", "warning", "info")},
        "rules": per_rule,
        "not_evaluated": not_evaluated,
        "outputs": {p.name: p.stat().st_size for p in outcome.written},
        "rss_mb": round(max(own_mb, mem.peak_kb / 1024.0), 1) if mem.peak_kb else round(_rss_mb(), 1),
        "rss_own_mb": round(own_mb, 1),
        "rss_tree_sampled_mb": round(mem.peak_kb / 1024.0, 1),
    }


FRICTIONLESS_FIELDS = [
    ("Klantnummer", "string", True), ("Stap", "string", True), ("Toestand", "string", True),
    ("Startdatum", "string", True), ("Einddatum", "string", False), ("Financieringsnummer", "string", False),
    ("Resultaat", "string", False), ("Code opleiding", "string", False), ("Aanvrager", "string", False),
    ("Uitvoerder", "string", False), ("Samenvatting", "string", False), ("Laatst gewijzigd", "string", False),
    ("Organisatie", "string", False),
]


def measure_frictionless(data: Path) -> dict:
    exe = shutil.which("frictionless")
    if not exe:
        return {"skipped": "frictionless is not installed (not a dependency: pip install frictionless to time it)"}
    lines = next(data.rglob("stappen_naar_werk.csv"))
    schema = {
        "fields": [
            {"name": n, "type": t, **({"constraints": {"required": True}} if r else {})} for n, t, r in FRICTIONLESS_FIELDS
        ]
    }
    with tempfile.TemporaryDirectory() as tmp:
        sp = Path(tmp) / "schema.json"
        sp.write_text(json.dumps(schema))
        # --trusted: the schema lives in a temporary folder (frictionless refuses paths outside the
        # working directory otherwise); --limit-errors: validate every row, not up to 1000 errors.
        cmd = [exe, "validate", str(lines), "--schema", str(sp), "--encoding", "cp1252",
               "--dialect", json.dumps({"delimiter": ";", "headerRows": [3]}), "--trusted",
               "--limit-errors", str(10**9), "--json"]
        t0 = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True)
        secs = time.perf_counter() - t0
    ok = p.returncode in (0, 1)
    out = {"seconds": secs, "returncode": p.returncode, "file": lines.name}
    try:  # what it checked: every row (else the timing would not be comparable)
        rep = json.loads(p.stdout)
        task = rep["tasks"][0]
        out.update(valid=rep["valid"], rows=task["stats"].get("rows"), errors=task["stats"].get("errors"))
    except (ValueError, KeyError, IndexError):
        ok = False
    if not ok:
        out["error"] = (p.stderr.strip() or p.stdout.strip())[-300:]
    return out


def _measure_main(kind: str, data: str, out: str | None, result: str) -> int:
    t0 = time.perf_counter()
    if kind == "floor":
        r = measure_floor(Path(data))
    elif kind == "audit":
        r = measure_audit(Path(data), Path(out))
    elif kind == "frictionless":
        r = measure_frictionless(Path(data))
        r["rss_mb"] = None  # another process; its RSS is not ours
    else:
        raise SystemExit(f"unknown measurement {kind}")
    r.setdefault("rss_mb", round(_rss_mb(), 1))
    r["process_seconds"] = round(time.perf_counter() - t0, 3)
    Path(result).write_text(json.dumps(r))
    return 0


def run_measure(kind: str, data: Path, out: Path | None = None, profile: str | None = None,
                profile_out: Path | None = None) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        result = fh.name
    cmd = [sys.executable, str(Path(__file__).resolve()), "--measure", kind, "--data", str(data), "--result", result]
    if out is not None:
        cmd += ["--out", str(out)]
    if profile == "py-spy" and shutil.which("py-spy") and profile_out is not None:
        cmd = ["py-spy", "record", "--rate", "50", "--format", "raw", "--output", str(profile_out), "--"] + cmd
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    try:
        text = Path(result).read_text() if Path(result).exists() else ""
        if p.returncode != 0 or not text:  # (py-spy exits 0 when the profiled process failed)
            raise RuntimeError(f"{kind} on {data} failed ({p.returncode}):\n{p.stderr[-3000:]}")
        r = json.loads(text)
    finally:
        Path(result).unlink(missing_ok=True)
    r["subprocess_seconds"] = round(wall, 3)
    return r


# --- orchestration ----------------------------------------------------------------------------


def ensure_data(clients: int, root: Path, formats: list[str]) -> Path:
    d = root / f"c{clients}"
    man = d / "manifest.json"
    have = man.exists() and all((d / f).is_dir() for f in formats)
    if not have:
        print(f"generating {clients:,} clients into {d} ...", file=sys.stderr)
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--clients", str(clients), "--out", str(d),
                        "--formats", ",".join(formats)], check=True, cwd=ROOT)
    return d


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions = {}
    for p in PACKAGES:
        try:
            versions[p] = md.version(p)
        except md.PackageNotFoundError:
            versions[p] = None
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = None
    return {
        "cpu": cpu, "cores": os.cpu_count(), "ram_gb": ram_gb, "python": platform.python_version(),
        "platform": platform.platform(), "packages": versions, "loadavg_at_start": load,
    }


def run_size(clients: int, data: Path, formats: list[str], repeat: int, profile: str | None, tag: str) -> dict:
    man = json.loads((data / "manifest.json").read_text())
    res = {"clients": clients, "rows": man["rows"], "rows_total": man["rows_total"], "planted": man["planted"]}
    for fmt in formats:
        src = data / fmt
        entry = {}
        floors = [run_measure("floor", src) for _ in range(repeat)]
        entry["floor"] = min(floors, key=lambda r: r["seconds"])
        entry["floor"]["all_seconds"] = [round(r["seconds"], 3) for r in floors]
        audits = []
        for i in range(repeat):
            with tempfile.TemporaryDirectory(prefix="dossiercheck-bench-") as tmp:
                audits.append(run_measure("audit", src, Path(tmp)))
        entry["audit"] = min(audits, key=lambda r: r["seconds"])
        entry["audit"]["all_seconds"] = [round(r["seconds"], 3) for r in audits]
        if profile:  # one more, profiled, audit: the timed ones stay unprofiled
            prof = OUT / f"profile-{tag}-c{clients}-{fmt}.txt"
            with tempfile.TemporaryDirectory(prefix="dossiercheck-bench-") as tmp:
                run_measure("audit", src, Path(tmp), profile=profile, profile_out=prof)
            if prof.exists():
                entry["audit"]["profile"] = str(prof)
        entry["ratio"] = entry["audit"]["seconds"] / entry["floor"]["seconds"] if entry["floor"]["seconds"] else None
        res[fmt] = entry
        print(f"  c{clients} {fmt}: floor {entry['floor']['seconds']:.2f}s, audit {entry['audit']['seconds']:.2f}s "
              f"(x{entry['ratio']:.2f}), rss {entry['audit']['rss_mb']:.0f} MB", file=sys.stderr)
    if "csv" in formats:
        # The same lines CSV, two ways: frictionless (schema only) and the full audit of that file.
        fr = run_measure("frictionless", data / "csv")
        res["frictionless"] = fr
        if "skipped" not in fr:
            lines = next((data / "csv").rglob("stappen_naar_werk.csv"))
            with tempfile.TemporaryDirectory(prefix="dossiercheck-bench-") as tmp:
                res["lines_audit"] = run_measure("audit", lines, Path(tmp))
            print(f"  c{clients} lines csv: frictionless {fr['seconds']:.2f}s, audit {res['lines_audit']['seconds']:.2f}s",
                  file=sys.stderr)
    return res


def phase_keys(results: list[dict], formats: list[str]) -> list[str]:
    keys: list[str] = []
    for r in results:
        for fmt in formats:
            for k in r[fmt]["audit"]["timings"]:
                if k not in keys:
                    keys.append(k)
    order = ["read", "schema", "prepare", "rules"]
    rules = sorted(k for k in keys if k.startswith("rules."))
    reports = sorted(k for k in keys if k.startswith("report."))
    rest = [k for k in keys if k not in order + rules + reports]
    return [k for k in order if k in keys] + rules + reports + rest


def evaluate(results: list[dict], formats: list[str]) -> list[dict]:
    """The issue's targets, judged on the largest size measured."""
    if not results:
        return []
    big = max(results, key=lambda r: r["clients"])
    small = min(results, key=lambda r: r["clients"])
    out = []
    if "xlsx" in formats:
        a, f = big["xlsx"]["audit"]["seconds"], big["xlsx"]["floor"]["seconds"]
        out.append({"target": f"full audit from xlsx <= {TARGETS['xlsx_ratio']} x bare read (c{big['clients']})",
                    "value": f"{a:.1f} s / {f:.1f} s = x{a / f:.2f}", "holds": a <= TARGETS["xlsx_ratio"] * f})
    if "csv" in formats:
        a = big["csv"]["audit"]["seconds"]
        out.append({"target": f"full audit from CSV <= {TARGETS['csv_seconds']:.0f} s (c{big['clients']})",
                    "value": f"{a:.1f} s", "holds": a <= TARGETS["csv_seconds"]})
    fr, la = big.get("frictionless") or {}, big.get("lines_audit")
    if "csv" in formats and "seconds" in fr and la:
        x = fr["seconds"] / la["seconds"]
        out.append({"target": f"full audit of the lines CSV >= {TARGETS['frictionless']:.0f}x faster than frictionless "
                              f"validate (schema only) of it (c{big['clients']})",
                    "value": f"{fr['seconds']:.1f} s / {la['seconds']:.1f} s = x{x:.2f}", "holds": x >= TARGETS["frictionless"]})
    elif "csv" in formats:
        out.append({"target": f"{TARGETS['frictionless']:.0f}x faster than frictionless validate",
                    "value": "not measured: " + fr.get("skipped", "no frictionless run"), "holds": None})
    rss = max(r[fmt]["audit"]["rss_mb"] for r in results for fmt in formats)
    out.append({"target": f"peak RSS <= {TARGETS['rss_gb']:.0f} GB", "value": f"{rss / 1024:.2f} GB",
                "holds": rss <= TARGETS["rss_gb"] * 1024})
    if big is not small:
        for fmt in formats:
            k = big["clients"] / small["clients"]
            x = big[fmt]["audit"]["seconds"] / small[fmt]["audit"]["seconds"]
            out.append({"target": f"{k:.0f}x the data ({fmt}) costs <= {TARGETS['scaling'] * k / 10:.0f}x the time",
                        "value": f"x{x:.2f}", "holds": x <= TARGETS["scaling"] * k / 10})
    return out


def render(report: dict) -> str:
    results, formats = report["results"], report["formats"]
    lines = []
    m = report["machine"]
    lines.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, Python {m['python']}, "
                 f"load average at start {m['loadavg_at_start']}")
    lines.append("Packages: " + ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v))
    lines.append(f"Run: {report['started']} ({report['wall_seconds']:.0f} s), repeat {report['repeat']} (best shown), "
                 f"peildatum {PEILDATUM}")
    lines.append("")
    cols = [(r, fmt) for r in results for fmt in formats]
    head = ["phase (s)"] + [f"c{r['clients']:,} {fmt}" for r, fmt in cols]
    rows = [["rows (all tables)"] + [f"{r['rows_total']:,}" for r, _ in cols],
            ["lijnen rows"] + [f"{r['rows']['lijnen']:,}" for r, _ in cols],
            ["**bare read (floor)**"] + [f"**{r[f]['floor']['seconds']:.2f}**" for r, f in cols]]
    all_own = {k for r, f in cols for k in r[f]["audit"].get("own", {})}
    own_keys = sorted(k for k in all_own if k.startswith("rules."))
    for k in phase_keys(results, formats):
        rows.append([k] + [f"{r[f]['audit']['timings'].get(k, 0):.2f}" for r, f in cols])
        if k == "rules":  # the wall time, then each programme's own time (two processes at once)
            for o in own_keys + [k for k in ("findings.parent", "findings.child") if k in all_own]:
                rows.append([f"· {o} (own)"] + [f"{r[f]['audit'].get('own', {}).get(o, 0):.2f}" for r, f in cols])
    if any("report.xlsx" in r[f]["audit"].get("own", {}) for r, f in cols):
        rows.append(["· report.xlsx writer (own)"] + [
            f"{r[f]['audit'].get('own', {}).get('report.xlsx', 0):.2f}" for r, f in cols])
    rows.append(["other (payload, glue)"] + [
        f"{r[f]['audit']['seconds'] - sum(r[f]['audit']['timings'].values()):.2f}" for r, f in cols])
    rows.append(["**full audit**"] + [f"**{r[f]['audit']['seconds']:.2f}**" for r, f in cols])
    rows.append(["audit / floor"] + [f"x{r[f]['ratio']:.2f}" for r, f in cols])
    rows.append(["peak RSS audit (MB)"] + [f"{r[f]['audit']['rss_mb']:.0f}" for r, f in cols])
    rows.append(["peak RSS floor (MB)"] + [f"{r[f]['floor']['rss_mb']:.0f}" for r, f in cols])
    rows.append(["findings e/w/i"] + [
        "/".join(str(r[f]["audit"]["findings"][s]) for s in ("error", "warning", "info")) for r, f in cols])
    widths = [max(len(str(x[i])) for x in [head] + rows) for i in range(len(head))]
    fmt_row = lambda xs: "| " + " | ".join(str(x).ljust(w) for x, w in zip(xs, widths)) + " |"  # noqa: E731
    lines.append(fmt_row(head))
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    lines.extend(fmt_row(r) for r in rows)
    lines.append("")
    for r in results:
        f = r.get("frictionless")
        if not f:
            continue
        if "skipped" in f:
            lines.append(f"frictionless validate (lines CSV, schema only), c{r['clients']:,}: skipped: {f['skipped']}")
        elif "error" in f:
            lines.append(f"frictionless validate (lines CSV, schema only), c{r['clients']:,}: failed: {f['error']}")
        else:
            la = r.get("lines_audit") or {}
            lines.append(
                f"- c{r['clients']:,}, the lines CSV alone ({f['rows']:,} rows): `frictionless validate` with a schema only "
                f"{f['seconds']:.2f} s ({f['errors']:,} errors); the full audit of that file (all outputs) "
                f"{la.get('seconds', float('nan')):.2f} s, peak RSS {la.get('rss_mb', 0):.0f} MB"
            )
    lines.append("")
    lines.append("| target | measured | holds |")
    lines.append("|---|---|---|")
    for t in report["targets"]:
        holds = "n/a" if t["holds"] is None else ("yes" if t["holds"] else "**no**")
        lines.append(f"| {t['target']} | {t['value']} | {holds} |")
    big = max(results, key=lambda r: r["clients"])
    for fmt in formats:
        prof = big[fmt]["audit"].get("profile")
        if prof and Path(prof).exists():
            from pyspy_summary import top_frames

            total, top = top_frames(Path(prof))
            lines.append("")
            lines.append(f"Where the time goes, c{big['clients']:,} {fmt} (py-spy, {total:,} samples; share of the audit "
                         "spent in each function and what it calls): "
                         + ", ".join(f"`{f.split(' (')[0]}` {p:.0f} %" for f, p in top))
        rules = big[fmt]["audit"]["rules"]
        top = sorted(rules.items(), key=lambda kv: -kv[1]["seconds"])[:10]
        lines.append("")
        lines.append(f"Slowest rules, c{big['clients']:,} {fmt} (seconds; the findings' row facts are attached "
                     "afterwards, by each rule process in a large audit: `findings.parent`, `findings.child`): "
                     + ", ".join(f"{k} {v['seconds']:.2f}" for k, v in top))
        ne = big[fmt]["audit"]["not_evaluated"]
        if ne:
            lines.append(f"Not evaluated ({fmt}): " + "; ".join(f"{k}: {v}" for k, v in sorted(ne.items())))
    return "\n".join(lines)


def write_docs(text: str) -> None:
    block = f"{BEGIN}\n<!-- generated by `python bench/run.py --write-docs`; edit outside these markers -->\n\n{text}\n\n{END}"
    if DOCS.exists():
        doc = DOCS.read_text()
        if BEGIN in doc and END in doc:
            pre, rest = doc.split(BEGIN, 1)
            post = rest.split(END, 1)[1]
            DOCS.write_text(pre + block + post)
            return
        DOCS.write_text(doc.rstrip() + "\n\n## Results\n\n" + block + "\n")
        return
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text("# Performance\n\n## Results\n\n" + block + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="200000,20000", help="client counts, comma-separated")
    ap.add_argument("--formats", default="xlsx,csv")
    ap.add_argument("--data", type=Path, default=OUT / "data", help="where workloads are generated and reused")
    ap.add_argument("--repeat", type=int, default=1, help="runs per measurement; the best is kept")
    ap.add_argument("--write-docs", action="store_true", help="regenerate the results block of docs/performance.md")
    ap.add_argument("--smoke", action="store_true", help="a tiny workload in a temporary folder; seconds")
    ap.add_argument("--profile", choices=["py-spy"], default=None,
                    help="profile one extra audit per format of the largest size with py-spy (raw stacks in bench/out)")
    ap.add_argument("--json", type=Path, default=None, help="where to write the JSON (default bench/out/...)")
    # internal: one measurement in this (sub)process
    ap.add_argument("--measure", choices=["floor", "audit", "frictionless"], help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.measure:
        return _measure_main(a.measure, str(a.data), a.out, a.result)

    formats = [f.strip() for f in a.formats.split(",") if f.strip()]
    started = dt.datetime.now().isoformat(timespec="seconds")
    t0 = time.perf_counter()
    tmp = None
    if a.smoke:
        tmp = tempfile.TemporaryDirectory(prefix="dossiercheck-smoke-")
        sizes, data_root, tag = [300], Path(tmp.name), "smoke"
    else:
        sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
        data_root, tag = a.data, "full"
    OUT.mkdir(parents=True, exist_ok=True)
    mach = machine()
    results = []
    try:
        for clients in sizes:
            d = ensure_data(clients, data_root, formats)
            prof = a.profile if clients == max(sizes) else None  # the largest size only
            results.append(run_size(clients, d, formats, a.repeat, prof, tag))
    finally:
        if tmp is not None:
            tmp.cleanup()
    results.sort(key=lambda r: -r["clients"])
    report = {
        "started": started, "wall_seconds": time.perf_counter() - t0, "machine": mach, "formats": formats,
        "repeat": a.repeat, "smoke": a.smoke, "targets": evaluate(results, formats) if not a.smoke else [],
        "results": results,
    }
    text = render(report)
    print(text)
    path = a.json or OUT / f"results-{tag}-{started.replace(':', '')}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1))
    if not a.smoke:
        (OUT / "latest.json").write_text(json.dumps(report, indent=1))
    print(f"\nJSON: {path}", file=sys.stderr)
    if a.write_docs and not a.smoke:
        write_docs(text)
        print(f"updated {DOCS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

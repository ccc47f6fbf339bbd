"""Shared by the robustness tests: build the corpus once per session and run the real CLI
(``dossiercheck.cli.main``, exactly what ``python -m dossiercheck`` runs) on each case in its own
process, with a hard timeout.

Starting a fresh interpreter per case costs ~1.5 s of imports, which for ~60 cases is most of a
minute. So the cases run in processes forked from a multiprocessing *forkserver* that has
imported dossiercheck once: each case is still a separate process (its own stdout/stderr file
descriptors, exit code, crash or abort isolated, killed at the timeout), but starts in
milliseconds. Where forkserver is not available (Windows), a plain subprocess is used.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TIMEOUT = 10.0  # seconds: a run on any corpus file ends within this
PEILDATUM = "2025-06-15"
PRELOAD = ["dossiercheck.cli", "dossiercheck.run", "dossiercheck.engine", "dossiercheck.io",
           "dossiercheck.reports.html", "dossiercheck.reports.xlsx", "dossiercheck.checks.registry", "fastexcel",
           "corpus.runner"]


@dataclass
class Run:
    rc: int | None  # None: killed by the timeout; negative: killed by that signal
    stdout: str
    stderr: str
    seconds: float
    payload: dict | None  # findings.json, when written


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(REPO) + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    e.pop("DOSSIERCHECK_DEBUG", None)
    e["PYTHONWARNINGS"] = "ignore"
    return e


def audit_args(paths: list[str], out: Path, *extra: str) -> list[str]:
    return ["audit", *paths, "--out", str(out), "--peildatum", PEILDATUM, "--no-history", "--quiet", *extra]


def _child(argv: list[str], stdout: str, stderr: str) -> None:
    """Forked from the forkserver: point fds 1 and 2 at the files, run the CLI, exit with its code.
    An exception escaping ``main`` prints its traceback (the test then fails on it)."""
    import traceback

    for fd, name in ((1, stdout), (2, stderr)):
        f = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(f, fd)
        os.close(f)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
    os.environ.pop("DOSSIERCHECK_DEBUG", None)
    sys.argv = ["dossiercheck", *argv]
    code: int = 0
    try:
        from dossiercheck.cli import main

        main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:  # noqa: BLE001 - reported to the test as a traceback
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _noop() -> None:
    pass


@lru_cache(maxsize=1)
def _context():
    """The forkserver context, started (and its imports done) before any run is timed."""
    if "forkserver" not in mp.get_all_start_methods():
        return None
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    warm = ctx.Process(target=_noop)
    warm.start()
    warm.join(120)
    return ctx


def run_cli(argv: list[str], out: Path, timeout: float = TIMEOUT) -> Run:
    """``dossiercheck ARGV`` in its own process with a hard timeout; ``out`` is the --out folder
    (findings.json is loaded from it when written)."""
    ctx = _context()
    t0 = time.perf_counter()
    if ctx is None:
        cmd = [sys.executable, "-m", "dossiercheck", *argv]
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=REPO, env=env(),
                               stdin=subprocess.DEVNULL)
            rc, so, se = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            rc = None
            so = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
            se = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
    else:
        with tempfile.TemporaryDirectory(prefix="dc-run-") as tmp:
            so_f, se_f = os.path.join(tmp, "stdout"), os.path.join(tmp, "stderr")
            p = ctx.Process(target=_child, args=(argv, so_f, se_f))
            p.start()
            p.join(timeout)
            if p.is_alive():
                p.kill()
                p.join()
                rc = None
            else:
                rc = p.exitcode
            so = Path(so_f).read_text("utf-8", "replace") if os.path.exists(so_f) else ""
            se = Path(se_f).read_text("utf-8", "replace") if os.path.exists(se_f) else ""
    seconds = time.perf_counter() - t0
    fj = out / "findings.json"
    payload = json.loads(fj.read_text("utf-8")) if rc is not None and fj.exists() else None
    return Run(rc, so, se, seconds, payload)


@lru_cache(maxsize=1)
def cases() -> list[dict]:
    return yaml.safe_load((HERE / "cases.yaml").read_text("utf-8"))["cases"]


_BUILT: dict[str, Path] = {}


def corpus_dir(root: Path) -> Path:
    """The generated corpus under ``root`` (built once per process)."""
    key = str(root)
    if key not in _BUILT:
        from corpus import make_corpus

        target = root / "corpus"
        make_corpus.build(target)
        _BUILT[key] = target
    return _BUILT[key]


def run_all(root: Path, workers: int = 2) -> dict[str, Run]:
    """Every case of cases.yaml run once through the CLI (JSON output), outputs under ``root``."""
    corpus = corpus_dir(root)
    outs = root / "runs"
    outs.mkdir(parents=True, exist_ok=True)

    def one(case: dict) -> tuple[str, Run]:
        out = outs / case["id"]
        extra: list[str] = ["--format", case.get("format", "json")]
        if case.get("config"):
            cfg = outs / f"{case['id']}.toml"
            cfg.write_text(case["config"], "utf-8")
            extra += ["--config", str(cfg)]
        if case.get("lang"):
            extra += ["--lang", case["lang"]]
        files = case["file"] if isinstance(case["file"], list) else [case["file"]]
        return case["id"], run_cli(audit_args([str(corpus / f) for f in files], out, *extra), out)

    _context()  # start the forkserver once, before the threads
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(pool.map(one, cases()))


def digest() -> str:
    return hashlib.sha256((HERE / "make_corpus.py").read_bytes()).hexdigest()[:12]

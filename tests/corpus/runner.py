"""Shared by the robustness tests: build the corpus once per session, run the CLI on each case as
a subprocess with a timeout (in parallel, since each run pays the interpreter start-up), cache
the outcomes for test_corpus.py and test_nothing_lost.py."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
ARTIFACTS = REPO / "tests" / "artifacts"  # git-ignored
TIMEOUT = 10.0  # seconds: a run on any corpus file ends within this
PEILDATUM = "2025-06-15"


@dataclass
class Run:
    rc: int | None  # None: killed by the timeout
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


def run_cli(args: list[str], out: Path, timeout: float = TIMEOUT) -> Run:
    """``python -m dossiercheck audit ARGS --out OUT`` with a hard timeout."""
    cmd = [sys.executable, "-m", "dossiercheck", "audit", *args, "--out", str(out), "--peildatum", PEILDATUM,
           "--no-history", "--quiet"]
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=REPO, env=env(),
                           stdin=subprocess.DEVNULL)
        rc, so, se = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        rc = None
        so = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        se = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
    seconds = time.perf_counter() - t0
    fj = out / "findings.json"
    payload = json.loads(fj.read_text("utf-8")) if rc is not None and fj.exists() else None
    return Run(rc, so, se, seconds, payload)


@lru_cache(maxsize=1)
def cases() -> list[dict]:
    return yaml.safe_load((HERE / "cases.yaml").read_text("utf-8"))["cases"]


@lru_cache(maxsize=1)
def corpus_dir() -> Path:
    """The generated corpus, rebuilt when make_corpus.py changes (kept between sessions)."""
    from corpus import make_corpus

    digest = hashlib.sha256((HERE / "make_corpus.py").read_bytes()).hexdigest()[:12]
    target = ARTIFACTS / f"corpus-{digest}"
    done = target / ".complete"
    if not done.exists():
        make_corpus.build(target)
        done.write_text("ok")
    return target


@lru_cache(maxsize=1)
def all_runs() -> dict[str, Run]:
    """Every case of cases.yaml run once through the CLI (json output only)."""
    root = corpus_dir()
    outs = ARTIFACTS / "corpus-runs"
    outs.mkdir(parents=True, exist_ok=True)

    def one(case: dict) -> tuple[str, Run]:
        out = outs / case["id"]
        if out.exists():
            for f in out.iterdir():
                f.unlink()
        extra = []
        if case.get("config"):
            cfg = outs / f"{case['id']}.toml"
            cfg.write_text(case["config"], "utf-8")
            extra = ["--config", str(cfg)]
        return case["id"], run_cli([str(root / case["file"]), "--format", "json", *extra], out)

    todo = [c for c in cases() if (root / c["file"]).exists()]
    with ThreadPoolExecutor(max_workers=max(2, min(4, (os.cpu_count() or 2)))) as pool:
        return dict(pool.map(one, todo))

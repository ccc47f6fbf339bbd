"""The benchmark keeps working: a tiny run of bench/run.py end to end (timings are not checked:
they belong to the benchmark, never to unit tests)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_smoke_runs_both_formats_and_writes_json(tmp_path):
    out = tmp_path / "smoke.json"
    p = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert p.returncode == 0, p.stderr[-2000:]
    assert "bare read (floor)" in p.stdout and "full audit" in p.stdout
    report = json.loads(out.read_text())
    assert report["smoke"] and report["formats"] == ["xlsx", "csv"]
    (size,) = report["results"]
    for fmt in ("xlsx", "csv"):
        audit = size[fmt]["audit"]
        # every generated row is read, from either format
        assert audit["rows_read"] == size["rows_total"]
        assert audit["findings"]["error"] > 0 and audit["findings"]["warning"] > 0
        assert {"read", "schema", "report.json", "report.xlsx", "report.html"} <= set(audit["timings"])
        assert set(audit["outputs"]) == {"findings.json", "rapport.xlsx", "rapport.html"}
        assert audit["rss_mb"] > 0 and size[fmt]["floor"]["rows"] > 0
    # the same files give the same findings whatever their format
    assert size["xlsx"]["audit"]["findings"] == size["csv"]["audit"]["findings"]


def test_generator_is_deterministic_and_plants_every_family(tmp_path):
    def gen(d):
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "generate.py"), "--clients", "120", "--out", str(d), "--formats", "csv"],
            cwd=ROOT, check=True, capture_output=True, timeout=120,
        )
        manifest = json.loads((d / "manifest.json").read_text())
        manifest.pop("seconds")  # how long generating took
        return manifest

    a, b = gen(tmp_path / "a"), gen(tmp_path / "b")
    assert a == b
    for f in sorted((tmp_path / "a" / "csv").iterdir()):
        assert f.read_bytes() == (tmp_path / "b" / "csv" / f.name).read_bytes(), f.name
    assert len(a["rows"]) == 11  # all eleven tables
    families = {code[:3] for code in a["planted"]}
    assert families >= {"DAT", "GEN", "ABO", "OAL", "FIN", "OUT", "IBB", "LBC"}

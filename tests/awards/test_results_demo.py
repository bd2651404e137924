"""The demo's last year: its final vote counted and published, with winners, citations (Arabic
and English), the bundle and its fingerprint; `manassa recount` on the bundle prints MATCH,
and on a tampered copy the first difference."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

from accounts import demo as accounts_demo
from awards import demo
from awards.models import CategoryResult, Cycle, ResultsBundle
from awards.services import results
from core.clock import now


def _manassa(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from core.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )


async def test_last_years_results_are_published_and_recount_to_match(settings, client, tmp_path):
    await accounts_demo.load(settings)
    lines = await demo.load(settings)
    last = await Cycle.filter(year__lt=now().year).get()
    assert results.is_public(last)
    assert any(f"/awards/{last.slug}/results" in line for line in lines)
    counted = await CategoryResult.filter(category__cycle_id=last.id)
    winners = [r for r in counted if r.winner_id is not None]
    assert len(counted) == 5 and winners
    assert all(r.citation_ar and r.citation_en for r in winners)
    outcomes = {r.outcome for r in counted}
    assert "blend" in outcomes and "jury-only" in outcomes
    bundle = await ResultsBundle.get(cycle_id=last.id)
    for lang in ("ar", "en"):
        page = await client.get(f"/awards/{last.slug}/results?lang={lang}")
        assert page.status_code == 200 and bundle.fingerprint in page.text
    downloaded = (await client.get(f"/awards/{last.slug}/results/bundle.zip")).content
    path = tmp_path / "bundle.zip"
    path.write_bytes(downloaded)
    done = _manassa("recount", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["MATCH", f"fingerprint {bundle.fingerprint}"]
    # a tampered vote file: the first difference, and a non-zero exit
    with zipfile.ZipFile(io.BytesIO(downloaded)) as original:
        files = {name: original.read(name) for name in original.namelist()}
    files["public_votes.csv"] = files["public_votes.csv"].replace(b"\n", b"\nx,", 1)
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as out:
        for name, data in files.items():
            out.writestr(name, data)
    refused = _manassa("recount", str(tampered))
    assert refused.returncode == 1
    assert refused.stdout.startswith("DIFFERENCE: public_votes.csv: SHA-256")
    assert "MATCH" not in refused.stdout

"""The README stays short and true: its two commands come first and exist, its example runs as
written, and its links lead to pages of the documentation site.

The guide's examples (words bound to data, Vizzu data, large data...) moved to docs/, where
the site's build runs every one of them (tests/unit/test_docs.py).
"""

import re
import subprocess
from pathlib import Path

from ipyreport import Dashboard, Story

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```python\n(.*?)```", README, re.S)


def test_the_readme_is_short():
    assert len(README.splitlines()) <= 200


def test_the_readme_opens_with_the_two_commands_and_both_exist():
    first_block = README.split("```bash\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()]
    assert commands == ["./dev demo", "./dev test"]
    assert README.index("./dev demo") < README.index("ipyreport turns tables")
    usage = subprocess.run([str(ROOT / "dev")], capture_output=True, text=True, check=False)
    assert usage.returncode == 2
    listed = {line.split()[0:2][1] for line in usage.stdout.splitlines() if "./dev " in line}
    assert {"demo", "test", "docs"} <= listed


def test_the_readme_example_is_ten_lines_and_runs_as_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (example,) = EXAMPLES
    assert len(example.splitlines()) == 10
    namespace: dict = {}
    exec(compile(example, "README.md example", "exec"), namespace)
    story = namespace["story"]
    assert isinstance(story, Story)
    assert isinstance(story.slides[-1], Dashboard)
    assert story.to_dict()["slides"][0]["title"] == "Americas leads with $323.8M"
    assert story.check() == []
    assert (tmp_path / "sales.html").stat().st_size > 100_000


def test_every_readme_link_leads_to_a_file_of_the_repository():
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README)
    assert len(links) >= 15
    missing = [link for link in links if not (ROOT / link).exists()]
    assert missing == []

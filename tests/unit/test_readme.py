"""The README's Python examples run as written, in order, as a reader would run them."""

import re
from pathlib import Path

from ipyreport import Dashboard, Story, samples

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
EXAMPLES = [
    block
    for block in re.findall(r"```python\n(.*?)```", README, re.S)
    if not block.startswith("%")  # magics belong to a notebook
]


def test_the_readme_examples_run_in_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # files the examples read and write live here
    samples.write_orders(tmp_path / "orders", rows=5_000, parts=2)
    # What the prose says the reader already has: a DataFrame called df.
    namespace = {"df": samples.sales().to_pandas()}
    assert len(EXAMPLES) >= 4
    for number, code in enumerate(EXAMPLES, start=1):
        exec(compile(code, f"README.md example {number}", "exec"), namespace)
        if number == 1:  # the headline example
            assert isinstance(namespace["story"].slides[-1], Dashboard)
            assert (tmp_path / "sales.html").stat().st_size > 100_000
    assert isinstance(namespace["story"], Story)
    # Words bound to the data read as the README says.
    assert namespace["notes"] == "Americas brings 39.3% of $824.4M; revenue +170.7% since Jan 2021."
    assert namespace["payload"].startswith(b'{"series":')

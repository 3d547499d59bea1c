"""The player's filter compiler keeps the rows an eager story keeps, on the same random cases
as ``tests/unit/test_filter_agreement.py`` runs through the database engines."""

from hypothesis import HealthCheck, given, settings

from tests.filter_cases import cases, eager_rows

# Records as Vizzu hands them to a filter: a dimension's label, a measure's
# number (missing measures are NaN once the player has prepared the data).
KEPT_ROWS = """({ json, filter }) => {
  const data = window.steps.prepareData(JSON.parse(json));
  const keep = window.steps.compileFilter(filter, data);
  const rows = data.series[0].values.length;
  const kept = [];
  for (let row = 0; row < rows; row += 1) {
    const record = {};
    for (const series of data.series) {
      record[series.name] = series.type === "dimension"
        ? series.categories[series.values[row]]
        : series.values[row];
    }
    if (keep(record)) kept.push(record.__row);
  }
  return kept;
}"""


@settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=cases())
def test_the_player_keeps_the_rows_an_eager_story_keeps(vizzu, case):
    json = case.encoded().to_json().decode()
    kept = vizzu.page.evaluate(KEPT_ROWS, {"json": json, "filter": case.filter.to_dict()})
    assert sorted(kept) == eager_rows(case), case.filter.to_dict()

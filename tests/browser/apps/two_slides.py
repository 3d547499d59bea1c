"""The story every front-end app shows: a column that morphs into a pie, then a bar chart."""

from ipyreport import Slide, Story, presets

DATA = {"Region": ["North", "South", "East"], "Revenue": [3.0, 5.0, 4.0]}


def two_slides(title: str) -> Story:
    return Story(
        DATA,
        title=title,
        slides=[
            Slide(
                presets.morph(DATA, ["column", "pie"], x="Region", y="Revenue", duration=0),
                title="One",
            ),
            Slide(presets.chart(kind="bar", x="Region", y="Revenue", duration=0), title="Two"),
        ],
    )

"""A marimo notebook with a story as a cell's output and a reactive player (browser tests)."""

import marimo

app = marimo.App()


@app.cell
def _():
    import marimo as mo

    from ipyreport import Slide, Story, presets

    data = {"Region": ["North", "South", "East"], "Revenue": [3.0, 5.0, 4.0]}
    story = Story(
        data,
        title="marimo test",
        slides=[
            Slide(
                presets.morph(data, ["column", "pie"], x="Region", y="Revenue", duration=0),
                title="One",
            ),
            Slide(presets.chart("bar", x="Region", y="Revenue", duration=0), title="Two"),
        ],
    )
    return mo, story


@app.cell
def _(story):
    story
    return


@app.cell
def _(mo, story):
    player = mo.ui.anywidget(story.player())
    player
    return (player,)


@app.cell
def _(mo, player):
    mo.md(f"python sees slide {player.value['slide']} step {player.value['step']}")
    return


if __name__ == "__main__":
    app.run()

"""A marimo notebook with a story as a cell's output and a reactive player (browser tests)."""

import marimo

app = marimo.App()


@app.cell
def _():
    import marimo as mo
    from two_slides import two_slides  # next to this notebook, which marimo puts on the path

    story = two_slides("marimo test")
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

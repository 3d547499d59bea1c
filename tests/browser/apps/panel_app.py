"""A Panel app with a story and a line that follows its player (browser tests)."""

import panel as pn

import ipyreport.panel
from ipyreport import Slide, Story, presets

data = {"Region": ["North", "South", "East"], "Revenue": [3.0, 5.0, 4.0]}
story = Story(
    data,
    title="Panel story",
    slides=[
        Slide(
            presets.morph(data, ["column", "pie"], x="Region", y="Revenue", duration=0), title="One"
        ),
        Slide(presets.chart("bar", x="Region", y="Revenue", duration=0), title="Two"),
    ],
)
player = ipyreport.panel.StoryPlayer(story)
where = pn.bind(
    lambda slide, step: f"python sees slide {slide} step {step}",
    player.param.slide,
    player.param.step,
)
forward = pn.widgets.Button(label="Python: go to slide 2")
forward.on_click(lambda _: player.go(2))
pn.Column(player, pn.pane.Markdown(where), forward).servable()

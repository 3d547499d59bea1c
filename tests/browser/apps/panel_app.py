"""A Panel app with a story and a line that follows its player (browser tests)."""

import panel as pn
from two_slides import two_slides  # next to this app, which Panel puts on the path

import ipyreport.panel

player = ipyreport.panel.StoryPlayer(two_slides("Panel story"))
where = pn.bind(
    lambda slide, step: f"python sees slide {slide} step {step}",
    player.param.slide,
    player.param.step,
)
forward = pn.widgets.Button(label="Python: go to slide 2")
forward.on_click(lambda _: player.go(2))
clicked = pn.pane.Markdown("nothing clicked")
player.on_click(
    lambda record: setattr(clicked, "object", f"python saw a click on {record['categories']}")
)
pn.Column(player, pn.pane.Markdown(where), forward, clicked).servable()

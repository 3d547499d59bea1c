"""A Streamlit app that shows a story (browser tests)."""

import streamlit as st

import ipyreport.streamlit
from ipyreport import Slide, Story, presets

data = {"Region": ["North", "South", "East"], "Revenue": [3.0, 5.0, 4.0]}
st.title("Streamlit test")
ipyreport.streamlit.story(
    Story(
        data,
        title="Streamlit story",
        slides=[
            Slide(
                presets.morph(data, ["column", "pie"], x="Region", y="Revenue", duration=0),
                title="One",
            ),
            Slide(presets.chart("bar", x="Region", y="Revenue", duration=0), title="Two"),
        ],
    ),
    height=520,
)

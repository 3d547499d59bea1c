"""A Streamlit app that shows a story (browser tests)."""

import streamlit as st
from two_slides import two_slides  # next to this app, which Streamlit puts on the path

import ipyreport.streamlit

st.title("Streamlit test")
ipyreport.streamlit.story(two_slides("Streamlit story"), height=520)

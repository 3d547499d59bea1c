"""A Streamlit app that shows a story, says where its viewer is and can move it (browser tests)."""

import streamlit as st
from two_slides import two_slides  # next to this app, which Streamlit puts on the path

import ipyreport.streamlit

st.title("Streamlit test")
if st.button("Python: go to slide 2"):
    st.session_state["slide"] = 2
where = ipyreport.streamlit.story(
    two_slides("Streamlit story"), height=420, slide=st.session_state.get("slide", 1), key="story"
)
st.write(f"python sees slide {where['slide']} step {where['step']}")
if where["clicked"]:
    st.write(f"python saw a click on {where['clicked']['categories']}")

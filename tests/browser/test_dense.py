"""The page turns the densely written engine back into exactly its bytes."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipyreport.export._dense import DECODE_JS, ILLEGAL, encode

# Bytes rich in the groups that need two-byte characters, and plain random ones.
awkward = st.lists(st.sampled_from([0x00, 0x0D, 0x3C, 0x1A, 0x78, 0xFF, 0x80]), max_size=64).map(
    bytes
)
chunks = st.lists(st.one_of(st.binary(max_size=300), awkward), min_size=20, max_size=20)


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(chunks=chunks)
def test_the_page_decodes_every_byte_string_exactly(vizzu, chunks):
    texts = [encode(chunk) for chunk in chunks]
    for text in texts:
        # Only characters an HTML parser hands back unchanged.
        assert not {ord(c) for c in text} & set(ILLEGAL)
    decoded = vizzu.page.evaluate(
        "(cases) => {"
        + DECODE_JS
        + " return cases.map(([text, length]) => Array.from(dense(text, length))); }",
        [[text, len(chunk)] for text, chunk in zip(texts, chunks, strict=True)],
    )
    assert [bytes(values) for values in decoded] == chunks


def test_the_dense_form_is_a_seventh_larger_than_the_bytes():
    data = bytes(range(256)) * 400
    assert len(encode(data).encode("utf-8")) / len(data) < 1.15

"""What the Vizzu engine accepts: configs, styles and animation options checked against its
own types, and the story's language tag.

The engine's ``.d.ts`` files are turned into JSON Schemas when the package is
built (``hatch_build.py``); a value the engine would refuse is found here,
when the story is built, with the field at fault and what is allowed, rather
than in front of an audience, where one refused step would stop every step
after it.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from ipyreport import assets

__all__ = ["engine_problem", "language_problem"]

# A BCP 47 language tag, as HTML's lang and Intl's number formats read it:
# language, optional script, region and variants (en, en-GB, zh-Hant-TW, de-CH-1996).
LANGUAGE_TAG = re.compile(
    r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|\d{3}))?(-([A-Za-z\d]{5,8}|\d[A-Za-z\d]{3}))*$"
)


@functools.cache
def _validator(part: str) -> Any:
    import jsonschema

    schema = assets.vizzu_types()[part]
    return jsonschema.Draft7Validator(schema)


def engine_problem(part: str, value: Any) -> str | None:
    """Why the engine would refuse ``value`` as a step's ``part`` (config, style, animation), or None.

    >>> engine_problem("config", {"geometry": "hexagon"})
    "geometry: 'hexagon' is not one of ['rectangle', 'circle', 'area', 'line']"
    >>> engine_problem("animation", {"duration": "2s", "easing": "ease-in"}) is None
    True
    """
    import jsonschema

    errors = list(_validator(part).iter_errors(value))
    if not errors:
        return None
    error = jsonschema.exceptions.best_match(errors)
    while error.context:  # the closest of the alternatives the engine would take
        error = jsonschema.exceptions.best_match(error.context)
    where = ".".join(str(key) for key in error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        message = f"{error.message}; the engine knows {', '.join(allowed)}"
    elif error.validator == "pattern" and where.endswith(("duration", "delay")):
        message = f"{error.instance!r} is not a duration: write seconds (1.5), '1.5s' or '500ms'"
    else:
        message = error.message
    return f"{where}: {message}" if where else message


def language_problem(tag: Any) -> str | None:
    """Why ``tag`` is not a language tag (BCP 47) a browser reads, or None.

    >>> language_problem("en_US")
    "lang must be a BCP 47 language tag such as 'en' or 'en-US', got 'en_US' (did you mean 'en-US'?)"
    """
    if isinstance(tag, str) and LANGUAGE_TAG.match(tag):
        return None
    hint = ""
    if isinstance(tag, str) and LANGUAGE_TAG.match(tag.replace("_", "-")):
        hint = f" (did you mean {tag.replace('_', '-')!r}?)"
    return f"lang must be a BCP 47 language tag such as 'en' or 'en-US', got {tag!r}{hint}"

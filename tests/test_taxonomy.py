"""The tag palette in data/taxonomy.toml meets WCAG 2.1 AA and never relies on colour alone.

Contrast is WCAG's relative-luminance ratio. Tints are the widget's highlight background (the
tag colour at ``TINT`` over a white page); their differences are CIEDE2000, also after
simulating colour-vision deficiency with the matrices of Machado, Oliveira & Fernandes (2009,
severity 1).
"""

from __future__ import annotations

import itertools
import math
import re

import pytest

from kit.keys import UNDERLINE_STYLES, load_taxonomy
from kit.widgets.annotator import HERE

WHITE = (255, 255, 255)
_MACHADO = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}  # fmt: skip


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def _linear(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _gamma(v: float) -> float:
    v = min(max(v, 0.0), 1.0)
    return 255 * (12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055)


def luminance(rgb) -> float:
    r, g, b = (_linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def over_white(rgb, alpha: float):
    return tuple(alpha * c + (1 - alpha) * 255 for c in rgb)


def simulate(rgb, kind: str):
    lin = [_linear(c) for c in rgb]
    return tuple(
        _gamma(sum(m * v for m, v in zip(row, lin, strict=True))) for row in _MACHADO[kind]
    )


def lab(rgb) -> tuple[float, float, float]:
    r, g, b = (_linear(c) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def ciede2000(lab1, lab2) -> float:
    """Colour difference (Sharma, Wu & Dalal 2005 formulation)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    cbar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(cbar**7 / (cbar**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1 = math.degrees(math.atan2(b1, a1)) % 360 if c1 else 0.0
    h2 = math.degrees(math.atan2(b2, a2)) % 360 if c2 else 0.0
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    dl, dc = l2 - l1, c2 - c1
    dhh = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    lbar, cbar2 = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        hbar = h1 + h2
    elif abs(h1 - h2) <= 180:
        hbar = (h1 + h2) / 2
    else:
        hbar = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hbar - 30))
        + 0.24 * math.cos(math.radians(2 * hbar))
        + 0.32 * math.cos(math.radians(3 * hbar + 6))
        - 0.20 * math.cos(math.radians(4 * hbar - 63))
    )
    rc = 2 * math.sqrt(cbar2**7 / (cbar2**7 + 25**7))
    rt = -math.sin(math.radians(60 * math.exp(-(((hbar - 275) / 25) ** 2)))) * rc
    sl = 1 + 0.015 * (lbar - 50) ** 2 / math.sqrt(20 + (lbar - 50) ** 2)
    sc, sh = 1 + 0.045 * cbar2, 1 + 0.015 * cbar2 * t
    return math.sqrt(
        (dl / sl) ** 2 + (dc / sc) ** 2 + (dhh / sh) ** 2 + rt * (dc / sc) * (dhh / sh)
    )


@pytest.fixture(scope="module")
def tags():
    return load_taxonomy()


@pytest.fixture(scope="module")
def tint() -> float:
    found = re.search(r"const TINT = ([0-9.]+);", (HERE / "annotator.js").read_text("utf-8"))
    assert found, "the widget names its highlight tint TINT"
    return float(found.group(1))


def test_the_colour_maths_matches_published_values():
    assert contrast((0, 0, 0), WHITE) == pytest.approx(21.0)
    assert contrast(_rgb("#767676"), WHITE) == pytest.approx(4.54, abs=0.01)
    # Sharma, Wu & Dalal (2005), test pairs 1 and 17.
    assert ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)


def test_every_tag_colour_is_visible_as_a_line_on_white(tags):
    for tag in tags:
        ratio = contrast(_rgb(tag.colour), WHITE)
        assert ratio >= 3.0, f"{tag.id} {tag.colour}: {ratio:.2f}:1 against white, needs 3:1"


def test_neighbouring_tags_contrast_with_each_other(tags):
    # Charts list tags in taxonomy order, so these are the colours that touch.
    for a, b in itertools.pairwise(tags):
        ratio = contrast(_rgb(a.colour), _rgb(b.colour))
        assert ratio >= 3.0, f"{a.id} next to {b.id}: {ratio:.2f}:1, needs 3:1"


@pytest.mark.parametrize(
    ("vision", "least"),
    [("typical", 9.0), ("protanopia", 5.0), ("deuteranopia", 5.0), ("tritanopia", 5.0)],
)
def test_highlight_tints_are_told_apart(tags, tint, vision, least):
    def seen(tag):
        rgb = over_white(_rgb(tag.colour), tint)
        return lab(rgb if vision == "typical" else simulate(rgb, vision))

    for a, b in itertools.combinations(tags, 2):
        diff = ciede2000(seen(a), seen(b))
        assert diff >= least, f"{a.id} and {b.id} tints: ΔE {diff:.1f} ({vision})"


def test_text_on_every_tint_stays_readable(tags, tint):
    ink = (0x21, 0x21, 0x21)  # the page's text, rgba(0, 0, 0, 0.87) on white
    for tag in tags:
        assert contrast(ink, over_white(_rgb(tag.colour), tint)) >= 7.0, tag.id


def test_tags_differ_by_line_style_not_only_colour(tags):
    for tag in tags:
        assert tag.underline in UNDERLINE_STYLES and tag.underline != "dotted", tag.id
    for a, b in itertools.pairwise(tags):
        assert a.underline != b.underline, f"{a.id} and {b.id} share a line style"

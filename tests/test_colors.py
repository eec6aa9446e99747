"""Colours that people with colour-vision deficiencies can tell apart, and text that can be read.

Deficiencies are simulated with the matrices of Machado, Oliveira & Fernandes (2009, severity
1.0) in linear RGB; colours are compared by CIE76 ΔE in CIELAB. Text contrast is WCAG 2's ratio.
"""

from itertools import combinations, pairwise

import numpy as np
import pytest

from borderrisk.layers.style import EVENT_TYPE_COLORS, OTHER, PALETTE, RISK_LEVEL_COLORS

SIMULATIONS = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}
#: Two colours closer than this (CIE76) are easily confused on a map's small symbols.
MIN_DELTA_E = 15
#: The event-type colours used before (Material reds, blues, ambers): with deuteranopia two of
#: them come within ΔE 12.
OLD_EVENT_COLORS = ["#c62828", "#ef6c00", "#6a1b9a", "#1565c0", "#546e7a", "#f9a825"]


def linear(hex_color):
    srgb = np.array([int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def lab(rgb_linear):
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ rgb_linear
    ratio = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(ratio > (6 / 29) ** 3, np.cbrt(ratio), ratio / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(hex_color, simulation):
    return lab(np.clip(SIMULATIONS[simulation] @ linear(hex_color), 0, 1))


def closest_pair(colors, simulation):
    return min(float(np.linalg.norm(seen(a, simulation) - seen(b, simulation))) for a, b in combinations(colors, 2))


@pytest.mark.parametrize("simulation", SIMULATIONS)
def test_event_types_stay_apart_with_each_deficiency(simulation):
    assert closest_pair(list(EVENT_TYPE_COLORS.values()), simulation) >= MIN_DELTA_E
    assert closest_pair([*PALETTE, OTHER], simulation) >= MIN_DELTA_E
    assert len(PALETTE) + 1 == 8


def test_the_old_event_colours_did_not():
    assert min(closest_pair(OLD_EVENT_COLORS, s) for s in SIMULATIONS) < MIN_DELTA_E


@pytest.mark.parametrize("simulation", SIMULATIONS)
def test_risk_levels_darken_step_by_step_with_each_deficiency(simulation):
    lightness = [seen(c, simulation)[0] for c in RISK_LEVEL_COLORS]
    assert all(a - b >= 8 for a, b in pairwise(lightness))  # L* falls at every level


def relative_luminance(rgb):
    return float(np.array([0.2126, 0.7152, 0.0722]) @ linear("#" + "".join(f"{v:02x}" for v in rgb)))


def contrast(foreground, background):
    lighter, darker = sorted((relative_luminance(foreground) + 0.05, relative_luminance(background) + 0.05))[::-1]
    return lighter / darker


@pytest.mark.browser
def test_legend_popup_and_control_text_has_contrast_of_at_least_4_5(tmp_path, offline_page):
    from borderrisk.render.mapping import BorderRiskMap

    path = BorderRiskMap.default().save(tmp_path / "map.html")
    offline_page.open(path)
    offline_page.evaluate(
        "() => { const g = borderrisk.debug.layer('Events'); const m = g.getLayers()[0];"
        " g.fire('click', {latlng: m.getLatLng(), layer: m}); }"
    )
    samples = offline_page.evaluate(
        """() => {
            const rgb = text => text.match(/[\\d.]+/g).map(Number);
            const background = node => {  // the first opaque-enough background, blended over white
                let colour = [255, 255, 255];
                const layers = [];
                for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
                    const c = rgb(getComputedStyle(n).backgroundColor);
                    if ((c[3] ?? 1) > 0) layers.push(c);
                    if ((c[3] ?? 1) === 1) break;
                }
                for (const c of layers.reverse()) {
                    const a = c[3] ?? 1;
                    colour = colour.map((v, i) => Math.round(c[i] * a + v * (1 - a)));
                }
                return colour;
            };
            const selector = ".br-legend *, .br-title *, .br-footer, .br-time *, .leaflet-popup-content *";
            return [...document.querySelectorAll(selector)]
                .filter(n => [...n.childNodes].some(c => c.nodeType === 3 && c.textContent.trim()))
                .map(n => [n.className || n.tagName, rgb(getComputedStyle(n).color).slice(0, 3), background(n)]);
        }"""
    )
    assert len(samples) > 20
    low = [(name, fg, bg, round(contrast(fg, bg), 2)) for name, fg, bg in samples if contrast(fg, bg) < 4.5]
    assert low == []

#!/usr/bin/env python3
"""Generate the demo seed catalogue's pictures.

Products: public/img/p/{sku}.svg shows what the product is. Each picture is composed from
Microsoft's Fluent Emoji Flat (MIT licence; npm package @iconify-json/fluent-emoji-flat,
installed by `npm install` at the repository root) following the reviewed table
product_images.csv next to this script, one row per SKU:

    icon            the emoji that shows the product (red-apple, tangerine, glass-of-milk, ...)
    count           1, 2 or 3 copies of it (a pack, a bunch, a case)
    badge           optional small second emoji in a round sticker that tells apart products
                    of the same kind (pork / beef / lamb on a cut of meat, stage 1 / stage 3)
    recolour        optional named palette from RECOLOUR below (green grapes, golden oil, ...)
    badge_recolour  the same for the badge

on a soft background tinted per category. Every SVG carries a <title> with the Chinese
name, a licence comment and marker comments `<!-- icon: fluent-emoji-flat:NAME -->`
(`<!-- badge: ... -->`) that test_product_images.py checks.

Categories: public/img/c/{slug}.svg, flat hand-drawn shapes (unchanged).

Deterministic and idempotent: the output depends only on the CSVs and the pinned icon set,
and files whose content is unchanged are not rewritten.

Usage:
    python3 app/src/ssr/seed/gen_product_images.py            # write/refresh images
    python3 app/src/ssr/seed/gen_product_images.py --prune    # also delete stale SVGs
    python3 app/src/ssr/seed/gen_product_images.py --check    # exit 1 if anything is out of date

Stdlib only (Python 3.11+).
"""

from __future__ import annotations

import argparse
import colorsys
import csv
import html
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]  # app/src/ssr/seed/ → repository root
SEED = ROOT / "app" / "src" / "ssr" / "seed"
OUT_P = ROOT / "public" / "img" / "p"
OUT_C = ROOT / "public" / "img" / "c"
MAPPING = SEED / "product_images.csv"
ICON_PKG = ROOT / "node_modules" / "@iconify-json" / "fluent-emoji-flat"
PREFIX = "fluent-emoji-flat"
LICENCE_FILE = OUT_P / "LICENSE-fluent-emoji.txt"

CREDIT = (
    "Fluent Emoji Flat, Copyright (c) Microsoft Corporation, MIT License "
    "https://github.com/microsoft/fluentui-emoji (npm @iconify-json/fluent-emoji-flat); "
    "composed and recoloured for Cloud Store"
)

MIT_TEXT = """\
Product pictures in this folder are composed from Fluent Emoji Flat
(https://github.com/microsoft/fluentui-emoji, via the npm package
@iconify-json/fluent-emoji-flat), some recoloured, by
app/src/ssr/seed/gen_product_images.py.

MIT License

Copyright (c) Microsoft Corporation.

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""

# --- product pictures from Fluent Emoji Flat --------------------------------------------

# Named palettes: {colour in the icon: colour to draw}. Used where the emoji of the kind
# exists but in the wrong colour (Shine Muscat grapes are green, a croaker is yellow, oil
# is golden) or where no emoji exists and a close shape in the right colour reads as the
# product (a pink peach-shaped pitaya, a white cube of tofu, white falafel-like tangyuan).
RECOLOUR: dict[str, dict[str, str]] = {
    # fruit
    "green-grapes": {"#321b41": "#5d8a1c", "#533566": "#8fc23f", "#433b6b": "#76aa2c",
                     "#6b438b": "#a9d65a"},
    "pitaya": {"#ff822d": "#e8398c", "#ff6723": "#c21f68"},
    "durian": {"#f3ad61": "#b9b24a", "#e19747": "#7a7a2a", "#86d72f": "none"},  # no crown
    # vegetables
    "scallion": {"#f3ad61": "#eef5dc", "#e19747": "#8cc46a", "#d3883e": "#c9b99a"},
    "lettuce": {"#008463": "#62b23c", "#86d72f": "#bde66f", "#c3ef3c": "#eaf8c0"},
    "spinach": {"#008463": "#0b5a37", "#86d72f": "#2e8b3a", "#c3ef3c": "#86c766"},
    "napa": {"#008463": "#a9d47e", "#86d72f": "#f1f5cf", "#c3ef3c": "#ffffff"},
    "enoki": {"#a74d4d": "#efe3c2", "#f08e6d": "#fff8e8", "#ffbfb5": "#f7f0da"},
    "tofu": {"#00a6ed": "#f1e7cc", "#0074ba": "#ddcfa9", "#83cbff": "#fffaee"},
    # meat, fish, eggs
    "chicken-breast": {"#fbb8ab": "#ffe3d8", "#f8312f": "#f6a48f"},
    "croaker": {"#00a6ed": "#f2b705", "#0074ba": "#c98a00"},
    "duck-egg": {"#f3ad61": "#cfe9e1"},
    "quail-egg": {"#f3ad61": "#eddcbf"},
    "century-egg": {"#f3ad61": "#4d3d2a"},
    # dairy
    "milk-box": {"#86d72f": "#cfe5f8", "#c3ef3c": "#ffffff", "#d3f093": "#eef5fb",
                 "#008463": "#ffffff", "#f8312f": "#2f7fd8", "#990838": "#1d4f8a"},
    "cream-box": {"#86d72f": "#f3e6c4", "#c3ef3c": "#fffaf0", "#d3f093": "#fbf3df",
                  "#008463": "#fffaf0", "#f8312f": "#e3a92e", "#990838": "#a8741a"},
    "orange-juice": {"#86d72f": "#f07c0c", "#c3ef3c": "#ffa12a", "#d3f093": "#ffc773",
                     "#008463": "#2e7d32", "#f8312f": "#fff1c2", "#990838": "#c25400"},
    "yogurt": {"#aeddff": "#fbf7ee", "#9b9b9b": "#4f9ee3", "#bebebe": "#3f86cc"},
    "yogurt-bowl": {"#0074ba": "#fbf7ee", "#26eafc": "#cfe8f7", "#00a6ed": "#5aa9e6"},
    "soy-milk": {"#f3eef8": "#f1dfb8"},
    "cream-jar": {"#aeddff": "#f1e9db", "#9b9b9b": "#f29cc4", "#bebebe": "#de77a8"},
    # bakery, frozen
    "cream-puff": {"#6d4534": "#e7b25f", "#402a32": "#d49a45", "#212121": "#bd8235",
                   "#c3ef3c": "#fff6dc"},
    "basque": {"#e19747": "#5c3416", "#f8312f": "#7a4621", "#86d72f": "#7a4621",
               "#ffdea7": "#f8e6b4"},
    "tangyuan": {"#6d4534": "#eee8da", "#402a32": "#ddd5c3", "#212121": "#c9bfaa",
                 "#c3ef3c": "#2b2b2b"},
    "steamed": {"#ffce7c": "#f8efdc", "#ffdea7": "#fffcf4", "#f3ad61": "#e3cfac"},
    "har-gow": {"#ffce7c": "#f6e9e3", "#ffdea7": "#fff8f5", "#f3ad61": "#f2b3a1"},
    "mung-ice": {"#ff6dc6": "#8fcf6a", "#fbb8ab": "#c9eaa9", "#ffdea7": "#e9f6d8"},
    # rice, flour and oil
    "oil": {"#26c9fc": "#f2b400"},
    "soy-sauce": {"#26c9fc": "#5a2a12"},
    "vinegar": {"#26c9fc": "#2e1c14"},
    "millet": {"#f4f4f4": "#f7d04a", "#bebebe": "#d8a51c"},
    "mung": {"#9d5044": "#4f9a3a", "#e39d89": "#9dd67c"},
    "oats": {"#0074ba": "#e9d19e", "#26eafc": "#f6e7c6", "#00a6ed": "#c68d4b"},
    "sugar": {"#00a6ed": "#f0f0f0", "#0074ba": "#d6d6d6", "#83cbff": "#ffffff"},
    "rapeseed": {"#d3d3d3": "#ffd83a", "#ffb02e": "#f29d00"},
    # snacks
    "jerky": {"#fbb8ab": "#a84a32", "#f8312f": "#7e2416", "#f4f4f4": "#c26a3c"},
    "latiao": {"#ca0b4a": "#e0401c", "#fbb8ab": "#f28a4d", "#ff8687": "#f28a4d",
               "#f4f4f4": "#f6a262"},
    "pork-jerky": {"#ca0b4a": "#9b2e14", "#fbb8ab": "#c8562c", "#ff8687": "#c8562c",
                   "#f4f4f4": "#d97a3e"},
    "pistachio": {"#f3ad61": "#eadab3", "#d3883e": "#8fbf4a"},
    "cracker": {"#d3883e": "#e5c184", "#b97028": "#cfa162", "#f3c07b": "#f5dba8",
                "#f9c23c": "#f5dba8", "#fcd53f": "#f5dba8"},
    "hawthorn": {"#fbb8ab": "#d7263d", "#ffdea7": "#e33b4b", "#00f397": "#c41a32"},
    # drinks
    "plum-drink": {"#d3883e": "#6e1b1b"},
    "huangjiu": {"#cdc4d6": "#a0612f", "#b4acbc": "#824a22", "#0084ce": "#d8452a"},
    # household and personal care: one bottle, many colours
    "dish-liquid": {"#fbb8ab": "#ffe066", "#f8312f": "#3fae49", "#ff8687": "#5cc264"},
    "laundry": {"#fbb8ab": "#86bdf2", "#f8312f": "#2d6fd1", "#ff8687": "#4b8ee6"},
    "bleach": {"#fbb8ab": "#d5e5ea", "#f8312f": "#2f9e5b", "#ff8687": "#4bb878"},
    "degreaser": {"#fbb8ab": "#ffb46e", "#f8312f": "#e0570c", "#ff8687": "#f2802e"},
    "shampoo": {"#fbb8ab": "#c8a8ef", "#f8312f": "#7a4cc2", "#ff8687": "#9a6bd8"},
    "conditioner": {"#fbb8ab": "#f8c7dd", "#f8312f": "#d5457f", "#ff8687": "#e56c9e"},
    "body-wash": {"#fbb8ab": "#9fe0d2", "#f8312f": "#27998b", "#ff8687": "#3db6a6"},
    "mouthwash": {"#fbb8ab": "#8bdcf0", "#f8312f": "#128aa8", "#ff8687": "#2aa6c4"},
    "hand-soap": {"#fbb8ab": "#ffd79f", "#f8312f": "#ee8a22", "#ff8687": "#f4a24a"},
    "cleanser": {"#fbb8ab": "#dde6f1", "#f8312f": "#68a6de", "#ff8687": "#8abbe8"},
    "sunscreen": {"#fbb8ab": "#ffd95a", "#f8312f": "#ff8a17", "#ff8687": "#ffa84b"},
    "baby-wash": {"#fbb8ab": "#c2e6ff", "#f8312f": "#58a7e6", "#ff8687": "#7dc0f0"},
    "bottle-cleanser": {"#fbb8ab": "#d8f4d0", "#f8312f": "#56b257", "#ff8687": "#79ca6b"},
    "pods": {"#ff6dc6": "#3f8ee0", "#ffb2ff": "#a6cdff"},
    "cling-film": {"#f4f4f4": "#e4f4ff", "#d3d3d3": "#bfe2f7", "#9b9b9b": "#9bc8e6"},
    "zip-bag": {"#fbb8ab": "#e2f3fc", "#f99ea3": "#bde0f6", "#f9c23c": "#3b8fd9"},
    "wipes": {"#f3eef8": "#eaf5fd", "#cdc4d6": "#d6ecf8", "#b4acbc": "#bcdcef",
              "#998ea4": "#ffffff"},
    # baby
    "diaper": {"#00a6ed": "#d9ebfa", "#26eafc": "#62b6ec"},
    "pull-up": {"#00a6ed": "#ffe6a3", "#26eafc": "#f2a93b"},
    "baby-cereal": {"#0074ba": "#fff3d6", "#26eafc": "#ffd3de", "#00a6ed": "#f38fb2"},
    "yogurt-melts": {"#533566": "#e2a978", "#6b438b": "#f1c9a4", "#8d65c5": "#fae3cc",
                     "#aa7de5": "#eebf95", "#bca4eb": "#fff7ee"},
}

# Category backgrounds: a soft tint per aisle (the same as the category pictures).
BACKGROUND = {
    "fruit": "#fff1e6", "vegetables": "#eef7e4", "meat-seafood": "#e8f1f8",
    "dairy": "#eef4fb", "bakery": "#fbf1e1", "frozen": "#e5f4f8", "grain-oil": "#f8f3e0",
    "snacks": "#fdeeee", "drinks": "#e6f5f1", "household": "#ecf0fa",
    "personal-care": "#f6ecf6", "baby": "#fdf0f3",
}

# Where the copies of the main icon go: (x, y, size) in the 120×120 picture, back first.
LAYOUT = {
    1: [(16, 14, 88)],
    2: [(8, 10, 66), (44, 40, 66)],
    3: [(30, 6, 60), (4, 50, 60), (56, 50, 60)],
}
BADGE = (92, 92, 24)  # sticker centre x, y and radius, bottom right


class IconSet:
    """The icons.json of an iconify JSON package: name → (body, width, height)."""

    def __init__(self, pkg: Path):
        path = pkg / "icons.json"
        if not path.exists():
            sys.exit(f"{path} is missing: run `npm install` at the repository root")
        data = json.loads(path.read_text(encoding="utf-8"))
        self.width = data.get("width", 16)
        self.height = data.get("height", 16)
        self.icons = data["icons"]
        self.version = json.loads((pkg / "package.json").read_text(encoding="utf-8"))["version"]

    def __contains__(self, name: str) -> bool:
        return name in self.icons

    def get(self, name: str) -> tuple[str, int, int]:
        icon = self.icons[name]
        return icon["body"], icon.get("width", self.width), icon.get("height", self.height)


def recolour(body: str, palette: str) -> str:
    if not palette:
        return body
    table = {k.lower(): v for k, v in RECOLOUR[palette].items()}
    return re.sub(r'(fill|stroke)="(#[0-9a-fA-F]{3,8})"',
                  lambda m: f'{m[1]}="{table.get(m[2].lower(), m[2])}"', body)


def scoped(body: str, scope: str) -> str:
    """Prefix the icon's own ids so a main icon and a badge never collide."""
    ids = re.findall(r'\bid="([^"]+)"', body)
    for i in ids:
        body = (body.replace(f'id="{i}"', f'id="{scope}{i}"')
                    .replace(f'href="#{i}"', f'href="#{scope}{i}"')
                    .replace(f"url(#{i})", f"url(#{scope}{i})"))
    return body


def fmt(n: float) -> str:
    return f"{n:.4f}".rstrip("0").rstrip(".")


def placed(x: float, y: float, size: float, w: int, h: int) -> str:
    scale = size / max(w, h)
    dx, dy = x + (size - w * scale) / 2, y + (size - h * scale) / 2
    return f'transform="translate({fmt(dx)} {fmt(dy)}) scale({fmt(scale)})"'


def product_svg(icons: IconSet, product: dict[str, str], row: dict[str, str]) -> str:
    icon, badge = row["icon"], row["badge"]
    count = int(row["count"] or 1)
    body, w, h = icons.get(icon)
    body = scoped(recolour(body, row["recolour"]), "m")
    bg = BACKGROUND.get(product["category"], "#f1f1f1")
    head = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" width="120" '
        'height="120" role="img">',
        f"<title>{html.escape(product['name_zh'])}</title>",
        f"<!-- {CREDIT} -->",
        f"<!-- icon: {PREFIX}:{icon} -->",
    ]
    if row["recolour"]:
        head.append(f"<!-- recolour: {row['recolour']} -->")
    if badge:
        head.append(f"<!-- badge: {PREFIX}:{badge} -->")
    out = [f'<rect width="120" height="120" rx="16" fill="{bg}"/>'
           '<circle cx="60" cy="60" r="50" fill="#fff" opacity=".6"/>'
           '<ellipse cx="60" cy="108" rx="34" ry="4" fill="#000" opacity=".06"/>']
    spots = LAYOUT[count]
    if count == 1:
        x, y, s = spots[0]
        out.append(f"<g {placed(x, y, s, w, h)}>{body}</g>")
    else:
        out.append(f'<defs><g id="i">{body}</g></defs>')
        out += [f'<use href="#i" {placed(x, y, s, w, h)}/>' for x, y, s in spots]
    if badge:
        bbody, bw, bh = icons.get(badge)
        bbody = scoped(recolour(bbody, row["badge_recolour"]), "b")
        cx, cy, r = BADGE
        out.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="#fff" stroke="{bg}" '
                   f'stroke-width="2"/>')
        s = r * 1.4
        out.append(f"<g {placed(cx - s / 2, cy - s / 2, s, bw, bh)}>{bbody}</g>")
    return "\n".join(head) + "\n" + "".join(out) + "</svg>\n"


def read_mapping() -> dict[str, dict[str, str]]:
    rows = read_csv(MAPPING)
    out: dict[str, dict[str, str]] = {}
    for r in rows:
        if r["sku"] in out:
            sys.exit(f"{MAPPING.name}: {r['sku']} twice")
        out[r["sku"]] = r
    return out

# --- category pictures: flat drawn shapes (unchanged) ---------------------------------

SIZE = 120


def hexcol(h: float, s: float, l: float) -> str:
    """HSL (h in degrees, s/l in 0..1) to #rrggbb."""
    r, g, b = colorsys.hls_to_rgb((h % 360) / 360.0, max(0.0, min(1.0, l)), max(0.0, min(1.0, s)))
    return "#%02x%02x%02x" % (round(r * 255), round(g * 255), round(b * 255))


class Palette:
    """Colours for one image: main colour M plus darker/lighter variants."""

    def __init__(self, hue: float, sat: float, light: float):
        self.h = hue % 360
        self.m = hexcol(hue, sat, light)  # main
        self.d = hexcol(hue, sat, light - 0.17)  # dark
        self.l = hexcol(hue, sat, light + 0.22)  # light
        self.t = hexcol(hue, 0.55, 0.93)  # tint for the backdrop disc


# --- shapes -----------------------------------------------------------------
# Each function returns the SVG body (without background) for palette p.

LEAF = "#5faa55"
STEM = "#7a5a36"


def fruit(p: Palette) -> str:
    return (
        f'<circle cx="60" cy="68" r="30" fill="{p.m}"/>'
        f'<path d="M60 40q1-10 7-15" stroke="{STEM}" stroke-width="3" fill="none" stroke-linecap="round"/>'
        f'<path d="M63 34q12-13 25-5q-12 11-25 5z" fill="{LEAF}"/>'
        f'<ellipse cx="48" cy="58" rx="7" ry="10" fill="#fff" opacity=".35"/>'
    )


def vegetables(p: Palette) -> str:
    return (
        f'<path d="M60 102C33 88 30 46 60 20C90 46 87 88 60 102z" fill="{p.m}"/>'
        f'<path d="M60 100V32M60 72l-14-10M60 58l12-10M60 86l13-10" stroke="{p.l}" '
        f'stroke-width="3" fill="none" stroke-linecap="round"/>'
    )


def meat_seafood(p: Palette) -> str:
    return (
        f'<path d="M84 62l20-16v32z" fill="{p.d}"/>'
        f'<ellipse cx="55" cy="62" rx="34" ry="19" fill="{p.m}"/>'
        f'<path d="M48 44q10-10 20 0z" fill="{p.d}"/>'
        f'<path d="M62 52q6 10 0 20" stroke="{p.l}" stroke-width="3" fill="none" stroke-linecap="round"/>'
        f'<circle cx="36" cy="58" r="4" fill="#fff"/><circle cx="35" cy="58" r="2" fill="#333"/>'
    )


def dairy(p: Palette) -> str:
    return (
        f'<rect x="46" y="18" width="28" height="8" rx="2" fill="{p.d}"/>'
        f'<path d="M38 44l8-18h28l8 18z" fill="{p.l}"/>'
        f'<rect x="38" y="44" width="44" height="58" rx="3" fill="#fdfcf7"/>'
        f'<rect x="38" y="62" width="44" height="22" fill="{p.m}"/>'
        f'<path d="M60 66q7 8 0 14q-7-6 0-14z" fill="#fff"/>'
    )


def bakery(p: Palette) -> str:
    return (
        f'<path d="M22 86V64c0-19 17-30 38-30s38 11 38 30v22a6 6 0 0 1-6 6H28a6 6 0 0 1-6-6z" fill="{p.m}"/>'
        f'<path d="M40 50l7 13M56 46l7 13M72 50l7 13" stroke="{p.d}" stroke-width="4" '
        f'fill="none" stroke-linecap="round"/>'
        f'<path d="M30 78h60" stroke="{p.l}" stroke-width="3" stroke-linecap="round" opacity=".6"/>'
    )


def frozen(p: Palette) -> str:
    return (
        f'<rect x="28" y="36" width="64" height="62" rx="6" fill="{p.m}"/>'
        f'<rect x="24" y="28" width="72" height="14" rx="4" fill="{p.d}"/>'
        f'<path d="M60 52v36M44.4 61l31.2 18M44.4 79l31.2-18" stroke="#fff" stroke-width="3.5" '
        f'stroke-linecap="round"/>'
    )


def grain_oil(p: Palette) -> str:
    return (
        f'<path d="M34 44Q29 72 34 100h52q5-28 0-56z" fill="{p.m}"/>'
        f'<path d="M36 44l8-18h32l8 18z" fill="{p.l}"/>'
        f'<rect x="40" y="40" width="40" height="7" rx="3" fill="{p.d}"/>'
        f'<ellipse cx="60" cy="72" rx="6" ry="10" fill="#fff" opacity=".8"/>'
        f'<ellipse cx="48" cy="76" rx="4" ry="7" fill="#fff" opacity=".6" transform="rotate(-25 48 76)"/>'
        f'<ellipse cx="72" cy="76" rx="4" ry="7" fill="#fff" opacity=".6" transform="rotate(25 72 76)"/>'
    )


def _zig(y: int, up: bool) -> str:
    dy = -4 if up else 4
    pts = []
    for i, x in enumerate(range(32, 89, 7)):
        pts.append(f"{x} {y + (dy if i % 2 else 0)}")
    return "L".join(pts)


def snacks(p: Palette) -> str:
    top = _zig(26, True)
    bot = _zig(98, False)
    # bottom edge is traversed right-to-left
    bot_rev = "L".join(reversed(bot.split("L")))
    return (
        f'<path d="M{top}L86 62L{bot_rev}L34 62z" fill="{p.m}"/>'
        f'<circle cx="60" cy="64" r="17" fill="#fff" opacity=".9"/>'
        f'<ellipse cx="60" cy="64" rx="11" ry="8" fill="#f2c14e" transform="rotate(-20 60 64)"/>'
        f'<path d="M38 36h44" stroke="{p.d}" stroke-width="4" stroke-linecap="round"/>'
    )


def drinks(p: Palette) -> str:
    return (
        f'<rect x="52" y="14" width="16" height="11" rx="2" fill="{p.d}"/>'
        f'<path d="M54 25h12v8l8 10v53a6 6 0 0 1-6 6H52a6 6 0 0 1-6-6V43l8-10z" fill="{p.l}"/>'
        f'<rect x="46" y="58" width="28" height="24" fill="{p.m}"/>'
        f'<path d="M52 46v8" stroke="#fff" stroke-width="3" stroke-linecap="round" opacity=".7"/>'
    )


def household(p: Palette) -> str:
    return (
        f'<path d="M44 24h30l8 9H68v9H52v-9H44z" fill="{p.d}"/>'
        f'<path d="M82 29h8" stroke="{p.d}" stroke-width="4" stroke-linecap="round"/>'
        f'<path d="M56 42q-4 8-10 10" stroke="{p.d}" stroke-width="4" fill="none" stroke-linecap="round"/>'
        f'<rect x="50" y="42" width="20" height="9" fill="{p.l}"/>'
        f'<rect x="40" y="51" width="40" height="51" rx="7" fill="{p.m}"/>'
        f'<rect x="47" y="64" width="26" height="22" rx="3" fill="#fff" opacity=".85"/>'
    )


def personal_care(p: Palette) -> str:
    return (
        f'<path d="M48 18h26v7H48zM74 19h11v4H74z" fill="{p.d}"/>'
        f'<rect x="57" y="25" width="6" height="14" fill="{p.d}"/>'
        f'<rect x="50" y="38" width="20" height="9" rx="2" fill="{p.l}"/>'
        f'<rect x="38" y="46" width="44" height="56" rx="11" fill="{p.m}"/>'
        f'<ellipse cx="60" cy="74" rx="13" ry="15" fill="#fff" opacity=".85"/>'
    )


def baby(p: Palette) -> str:
    return (
        f'<path d="M52 32q8-20 16 0z" fill="#f4d3a6"/>'
        f'<rect x="45" y="31" width="30" height="11" rx="3" fill="{p.m}"/>'
        f'<rect x="47" y="42" width="26" height="58" rx="9" fill="#fff" stroke="{p.m}" stroke-width="3"/>'
        f'<path d="M49 66h22v25a7 7 0 0 1-7 7h-8a7 7 0 0 1-7-7z" fill="{p.l}"/>'
        f'<path d="M47 54h8M47 66h8M47 78h8" stroke="{p.d}" stroke-width="2"/>'
    )


# slug -> (background, hue range (lo, hi), saturation, lightness, shape)
STYLES = {
    "fruit": ("#fff1e6", (345, 70), 0.68, 0.55, fruit),
    "vegetables": ("#eef7e4", (80, 150), 0.5, 0.45, vegetables),
    "meat-seafood": ("#e8f1f8", (180, 240), 0.45, 0.55, meat_seafood),
    "dairy": ("#eef4fb", (190, 250), 0.55, 0.6, dairy),
    "bakery": ("#fbf1e1", (22, 42), 0.65, 0.55, bakery),
    "frozen": ("#e5f4f8", (180, 230), 0.55, 0.58, frozen),
    "grain-oil": ("#f8f3e0", (35, 60), 0.5, 0.6, grain_oil),
    "snacks": ("#fdeeee", (330, 40), 0.7, 0.56, snacks),
    "drinks": ("#e6f5f1", (150, 210), 0.55, 0.5, drinks),
    "household": ("#ecf0fa", (200, 270), 0.5, 0.56, household),
    "personal-care": ("#f6ecf6", (270, 340), 0.45, 0.62, personal_care),
    "baby": ("#fdf0f3", (320, 370), 0.6, 0.72, baby),
}
FALLBACK = ("#f1f1f1", (0, 360), 0.5, 0.55, fruit)


def hue_in(rng: tuple[int, int], frac: float) -> float:
    lo, hi = rng
    if hi < lo:  # wraps through 0
        hi += 360
    return (lo + (hi - lo) * frac) % 360


def render(style, frac: float, ldelta: float, label: str) -> str:
    bg, rng, sat, light, shape = style
    p = Palette(hue_in(rng, frac), sat, light + ldelta)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" '
        f'height="{SIZE}" role="img" aria-label="{html.escape(label, quote=True)}">'
        f'<rect width="{SIZE}" height="{SIZE}" rx="16" fill="{bg}"/>'
        f'<circle cx="60" cy="62" r="46" fill="{p.t}"/>'
        f'<ellipse cx="60" cy="104" rx="30" ry="4" fill="#000" opacity=".07"/>'
        f"{shape(p)}</svg>\n"
    )


def category_svg(slug: str, name_en: str) -> str:
    return render(STYLES.get(slug, FALLBACK), 0.5, 0.0, name_en)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def wanted_files() -> dict[Path, str]:
    """Every file this script owns, with its content."""
    icons = IconSet(ICON_PKG)
    mapping = read_mapping()
    wanted: dict[Path, str] = {}
    for row in read_csv(SEED / "categories.csv"):
        wanted[OUT_C / f"{row['slug']}.svg"] = category_svg(row["slug"], row["name_en"])
    problems = []
    for p in read_csv(SEED / "products.csv"):
        row = mapping.get(p["sku"])
        if row is None:
            problems.append(f"{p['sku']} {p['name_zh']}: no row in {MAPPING.name}")
            continue
        for col in ("icon", "badge"):
            if row[col] and row[col] not in icons:
                problems.append(f"{p['sku']}: {col} {row[col]!r} is not in {PREFIX}")
        for col in ("recolour", "badge_recolour"):
            if row[col] and row[col] not in RECOLOUR:
                problems.append(f"{p['sku']}: {col} {row[col]!r} is not a palette")
        if (row["count"] or "1") not in ("1", "2", "3"):
            problems.append(f"{p['sku']}: count must be 1, 2 or 3")
        if not problems:
            wanted[OUT_P / f"{p['sku']}.svg"] = product_svg(icons, p, row)
    if problems:
        sys.exit("\n".join(problems))
    wanted[LICENCE_FILE] = MIT_TEXT
    return wanted


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prune", action="store_true", help="delete SVGs that no longer match a row")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if out of date")
    args = ap.parse_args()

    wanted = wanted_files()
    changed = 0
    for path in sorted(wanted):
        data = wanted[path].encode("utf-8")
        if path.exists() and path.read_bytes() == data:
            continue
        changed += 1
        if args.check:
            print(f"out of date: {path.relative_to(ROOT)}")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

    stale = sorted(
        f for d in (OUT_P, OUT_C) if d.is_dir() for f in d.glob("*.svg") if f not in wanted
    )
    if args.prune and not args.check:
        for f in stale:
            f.unlink()

    verb = "out of date" if args.check else "written"
    print(f"{len(wanted)} files, {changed} {verb}, {len(stale)} stale"
          f"{' (removed)' if args.prune and not args.check and stale else ''}")
    if args.check and (changed or stale):
        print("run `make images` to regenerate them")
    return 1 if args.check and (changed or stale) else 0


if __name__ == "__main__":
    sys.exit(main())

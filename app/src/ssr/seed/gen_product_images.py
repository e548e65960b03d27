#!/usr/bin/env python3
"""Generate flat placeholder illustrations for the demo seed catalogue.

Reads app/src/ssr/seed/categories.csv and app/src/ssr/seed/products.csv and
writes one SVG per category to public/img/c/{slug}.svg and one per product to
public/img/p/{sku}.svg.

Every image is a 120x120 flat illustration: a soft background colour per
category, a simple drawn shape per category (fruit, leaf, fish, carton, ...)
and a per-product hue derived deterministically from the SKU, so that products
in the same category look related but distinct. No <text>, no scripts, no
external references.

Deterministic and idempotent: the output depends only on the CSV contents, and
files whose content is unchanged are not rewritten.

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
import hashlib
import html
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]  # app/src/ssr/seed/ → repository root
SEED = ROOT / "app" / "src" / "ssr" / "seed"
OUT_P = ROOT / "public" / "img" / "p"
OUT_C = ROOT / "public" / "img" / "c"

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


def product_svg(sku: str, category: str, name_en: str) -> str:
    digest = hashlib.sha256(sku.encode("utf-8")).digest()
    frac = int.from_bytes(digest[:2], "big") / 65535.0
    ldelta = (digest[2] / 255.0 - 0.5) * 0.12  # +-0.06 lightness
    return render(STYLES.get(category, FALLBACK), frac, ldelta, name_en)


def category_svg(slug: str, name_en: str) -> str:
    return render(STYLES.get(slug, FALLBACK), 0.5, 0.0, name_en)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prune", action="store_true", help="delete SVGs that no longer match a row")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if out of date")
    args = ap.parse_args()

    wanted: dict[Path, str] = {}
    for row in read_csv(SEED / "categories.csv"):
        wanted[OUT_C / f"{row['slug']}.svg"] = category_svg(row["slug"], row["name_en"])
    for row in read_csv(SEED / "products.csv"):
        wanted[OUT_P / f"{row['sku']}.svg"] = product_svg(row["sku"], row["category"], row["name_en"])

    changed = 0
    for path in sorted(wanted):
        data = wanted[path].encode("utf-8")
        if path.exists() and path.read_bytes() == data:
            continue
        changed += 1
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

    stale = sorted(
        f for d in (OUT_P, OUT_C) if d.is_dir() for f in d.glob("*.svg") if f not in wanted
    )
    if args.prune and not args.check:
        for f in stale:
            f.unlink()

    verb = "out of date" if args.check else "written"
    print(f"{len(wanted)} images, {changed} {verb}, {len(stale)} stale"
          f"{' (removed)' if args.prune and not args.check and stale else ''}")
    return 1 if args.check and (changed or stale) else 0


if __name__ == "__main__":
    sys.exit(main())

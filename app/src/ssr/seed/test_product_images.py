#!/usr/bin/env python3
"""Check that every product picture shows the product (run by `make images-check` and `make lint`).

- every SKU in products.csv has one row in product_images.csv (same Chinese name) and an SVG;
- the row's icon and badge exist in Fluent Emoji Flat; the SVG says so in its marker comments
  and really embeds that icon's artwork (colours and ids aside: some are recoloured);
- the SVG has a viewBox, a <title> with the Chinese name, the licence credit, and stays small;
- names and pictures agree: an apple is drawn as an apple and only apples are, an orange as an
  orange, and so on (spot checks by name);
- no two products of one aisle get the same picture;
- the SVGs are what gen_product_images.py makes of the table (run `make images` after editing).

Stdlib only: python3 app/src/ssr/seed/test_product_images.py
"""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

SEED = Path(__file__).resolve().parent
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
spec = importlib.util.spec_from_file_location("gen_product_images", SEED / "gen_product_images.py")
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)

PREFIX = "fluent-emoji-flat"
MAX_BYTES = 10_000

# The pictures a shopper must see for the best-known products (brief of issue 11).
SPOT_CHECKS = {
    "烟台红富士苹果": "red-apple",
    "赣南脐橙": "tangerine",
    "海南香蕉": "banana",
    "丹东草莓": "strawberry",
    "麒麟西瓜": "watermelon",
    "阳光玫瑰青提": "grapes",
    "海南金钻凤梨": "pineapple",
    "番茄": "tomato",
    "胡萝卜": "carrot",
    "西兰花": "broccoli",
    "鲜活基围虾": "shrimp",
    "低温鲜牛奶": "glass-of-milk",
    "法式长棍": "baguette-bread",
    "经典可乐": "cup-with-straw",
}

# A name matching the pattern shows one of these icons (as the picture or its badge) ...
BY_NAME = [
    (r"苹果", {"red-apple", "green-apple"}),
    (r"香蕉", {"banana"}),
    (r"橙|橘", {"tangerine"}),
    (r"草莓", {"strawberry"}),
    (r"西瓜", {"watermelon"}),
    (r"葡萄|青提", {"grapes"}),
    (r"(?<!凤)梨", {"pear"}),
    (r"凤梨|菠萝", {"pineapple"}),
    (r"蓝莓", {"blueberries"}),
    (r"猕猴桃", {"kiwi-fruit"}),
    (r"黄瓜", {"cucumber"}),
    (r"土豆|薯", {"potato"}),
    (r"玉米", {"ear-of-corn"}),
    (r"虾", {"shrimp"}),
    (r"鱼", {"fish", "sushi"}),
    (r"蛋(?!糕|白)", {"egg", "nest-with-eggs"}),  # not cake, not protein
    (r"啤酒", {"beer-mug", "clinking-beer-mugs"}),
    (r"牙刷|牙膏", {"toothbrush"}),
]
# ... and these icons are only used for names matching the pattern: no orange-looking apple,
# no apple-looking orange.
ONLY_FOR = {
    "red-apple": r"苹果",
    "green-apple": r"苹果",
    "tangerine": r"橙|橘",
    "banana": r"香蕉",
    "strawberry": r"草莓",
    "watermelon": r"西瓜",
    "grapes": r"葡萄|青提",
    "pear": r"(?<!凤)梨",
}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def shape_only(svg: str) -> str:
    """Artwork without colours and ids, to find a (possibly recoloured) icon body."""
    svg = re.sub(r'(fill|stroke)="[^"]*"', "", svg)
    svg = re.sub(r'\s(id|href)="[^"]*"|url\(#[^)]*\)', "", svg)
    return re.sub(r"\s+", " ", svg)


class ProductPictures(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.products = read_csv(SEED / "products.csv")
        cls.rows = read_csv(gen.MAPPING)
        cls.mapping = {r["sku"]: r for r in cls.rows}
        cls.icons = gen.IconSet(gen.ICON_PKG)

    def svg(self, sku: str) -> str:
        return (gen.OUT_P / f"{sku}.svg").read_text(encoding="utf-8")

    def test_every_product_has_one_row(self):
        self.assertEqual(len(self.rows), len(self.mapping), "a SKU appears twice in the table")
        skus = {p["sku"] for p in self.products}
        self.assertEqual(sorted(skus - self.mapping.keys()), [], "products without a picture")
        self.assertEqual(sorted(self.mapping.keys() - skus), [], "rows for unknown SKUs")
        for p in self.products:
            self.assertEqual(self.mapping[p["sku"]]["name_zh"], p["name_zh"], p["sku"])

    def test_icons_exist_in_the_set(self):
        for r in self.rows:
            with self.subTest(sku=r["sku"]):
                self.assertIn(r["icon"], self.icons, "icon not in fluent-emoji-flat")
                if r["badge"]:
                    self.assertIn(r["badge"], self.icons, "badge not in fluent-emoji-flat")
                self.assertIn(r["count"] or "1", ("1", "2", "3"))

    def test_svgs_show_the_mapped_icon(self):
        for p in self.products:
            sku, r = p["sku"], self.mapping[p["sku"]]
            with self.subTest(sku=sku):
                path = gen.OUT_P / f"{sku}.svg"
                self.assertTrue(path.exists(), f"{path} missing")
                text = self.svg(sku)
                self.assertLess(len(text.encode()), MAX_BYTES, "picture too large")
                root = ET.fromstring(text)
                self.assertEqual(root.get("viewBox"), "0 0 120 120")
                title = root.find("{http://www.w3.org/2000/svg}title")
                self.assertIsNotNone(title)
                self.assertEqual(title.text, p["name_zh"])
                self.assertIn("Fluent Emoji Flat", text)
                self.assertIn("MIT License", text)
                markers = re.findall(r"<!-- icon: ([\w:-]+) -->", text)
                self.assertEqual(markers, [f"{PREFIX}:{r['icon']}"])
                badges = re.findall(r"<!-- badge: ([\w:-]+) -->", text)
                self.assertEqual(badges, [f"{PREFIX}:{r['badge']}"] if r["badge"] else [])
                art = shape_only(text)
                body, _, _ = self.icons.get(r["icon"])
                self.assertIn(shape_only(body), art, f"{r['icon']} artwork not embedded")
                if r["badge"]:
                    body, _, _ = self.icons.get(r["badge"])
                    self.assertIn(shape_only(body), art, f"{r['badge']} artwork not embedded")
                self.assertNotIn("<script", text)
                self.assertNotIn("<text", text)

    def test_spot_checks(self):
        by_name = {p["name_zh"]: p["sku"] for p in self.products}
        for name, icon in SPOT_CHECKS.items():
            with self.subTest(name=name):
                sku = by_name[name]
                self.assertEqual(self.mapping[sku]["icon"], icon)
                self.assertIn(f"<!-- icon: {PREFIX}:{icon} -->", self.svg(sku))

    def test_names_and_pictures_agree(self):
        for p in self.products:
            r = self.mapping[p["sku"]]
            shown = {r["icon"], r["badge"]} - {""}
            for pattern, icons in BY_NAME:
                if re.search(pattern, p["name_zh"]):
                    with self.subTest(sku=p["sku"], name=p["name_zh"], pattern=pattern):
                        self.assertTrue(shown & icons, f"{p['name_zh']} shows {shown}, not {icons}")
            for icon in shown:
                if icon in ONLY_FOR:
                    with self.subTest(sku=p["sku"], name=p["name_zh"], icon=icon):
                        self.assertRegex(p["name_zh"], ONLY_FOR[icon],
                                         f"{p['name_zh']} is drawn as {icon}")

    def test_an_aisle_has_no_two_same_pictures(self):
        seen: dict[tuple, str] = {}
        for p in self.products:
            r = self.mapping[p["sku"]]
            key = (p["category"], r["icon"], r["count"], r["badge"], r["recolour"],
                   r["badge_recolour"])
            with self.subTest(sku=p["sku"]):
                self.assertFalse(key in seen, f"{p['sku']} looks like {seen.get(key)}")
            seen[key] = p["sku"]

    def test_generated_files_are_up_to_date(self):
        stale = [str(path.relative_to(gen.ROOT)) for path, content in gen.wanted_files().items()
                 if not path.exists() or path.read_text(encoding="utf-8") != content]
        self.assertEqual(stale, [], "run `make images`")


if __name__ == "__main__":
    result = unittest.main(argv=[sys.argv[0], *sys.argv[1:]], exit=False, verbosity=1).result
    sys.exit(0 if result.wasSuccessful() else 1)

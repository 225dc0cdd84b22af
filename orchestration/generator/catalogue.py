"""The product catalogue (~500 products in 10 categories) and persona-specific interest in it.

Prices are list prices in the shop's reporting currency (USD), in cents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import personas
from .sampling import categorical

PRODUCTS_PER_CATEGORY = 50
VIDEO_SHARE = 0.35
# category: (median price USD, price spread, eco share, brands, nouns, search queries)
CATEGORIES: dict[str, tuple] = {
    "electronics": (
        140,
        0.9,
        0.08,
        ("Voltix", "Lumen Labs", "Auralis", "Kinetiq", "Novacore"),
        (
            "Wireless Earbuds",
            "Smart Speaker",
            "Headphones",
            "Fitness Tracker",
            "Power Bank",
            "Monitor",
            "Keyboard",
            "Action Camera",
            "E-Reader",
            "Smartwatch",
        ),
        ("wireless earbuds", "smartwatch", "usb c charger", "noise cancelling"),
    ),
    "fashion": (
        55,
        0.7,
        0.25,
        ("Northwind", "Maison Clé", "Urbanite", "Fjell & Co"),
        (
            "Denim Jacket",
            "Wool Sweater",
            "Linen Shirt",
            "Trench Coat",
            "Chinos",
            "Summer Dress",
            "Hoodie",
            "Puffer Jacket",
        ),
        ("winter jacket", "linen shirt", "wool sweater", "dress"),
    ),
    "footwear": (
        85,
        0.5,
        0.18,
        ("Stridewell", "Pace", "Terrafoot"),
        ("Running Shoes", "Leather Boots", "Sneakers", "Sandals", "Trail Shoes"),
        ("running shoes", "boots", "white sneakers"),
    ),
    "home_kitchen": (
        45,
        0.8,
        0.30,
        ("Hearth", "Kova", "Casa Nova", "Brightside"),
        (
            "Chef Knife",
            "Cast Iron Pan",
            "Coffee Grinder",
            "Storage Jars",
            "Bed Linen Set",
            "Table Lamp",
            "Blender",
        ),
        ("coffee grinder", "frying pan", "bed linen"),
    ),
    "beauty": (
        28,
        0.6,
        0.30,
        ("Lumière", "Botanica", "Skinwise"),
        ("Face Serum", "Shampoo Bar", "Moisturiser", "Lip Balm", "Perfume", "Sunscreen"),
        ("face serum", "vegan shampoo", "sunscreen spf 50"),
    ),
    "sports_outdoors": (
        60,
        0.8,
        0.20,
        ("Summit", "Ridgeline", "Aquaflow"),
        ("Yoga Mat", "Tent", "Water Bottle", "Backpack", "Dumbbells", "Cycling Helmet"),
        ("yoga mat", "hiking backpack", "tent 2 person"),
    ),
    "books": (
        18,
        0.4,
        0.10,
        ("Inkwell Press", "Paperleaf", "Orbit Books"),
        ("Cookbook", "Travel Guide", "Novel", "Field Guide", "Biography"),
        ("cookbook", "travel guide", "bestseller"),
    ),
    "toys_games": (
        32,
        0.6,
        0.15,
        ("Playfort", "Tinker Tots", "Meeple House"),
        ("Board Game", "Building Blocks", "Puzzle", "Plush Bear", "Robot Kit"),
        ("board game", "lego", "puzzle 1000"),
    ),
    "jewelry_watches": (
        160,
        1.0,
        0.12,
        ("Aurelia", "Sable & Stone", "Chronos"),
        ("Silver Necklace", "Gold Ring", "Automatic Watch", "Earrings", "Bracelet"),
        ("gold ring", "automatic watch", "silver necklace"),
    ),
    "garden": (
        40,
        0.8,
        0.40,
        ("Greenway", "Terra Verde", "Bloom"),
        ("Planter", "Compost Bin", "Garden Hose", "Seed Kit", "Solar Lights", "Pruning Shears"),
        ("compost bin", "solar lights", "planter"),
    ),
}
ECO_WORDS = ("Organic", "Recycled", "Bamboo", "Refillable", "Solar")
PLAIN_WORDS = ("Classic", "Essential", "Pro", "Everyday", "Premium", "Compact", "Urban", "Lite")
CENT_ENDINGS = np.array([99, 49, 0, 95])


@dataclass(frozen=True)
class Catalogue:
    """Products as arrays (index = product code) plus per-persona interest distributions."""

    categories: tuple[str, ...]
    product_id: tuple[str, ...]
    name: tuple[str, ...]
    brand: tuple[str, ...]
    category: np.ndarray
    price_cents: np.ndarray
    eco: np.ndarray
    video_seconds: np.ndarray  # 0 when the product has no video
    queries: tuple[str, ...]
    query_category: np.ndarray
    interest: np.ndarray  # (persona, product) relative interest

    def sample(
        self, rng: np.random.Generator, persona: np.ndarray, category: np.ndarray | None = None
    ) -> np.ndarray:
        """Products drawn by persona interest, optionally within given categories."""
        if category is None:
            return categorical(rng, self.interest, persona)
        # products are stored category by category
        first = np.searchsorted(self.category, np.arange(len(self.categories) + 1))
        return categorical(rng, self.interest, persona, first[category], first[category + 1])

    def category_interest(self) -> np.ndarray:
        """(persona, category) share of interest."""
        sums = np.stack(
            [self.interest[:, self.category == c].sum(axis=1) for c in range(len(self.categories))],
            axis=1,
        )
        return sums / sums.sum(axis=1, keepdims=True)


def build_catalogue(rng: np.random.Generator) -> Catalogue:
    """Generate the catalogue from the category table (small; built once per run)."""
    names, brands, ids, cats, prices, ecos = [], [], [], [], [], []
    for c, (median, spread, eco_share, cat_brands, nouns, _) in enumerate(CATEGORIES.values()):
        eco = rng.random(PRODUCTS_PER_CATEGORY) < eco_share
        usd = np.clip(median * np.exp(spread * rng.standard_normal(PRODUCTS_PER_CATEGORY)), 3, 2500)
        cents = np.floor(usd).astype(np.int64) * 100 + rng.choice(CENT_ENDINGS, len(usd))
        for i in range(PRODUCTS_PER_CATEGORY):
            brand = cat_brands[rng.integers(len(cat_brands))]
            word = (ECO_WORDS if eco[i] else PLAIN_WORDS)[rng.integers(5)]
            names.append(f"{brand} {word} {nouns[rng.integers(len(nouns))]}")
            brands.append(brand)
            ids.append(f"SKU-{10001 + c * 1000 + i}")
        cats.append(np.full(PRODUCTS_PER_CATEGORY, c))
        prices.append(cents)
        ecos.append(eco)
    category = np.concatenate(cats)
    price = np.concatenate(prices)
    eco = np.concatenate(ecos)
    has_video = rng.random(len(ids)) < VIDEO_SHARE
    popularity = rng.pareto(1.5, len(ids)) + 0.2
    categories = tuple(CATEGORIES)
    interest = (
        popularity[None, :]
        * (price[None, :] / 5000.0) ** personas.column("price_exponent")[:, None]
        * np.where(eco[None, :], personas.column("eco_boost")[:, None], 1.0)
        * personas.category_boost(categories)[:, category]
    )
    queries = [(q, c) for c, spec in enumerate(CATEGORIES.values()) for q in spec[5]]
    return Catalogue(
        categories=categories,
        product_id=tuple(ids),
        name=tuple(names),
        brand=tuple(brands),
        category=category,
        price_cents=price,
        eco=eco,
        video_seconds=np.where(has_video, rng.integers(20, 180, len(ids)), 0),
        queries=tuple(q for q, _ in queries),
        query_category=np.array([c for _, c in queries]),
        interest=interest / interest.sum(axis=1, keepdims=True),
    )

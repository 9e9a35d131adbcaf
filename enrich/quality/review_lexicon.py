"""Words buyers judge products with that VADER's lexicon lacks, with valences on its scale.

VADER, the sentiment scorer of :mod:`enrich.quality.faithfulness`, was built from social-media
text. It knows "great", "broken" and "useless", but reads "sturdy", "durable", "reliable",
"tasty", "flimsy", "stale" and "overpriced" as neutral. A summary that calls a 4.8-star olive
oil "bland and stale, with leaking bottles" then carries no sentiment at all, and no rating can
contradict it.

These words are added to VADER's lexicon when the scorer is built, for summaries and reviews
alike. Each valence is set beside VADER's own for a word of the same strength, on its scale of
-4 to 4: "sturdy" as "robust" (1.4), "flimsy" as "unstable" (-1.5), "tasty" below "delicious"
(2.7). VADER's rules apply to them as to its own words ("not sturdy", "very flimsy").

Left out are words whose sense depends on the product or the reader: "cheap" (the price or the
quality), "soft", "stiff", "tight", "snug", "quiet", "sticky", "flaky", "blunt", "crisp",
"lightweight", "waterproof" (a feature, not a judgement).
"""

from __future__ import annotations

PRODUCT_VALENCE: dict[str, float] = {
    # Praise.
    "sturdy": 1.4, "sturdier": 1.4, "durable": 1.4, "reliable": 1.5, "dependable": 1.5,
    "well-made": 1.6, "hardwearing": 1.2, "decent": 0.9, "tasty": 2.0, "flavourful": 1.8,
    "flavorful": 1.8, "comfy": 1.8, "cozy": 1.5, "cosy": 1.5, "spacious": 1.1, "roomy": 1.1,
    "convenient": 1.3, "handy": 1.2, "practical": 1.0, "versatile": 1.2, "intuitive": 1.2,
    "stylish": 1.6, "affordable": 1.2, "effortless": 1.2, "juicy": 1.1,
    # Complaints.
    "flimsy": -1.5, "flimsier": -1.5, "unreliable": -1.5, "shoddy": -2.0, "subpar": -1.5,
    "junk": -2.0, "overpriced": -1.5, "pricey": -0.6, "cheaply": -1.0, "stale": -1.4,
    "bland": -1.2, "tasteless": -1.5, "soggy": -1.2, "mushy": -0.8, "watery": -0.8,
    "rusty": -1.1, "rusted": -1.1, "smelly": -1.3, "musty": -1.2, "greasy": -0.9,
    "leaking": -1.3, "leaky": -1.3, "leaks": -1.3, "cracked": -1.3, "chipped": -1.1,
    "dented": -1.1, "frayed": -1.1, "ripped": -1.2, "peeling": -0.9, "faded": -0.7,
    "wobbly": -1.2, "clunky": -1.2, "laggy": -1.4, "fiddly": -1.0, "bulky": -0.6,
    "scratchy": -1.0, "overheated": -1.4, "overheats": -1.4, "burnt": -1.0,
    # What a failing product does, as buyers write it ("poorly made", "the coating peels").
    "poorly": -1.5, "peels": -0.9, "peeled": -0.9, "flaking": -0.9, "tore": -1.0,
    "warped": -1.1, "misaligned": -1.0, "creaks": -0.9, "creaky": -0.9, "creaked": -0.9,
    "squeaks": -0.9, "squeaked": -0.9, "wobbles": -1.2, "overheating": -1.4,
    "malfunctioned": -1.5, "malfunctions": -1.5, "malfunctioning": -1.5, "unusable": -1.8,
    "underpowered": -1.0, "fragile": -1.2, "breaking": -1.3, "breaks": -1.3, "shattered": -1.6,
    "cracks": -1.2, "pills": -0.9, "pilling": -0.9, "floppy": -1.0, "flakes": -0.9,
    "leaked": -1.3,
}

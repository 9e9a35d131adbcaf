"""The categorical attribute domains, the catalog's names and its features learned in Spark equal
those learned from plain pairs and names."""

import pytest

from enrich.quality.domains import AttributeDomains, learn_domains

CATALOG = [
    ("p1", {"activity": "Gym", "fit": "slim", "straps": "canvas, plastic", "weight": "250 g",
            "Dual Voltage": "TRUE"}),
    ("p2", {"activity": "trail", "fit": "Regular", "straps": "leather", "weight": "300 g"}),
    ("p3", {"activity": "Trail", "fit": "relaxed-fit", "straps": None, "in stock": "yes"}),
    ("p4", {"activity": "road", "note": "ships in a recycled box", "in stock": "no"}),
    ("p5", None),
]


def test_learn_domains_in_spark_equals_the_plain_learning(spark):
    products = spark.createDataFrame(CATALOG, "product_id string, attributes map<string,string>")
    learned = learn_domains(products.repartition(3), max_values=3, max_names=10)
    pairs = [(k, v) for _, attrs in CATALOG for k, v in (attrs or {}).items() if v is not None]
    assert learned == AttributeDomains.learn(pairs, max_values=3)
    assert learned.values["activity"] == {"gym", "trail", "road"}
    assert learned.values["fit"] == {"slim", "regular", "relaxed fit"}
    # Three strap materials; the free-text note has one value, the weights have digits, the
    # stock flag is yes/no: none of them is categorical.
    assert set(learned.values) == {"activity", "fit", "strap"}
    # The keys some product holds as "yes": features.
    assert learned.features == {"in stock", "dual voltage"}


NAMED = [
    ("p1", "The Ridge Daypack", "Halvik", {"fit": "slim"}),
    ("p2", "Aurora Tent", "Norrland", {"fit": "classic"}),
    ("p3", "Classic", "Ridge", None),
    ("p4", "XL", None, None),
    ("p5", None, "Halvik", None),
]


@pytest.mark.parametrize(
    "max_names,names",
    [
        # "Classic" is a fit, "XL" too short: neither is a name.
        (100, {"halvik", "norrland", "ridge", "ridge daypack", "aurora tent"}),
        (4, {"halvik", "norrland", "ridge", "aurora tent"}),  # brands first, then titles
    ],
)
def test_learn_domains_in_spark_learns_the_names_bounded(spark, max_names, names):
    schema = "product_id string, title string, brand string, attributes map<string,string>"
    products = spark.createDataFrame(NAMED, schema).repartition(3)
    learned = learn_domains(products, max_values=3, max_names=max_names)
    plain = AttributeDomains.learn(
        [(k, v) for *_, attrs in NAMED for k, v in (attrs or {}).items()],
        brands=[row[2] for row in NAMED], titles=[row[1] for row in NAMED],
        max_values=3, max_names=max_names,
    )
    assert learned == plain
    assert learned.names == names

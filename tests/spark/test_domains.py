"""The categorical attribute domains learned in Spark equal those learned from plain pairs."""

from enrich.quality.domains import AttributeDomains, learn_domains

CATALOG = [
    ("p1", {"activity": "Gym", "fit": "slim", "straps": "canvas, plastic", "weight": "250 g"}),
    ("p2", {"activity": "trail", "fit": "Regular", "straps": "leather", "weight": "300 g"}),
    ("p3", {"activity": "Trail", "fit": "relaxed-fit", "straps": None, "in stock": "yes"}),
    ("p4", {"activity": "road", "note": "ships in a recycled box", "in stock": "no"}),
    ("p5", None),
]


def test_learn_domains_in_spark_equals_the_plain_learning(spark):
    products = spark.createDataFrame(CATALOG, "product_id string, attributes map<string,string>")
    learned = learn_domains(products.repartition(3), max_values=3)
    pairs = [(k, v) for _, attrs in CATALOG for k, v in (attrs or {}).items() if v is not None]
    assert learned == AttributeDomains.learn(pairs, max_values=3)
    assert learned.values["activity"] == {"gym", "trail", "road"}
    assert learned.values["fit"] == {"slim", "regular", "relaxed fit"}
    # Three strap materials; the free-text note has one value, the weights have digits, the
    # stock flag is yes/no: none of them is categorical.
    assert set(learned.values) == {"activity", "fit", "strap"}

"""Grounding of numbers: a number of a description is supported only by an input number of the
same value, sign and unit, of the attribute the text says it is of (see
:mod:`enrich.quality.grounding`), and the quantities :func:`enrich.quality.text.quantities` reads."""

import pytest

from enrich.config import QualityConfig
from enrich.quality import ScoreInputs, score_text
from enrich.quality.grounding import check_grounding
from enrich.quality.text import quantities


# Numbers: a number is supported only by an input number of the same unit, of the attribute the
# text says it is of. The inputs are those of hand-labelled items of tests/data/gate.
BOOT = ScoreInputs(
    title="Fenwick Chelsea Boot", brand="Hollins & Reed",
    attributes={"upper": "suede", "heel height": "3 cm", "shaft height": "14 cm", "fit": "runs large"},
)
PLUG = ScoreInputs(
    title="Brightnest Outdoor Smart Plug", brand="Brightnest",
    attributes={"connectivity": "Wi-Fi", "frequency": "2.4 GHz", "max load": "10 A", "outlets": "2", "cable length": "1.5 m"},
)
BUTTON = ScoreInputs(
    title="Kilnworth Zigbee Smart Button", brand="Kilnworth",
    attributes={"compatible hubs": "Hue Bridge, Echo 4th gen, Home Assistant", "battery": "CR2032",
                "battery life": "2 years"},
)
PAN = ScoreInputs(
    title="Tessa Tri-Ply Saucepan 2 L", brand="Tessa Home",
    attributes={"capacity": "2 L", "diameter": "18 cm", "oven safe": "up to 220°C"},
)
BAG_DOWN = ScoreInputs(
    title="Corrie Down 0 Sleeping Bag", brand="Corrie Outdoor",
    attributes={"fill power": "650", "comfort temperature": "0°C", "weight": "1.1 kg",
                "packed size": "18 x 30 cm"},
)
BAG_SYNTHETIC = ScoreInputs(
    title="Corrie Synthetic 5 Sleeping Bag", brand="Corrie Outdoor",
    attributes={"comfort temperature": "5°C", "weight": "1.6 kg", "packed size": "22 x 38 cm"},
)
MAT = ScoreInputs(
    title="Skarn Lite Self-Inflating Mat", brand="Skarn",
    attributes={"r-value": "3.2", "length": "183 cm", "thickness": "3.8 cm", "weight": "720 g"},
)
DUMBBELL = ScoreInputs(
    title="Ironclad Adjustable Dumbbell", brand="Ironclad",
    attributes={"weight": "12 kg", "resistance levels": "10", "grip": "knurled steel"},
)


@pytest.mark.parametrize(
    "text,inputs,contradicted",
    [
        # The input's number belongs to another attribute than the one the text binds it to.
        ("The Fenwick boot has a 14 cm heel.", BOOT, ["number: 14 cm"]),
        ("The Fenwick boot sits on a 14 cm block heel.", BOOT, ["number: 14 cm"]),
        ("The Skarn Lite mat has an R-value of 3.8.", MAT, ["number: 3.8"]),
        ("The Ironclad dumbbell has a 10-pin weight system.", DUMBBELL, ["number: 10 pin"]),
        # The input's number has another unit: another quantity.
        ("The Brightnest plug handles loads up to 2.4 A.", PLUG, ["number: 2.4 a"]),
        ("The Brightnest plug sits on a 10 m cable.", PLUG, ["number: 10 m"]),
        ("The Tessa saucepan holds 18 litres.", PAN, ["number: 18 litres"]),
        ("The Corrie Down 0 weighs just 650 g.", BAG_DOWN, ["number: 650 g"]),
        # A number in a model name or an ordinal is no quantity.
        ("The Kilnworth button's battery lasts up to 4 years.", BUTTON, ["number: 4 years"]),
        ("The Kilnworth button has a 4-year battery life.", BUTTON, ["number: 4 year"]),
        # The sign is part of the number.
        ("The Corrie Synthetic 5 is comfortable down to -5°C.", BAG_SYNTHETIC, ["number: -5 °c"]),
    ],
)
def test_a_number_of_another_attribute_or_unit_is_contradicted(text, inputs, contradicted):
    assert check_grounding(text, inputs).contradicted == contradicted


def test_a_number_in_another_unit_than_any_of_the_input_is_not_accepted():
    g = check_grounding("The Ironclad dumbbell has a 12 mm weight.", DUMBBELL)
    assert g.unsupported + g.contradicted == ["number: 12 mm"]


@pytest.mark.parametrize(
    "text,inputs",
    [
        # Each number stated with its own key, by the words after or before it.
        ("The Fenwick boot has a 3 cm heel and a 14 cm shaft.", BOOT),
        ("The Fenwick boot: shaft height of 14 cm, heel height of 3 cm.", BOOT),
        ("The Skarn Lite mat is 3.8 cm thick, with an R-value of 3.2.", MAT),
        ("The Kilnworth button works with an Echo 4th gen; its battery life is 2 years.", BUTTON),
        ("The Brightnest plug has 2 outlets, a 1.5 m cable and a 10 A max load on 2.4 GHz Wi-Fi.",
         PLUG),
        ("The Fenwick boot has a 3 cm heel and stands 14 cm tall.", BOOT),
        ("The Kilnworth button has a 2-year battery life.", BUTTON),
        # A unit spelled otherwise, or a number without one.
        ("The Fenwick boot has a 14 centimetre shaft and a 3 cm heel.", BOOT),
        ("The Tessa saucepan holds 2 litres and is 18 cm across.", PAN),
        ("The Tessa saucepan is oven safe to 220 °C.", PAN),
        ("The Kilnworth button's battery lasts 2 yrs.", BUTTON),
        ("The Corrie Down 0 is comfortable to 0°C and has 650 fill power.", BAG_DOWN),
        ("The Corrie Synthetic 5 is comfortable to 5°C and weighs 1.6 kilograms.", BAG_SYNTHETIC),
        # A key that names the unit of its bare number.
        ("The Ironclad dumbbell weighs 12 kg.",
         ScoreInputs(title="Ironclad dumbbell", attributes={"weight (kg)": "12"})),
        # Dimensions and ranges.
        ("The Corrie Down 0 packs to 18 x 30 cm.", BAG_DOWN),
        ("The Corrie Down 0 packs to 30 x 18 cm.", BAG_DOWN),
        ("The Tessa saucepan cooks for 3-4 people.",
         ScoreInputs(title="Tessa saucepan", attributes={"serves": "4 people"})),
    ],
)
def test_a_number_stated_with_its_own_key_and_unit_is_supported(text, inputs):
    g = check_grounding(text, inputs)
    assert g.contradicted == [] and g.unsupported == []


def test_a_summarys_numbers_may_be_its_reviews_but_not_another_of_the_products():
    # A summary reports what reviews say: a number they state is no fault, even against the
    # fields; one that neither states, against a single value of the fields, contradicts it.
    reviews = ("The battery lasted me 4 years.", "Still going after 4 years, 10 out of 10.")
    inputs = ScoreInputs(title="Kilnworth Zigbee Smart Button",
                         attributes={"battery life": "2 years"}, reviews=reviews, mean_rating=4.5)
    said = score_text("Reviewers say the battery lasts 4 years.", None, bounds=(1, 50),
                      cfg=QualityConfig(), inputs=inputs)
    assert said.contradicted_facts == [] and said.unsupported_aspects == []
    invented = score_text("Reviewers say the battery lasts 6 years.", None, bounds=(1, 50),
                          cfg=QualityConfig(), inputs=inputs)
    assert invented.contradicted_facts == ["number: 6 years"], invented


@pytest.mark.parametrize(
    "text,read",
    [
        ("14 centimetres, 14 cm, 14cm", [("14", "cm")] * 3),
        ("2 L, 2 litres, 2 liters", [("2", "l")] * 3),
        ("2.4 A, 2.4 amps, 2.4 a day", [("2.4", "a"), ("2.4", "a"), ("2.4", None)]),
        ("-5°C, 5 °C, 3-4 people", [("-5", "°c"), ("5", "°c"), ("3", None), ("4", None)]),
        ("30 x 20 cm, £20-25", [("30", "cm"), ("20", "cm"), ("20", "gbp"), ("25", "gbp")]),
    ],
)
def test_quantities_read_units_signs_dimensions_and_ranges(text, read):
    assert [(q.value, q.unit) for q in quantities(text)] == read


def test_a_number_in_a_name_or_an_ordinal_is_no_quantity():
    assert [q.name for q in quantities("Echo 4th gen, the Corrie Down 0 at 4 cm. Serves 4.")] == [
        True, True, False, False,
    ]


@pytest.mark.parametrize(
    "attributes, text, contradicted",
    [
        # Thousands grouped by commas are one number; a decimal comma stays one.
        ({"power": "1000 W"}, "A 1,000 W motor.", []),
        ({"battery": "5000 mAh"}, "A 5,000 mAh battery.", []),
        ({"weight": "1,5 kg"}, "It weighs 1.5 kg.", []),
        ({"power": "1000 W"}, "A 2,000 W motor.", ["number: 2000 w"]),
        # The same quantity in another unit of its measure is the same.
        ({"capacity": "1.5 L"}, "A 1500 ml jug.", []),
        ({"power": "1000 W"}, "A 1 kW motor.", []),
        ({"length": "2 m"}, "A 200 cm cable.", []),
        ({"playing time": "60 minutes"}, "A game of 1 h.", []),
        ({"length": "2 m"}, "A 300 cm cable.", ["number: 300 cm"]),
        # A value "29 in" is in inches.
        ({"wheel size": "29 in"}, 'It rolls on 29" wheels.', []),
    ],
)
def test_numbers_compare_across_grouping_and_units(attributes, text, contradicted):
    g = check_grounding(text, ScoreInputs(title="Thing", attributes=attributes))
    assert g.contradicted == contradicted and g.unsupported == []


# A word that asks for one kind of quantity ("weighs", "a price of") and a number of another kind:
# contradicted even where the input has that number (it is another attribute's).
KETTLE = ScoreInputs(
    title="Ostrello Steel Kettle", brand="Ostrello",
    attributes={"capacity": "1.5 L", "power": "900 W", "weight": "1.1 kg", "cord": "75-90 cm"},
)


@pytest.mark.parametrize("text", [
    "It weighs 1.5 L.", "A price of 900 W.", "The weight is 900 W.", "It weighs just under 75-90 cm.",
    "It lasts 1.1 kg.",
])
def test_a_number_of_another_kind_than_its_word_asks_for_is_contradicted(text):
    found = check_grounding(text, KETTLE)
    assert any(f.startswith("number:") for f in found.contradicted), text


@pytest.mark.parametrize("text", [
    "It weighs 1.1 kg and holds 1.5 L.", "A weight of 1.1 kg.", "A cord length of 75-90 cm.",
    "A 1.1 kg weight.", "It is priced at less than 20 pounds.",
    "It brings together a 1.1 kg weight, a 75-90 cm cord.",
])
def test_a_number_of_the_kind_its_word_asks_for_is_not_contradicted_for_that(text):
    found = check_grounding(text, ScoreInputs(**{
        **KETTLE.__dict__, "attributes": {**KETTLE.attributes, "price": "20 pounds"}}))
    assert not found.contradicted, text


def test_a_count_in_words_is_read_against_the_products_count():
    dryer = ScoreInputs(title="Halden Salon Pro 2400", attributes={
        "heat settings": "4", "speed settings": "2", "attachments": "diffuser, comb, nozzle"})
    g = check_grounding("Choose from six heat settings and two speeds, with three attachments.",
                        dryer)
    # Only the contradiction is reported: "three attachments" counts a list no field counts.
    assert g.contradicted == ["number: six heat"] and g.unsupported == [], g
    assert check_grounding("Four heat settings and 2 speeds.", dryer).contradicted == []


SHOE = ScoreInputs(title="Scree Runner", brand="Fellbound", attributes={
    "heel-to-toe drop": "4 mm", "stack height": "28 mm", "lug depth": "5 mm", "weight": "270 g"})


@pytest.mark.parametrize("text,contradicted", [
    # Numbers in words, with a unit joined by a hyphen or a space, and tens.
    ("An eight-millimetre drop keeps you close to the ground.", ["number: eight millimetre"]),
    ("It weighs two hundred and seventy grams.", []),  # no number in words before a unit here
    ("It weighs twenty-seven grams more than its sibling.", ["number: twenty-seven grams"]),
    ("A four-millimetre drop and five-millimetre lugs.", []),
    # "three-season", "two-way": a counted value, not a measure.
    ("A three-season shoe with a two-way zip.", []),
])
def test_a_number_in_words_is_read_with_its_unit(text, contradicted):
    assert check_grounding(text, SHOE).contradicted == contradicted


def test_a_count_of_a_key_that_counts_is_that_keys_count():
    stroller = ScoreInputs(title="Ridgeway Pushchair", attributes={
        "recline": "3-position", "modes": "2", "motor speed": "2000 rpm", "weight": "12.5 kg"})
    for text in ("A seat with five recline positions.", "Its five modes feel much alike."):
        assert check_grounding(text, stroller).contradicted, text
    for text in ("A seat with three recline positions and 2 modes.",
                 "It has four wheels and two speeds."):  # no key counts wheels; speed is in rpm
        assert check_grounding(text, stroller).contradicted == [], text


def test_a_number_binds_the_key_a_few_words_before_it_and_only_of_its_measure():
    # The number's own words do not use up the words it may look back over.
    assert check_grounding("Fellbound keeps the drop low at 5 mm.", SHOE).contradicted == [
        "number: 5 mm"]
    assert check_grounding("Fellbound keeps the drop low at 4 mm.", SHOE).contradicted == []
    # A number with a unit is not said of a key that counts ("burners") or measures another
    # kind ("motor" in watts for a voltage).
    stove = ScoreInputs(title="Basecamp Stove", attributes={
        "burners": "2", "output": "2 × 3.0 kW", "motor": "250 W", "battery": "36 V 7.5 Ah"})
    text = ("Its two burners give 3.0 kW each, and a 250 W motor with a 36 V battery runs the "
            "fan.")
    assert check_grounding(text, stove).contradicted == []


def test_a_rate_key_a_count_of_the_same_noun_and_a_range_of_the_fields():
    printer = ScoreInputs(title="OfficeCore MFP 5500", attributes={
        "pages per minute": "40", "duty cycle": "80,000 pages/month",
        "document feeder": "50 sheets", "height range": "65-130 cm", "depth": "110 cm"})
    # "pages per minute": "40" counts pages, in no unit of time; "80,000 pages" is the duty
    # cycle's count of the same noun.
    assert check_grounding("40 pages per minute and up to 80,000 pages a month.",
                           printer).contradicted == []
    assert check_grounding("It prints 50 pages per minute.", printer).contradicted == [
        "number: 50 pages"]
    # A range holds both its ends: 110 cm is the depth, not the top of the height range.
    assert check_grounding("Height range 65 to 110 cm.", printer).contradicted == [
        "number: 110 cm"]
    assert check_grounding("It rises from 65 to 130 cm; 110 cm deep.", printer).contradicted == []


def test_a_total_of_a_rate_and_an_amount_of_the_fields_is_supported():
    paint = ScoreInputs(title="Estate Emulsion", attributes={
        "coverage": "14 m² per litre", "volume": "2.5 L", "recoat time": "4 hours"})
    assert check_grounding("A 2.5 L tin covers about 35 m².", paint).contradicted == []
    assert check_grounding("A 2.5 L tin covers about 45 m².", paint).contradicted == [
        "number: 45 m²"]


def test_hundreds_in_words_and_a_reviews_number_of_the_same_noun():
    keyboard = ScoreInputs(title="Marlow Full-Size", attributes={
        "number of keys": 104, "laminate": "2.5-layer", "battery life": "150-200 h"})
    assert check_grounding("All one hundred and eight keys.", keyboard).contradicted == [
        "number: one hundred and eight keys"]
    assert check_grounding("All one hundred and four keys.", keyboard).contradicted == []
    # A summary's number is a review's only where the review says it of the same thing.
    reviews = "Typing for 3 hours a day is fine."
    assert check_grounding("A light 3-layer build.", keyboard, reviews=reviews).contradicted == [
        "number: 3 layer"]
    assert check_grounding("A light 3-layer build.", keyboard,
                           reviews="Feels like 3 layers.").contradicted == []


def test_a_number_right_before_a_key_of_another_kind_is_contradicted_not_one_looked_back_to():
    chair = ScoreInputs(title="Cadet II", attributes={
        "max_load": "120 kg", "seat_height": "45-55 cm", "weight": "19 kg",
        "dimensions": "180 x 66 cm", "thickness": "5 mm"})
    assert check_grounding("A 19 kg seat height.", chair).contradicted == ["number: 19 kg"]
    # Looking back stops at "and": the next phrase's number is not the thickness's.
    text = "A 19 kg weight and a 120 kg load; a 5 mm thickness and a 180 x 66 cm profile."
    assert check_grounding(text, chair).contradicted == []


def test_a_bound_or_an_approximation_holds_where_the_fields_number_meets_it():
    buds = ScoreInputs(title="Pulse S2", attributes={"weight": "4.8 g per earbud",
                                                     "battery life": "7 hours", "weight case": "3.9 kg"})
    for text in ("Each bud weighs under five grams.", "Each bud weighs just under 5 g.",
                 "It plays for well over 6 hours.", "It plays for about 7.5 hours.",
                 "The case is under 4 kg."):
        assert check_grounding(text, buds).contradicted == [], text
    for text, wrong in (("Each bud weighs under 4 grams.", "number: 4 grams"),
                        ("It plays for over 8 hours.", "number: 8 hours"),
                        ("It plays for about 9 hours.", "number: 9 hours")):
        assert check_grounding(text, buds).contradicted == [wrong], text

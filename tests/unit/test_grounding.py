"""Grounding of descriptions: what they mention, and what they state that the input does not."""

import pytest

from enrich.config import QualityConfig
from enrich.quality import ScoreInputs, score_text
from enrich.quality.grounding import check_grounding
from enrich.quality.text import value_items
from enrich.schemas import ACCEPTED

HALO = ScoreInputs(
    title="Halo wireless headphones",
    brand="Halvik",
    category="audio",
    attributes={"color": "silver", "material": "aluminium", "battery life": "40 h", "weight": "250 g"},
)


def test_faithful_text_mentions_attributes_and_states_nothing_else():
    g = check_grounding(
        "The Halvik Halo headphones come in silver aluminium with a 40 h battery.", HALO
    )
    assert g.mentioned == ["color", "material", "battery life", "brand"]
    assert g.share == 0.8
    assert g.unsupported == [] and g.contradicted == []


@pytest.mark.parametrize(
    "text,contradicted,unsupported",
    [
        ("The Halvik Halo comes in red.", ["colour: red"], []),
        ("The Halvik Halo is made of leather.", ["material: leather"], []),
        ("The Halvik Halo lasts 60 h on a charge.", ["number: 60 h"], []),
        ("The Halvik Halo is available in size XL.", [], ["size: XL"]),
        ("The Halvik Halo weighs 250 g and has 12 speakers.", [], ["number: 12 speakers"]),
        ("The Sonora Halo headphones come in silver.", [], ["name: Sonora Halo"]),
        ("Sonora makes the Halo headphones.", [], ["name: Sonora"]),
        ("Meet the Sonora Halo: headphones in silver.", [], ["name: Sonora Halo"]),
        ("These Italian headphones come in silver.", [], ["origin: italian"]),
    ],
)
def test_invented_or_wrong_facts_are_found(text, contradicted, unsupported):
    g = check_grounding(text, HALO)
    assert g.contradicted == contradicted
    assert g.unsupported == unsupported


@pytest.mark.parametrize(
    "text", ["Meet the Halo wireless headphones: silver.", "Discover the Halvik Halo in silver."]
)
def test_a_capital_that_only_starts_the_sentence_is_no_name(text):
    assert check_grounding(text, HALO).unsupported == []


def test_ratings_and_cuisines_against_the_input():
    aromi = ScoreInputs(
        title="Aromi", brand="Aromi",
        attributes={"eatType": "coffee shop", "food": "Chinese", "customer rating": "1 out of 5"},
    )
    good = check_grounding("Aromi is a Chinese coffee shop rated 1 out of 5.", aromi)
    assert good.contradicted == [] and good.unsupported == []
    bad = check_grounding("Aromi is a French coffee shop rated 5 out of 5 stars.", aromi)
    assert bad.contradicted == ["origin: french", "rating: 5/5"]


def test_a_wrong_fact_keeps_the_row_out_of_accepted():
    cfg = QualityConfig()
    good = score_text("The Halvik Halo headphones come in silver.", None, inputs=HALO,
                      bounds=(3, 50), cfg=cfg)
    wrong = score_text("The Halvik Halo headphones come in gold.", None, inputs=HALO,
                       bounds=(3, 50), cfg=cfg)
    assert good.status == ACCEPTED and good.contradicted_facts == [] and good.grounding == 0.4
    assert wrong.status != ACCEPTED
    assert "contradicted_fact" in wrong.reject_reasons and wrong.contradicted_facts == ["colour: gold"]
    assert wrong.quality_score < good.quality_score


def test_grounding_columns_are_null_for_summaries():
    s = score_text("Reviewers love the sound.", None, bounds=(1, 50), cfg=QualityConfig(),
                   inputs=ScoreInputs(title="Halo", reviews=("Great sound.",), mean_rating=4.5))
    assert s.grounding is None and s.unsupported_facts is None and s.mentioned_attributes is None


BAG = ScoreInputs(
    title="Trail daypack",
    brand="Halvik",
    attributes={"strap material": "canvas, plastic", "colour": "olive", "sizes": "20 l / 30 l"},
)


@pytest.mark.parametrize(
    "text,contradicted,unsupported",
    [
        # A value the list lacks is unsupported: the list names what the bag has, not all of it.
        ("The olive Halvik daypack has a cotton strap.", [], ["material: cotton"]),
        ("The olive Halvik daypack comes in 25 l.", [], ["number: 25 l"]),
        # A single value is still contradicted by another one.
        ("The red Halvik daypack has a canvas strap.", ["colour: red"], []),
        # What the list holds is supported.
        ("The olive Halvik daypack has canvas and plastic straps, 20 l or 30 l.", [], []),
    ],
)
def test_a_value_missing_from_a_list_is_unsupported_not_contradicted(text, contradicted, unsupported):
    g = check_grounding(text, BAG)
    assert g.contradicted == contradicted
    assert g.unsupported == unsupported


def test_a_list_found_by_its_values_is_a_list_too():
    # No key names the class, but the list's values are materials.
    shoe = ScoreInputs(title="Runner", brand="Halvik", attributes={"upper": "mesh, suede"})
    assert check_grounding("The Halvik Runner has a leather upper.", shoe).unsupported == [
        "material: leather"
    ]
    single = ScoreInputs(title="Runner", brand="Halvik", attributes={"upper": "suede"})
    assert check_grounding("The Halvik Runner has a leather upper.", single).contradicted == [
        "material: leather"
    ]


@pytest.mark.parametrize(
    "value,items",
    [
        ("canvas, plastic", ["canvas", "plastic"]),
        ("red/blue", ["red", "blue"]),
        ("wool and silk", ["wool", "silk"]),
        ("S | M | L", ["S", "M", "L"]),
        ("1,5 l", ["1,5 l"]),  # a decimal comma, not a list
        ("1/2 inch", ["1/2 inch"]),
        ("stainless steel", ["stainless steel"]),
    ],
)
def test_value_items(value, items):
    assert value_items(value) == items


def test_a_capital_after_a_digit_is_no_name_and_units_compare_by_stem():
    tv = ScoreInputs(title="Vistara 4K TV", brand="Vistara", attributes={"warranty": "2 years"})
    assert check_grounding("The Vistara is a 4K TV with a 2 year warranty.", tv).unsupported == []
    g = check_grounding("The Vistara 4K TV has a 5 year warranty.", tv)
    assert g.contradicted == ["number: 5 year"] and g.unsupported == []


LAMP = ScoreInputs(title="Desk lamp", brand="Glowden",
                   attributes={"colour": "sage green", "power source": "USB cable"})


@pytest.mark.parametrize(
    "text,unsupported",
    [
        # A real output of the shipped model, accepted by the gate before (the notes were noise).
        ("The lamp is a high quality product that comes with notes. It comes in a variety of "
         "colors. It is easy to use and comes with a built-in charger.",
         ["feature: built-in charger"]),
        ("The Glowden lamp includes a carrying case.", ["feature: carrying case"]),
        ("The Glowden lamp features a dimmer and a remote.", ["feature: dimmer", "feature: remote"]),
        ("It is equipped with a motion sensor.", ["feature: motion sensor"]),
        # What the input holds, in another form, is supported; a verb after "and" is no feature.
        ("The Glowden lamp comes with a USB cable and glows sage green.", []),
        ("It features a cable and weighs little.", []),
        ("It comes with everything you need.", []),
        # Said to be included after the thing: a determiner or the sentence opens it.
        ("A matching case is included.", ["feature: matching case"]),
        ("Spare bulbs supplied.", ["feature: spare bulbs"]),
        ("A USB cable is included.", []),
        ("The bulbs are not included. Everything you need is included.", []),
        ("It is great for the price provided.", []),
    ],
)
def test_a_feature_the_input_lacks_is_unsupported_whatever_it_is(text, unsupported):
    g = check_grounding(text, LAMP)
    assert g.unsupported == unsupported and g.contradicted == []


@pytest.mark.parametrize(
    "text, unsupported",
    [
        ("The Glowden lamp has a child lock and a built-in timer.",
         ["feature: child lock", "feature: built-in timer"]),
        ("It takes AA batteries.", ["feature: aa batteries"]),
        ("It works with Alexa.", ["feature: alexa"]),
        # "has" before no indefinite article, or before what the input holds, claims nothing new.
        ("The Glowden lamp has been a favourite and has a USB cable.", []),
        ("It has a high colour rating.", []),  # "colour" is an attribute's key
    ],
)
def test_having_and_compatibility_verbs_claim_features(text, unsupported):
    g = check_grounding(text, LAMP)
    assert g.unsupported == unsupported and g.contradicted == []


SAUCEPAN = ScoreInputs(
    title="Tessa Tri-Ply Saucepan 2 L", brand="Tessa Home",
    attributes={"finish": "brushed", "handle": "padded silicone", "lid": "glass"},
)


@pytest.mark.parametrize(
    "text, unsupported",
    [
        # A real output of the shipped model: the finish is brushed, there is no brush.
        ("The Tessa Tri-Ply Saucepan 2 L comes with a built-in brush.",
         ["feature: built-in brush"]),
        # A participle of the text is stated by one of the fields, and a word by itself.
        ("It comes with padding on the handle and a brushed finish.", []),
        ("It comes with a glass lid.", []),
        # "Features" the noun before "include" the verb: the features are what follows.
        ("Features include a glass lid and a padded handle.", []),
        ("Features include a steamer basket.", ["feature: steamer basket"]),
    ],
)
def test_a_participle_states_no_thing(text, unsupported):
    g = check_grounding(text, SAUCEPAN)
    assert g.unsupported == unsupported and g.contradicted == []


BUTTON = ScoreInputs(
    title="Kilnworth Zigbee Smart Button", brand="Kilnworth", category="Smart Switches",
    attributes={"connectivity": "Zigbee", "battery": "CR2032", "colour": "white"},
)


@pytest.mark.parametrize(
    "inputs, text, unsupported",
    [
        # A real output of the shipped model: Zigbee is the connectivity, not a product line.
        (BUTTON, "The Kilnworth Zigbee Smart Button is part of Kilnworth's Zigbee line.",
         ["line: Kilnworth's Zigbee line"]),
        (BUTTON, "It joins the Kilnworth Halo series.", ["line: Kilnworth Halo series"]),
        # A model name in the title names its line; the fields may name one themselves.
        (ScoreInputs(title="Vortexa Tempest Go Blender", brand="Vortexa"),
         "The Tempest Go is part of Vortexa's Tempest line.", []),
        (ScoreInputs(title="Arden Chair", attributes={"collection": "Heritage Oak"}),
         "The Arden Chair comes from the Heritage Oak collection.", []),
        # No line: a noun before "of", or one no capitalised word names.
        (BUTTON, "The Kilnworth button comes in a range of finishes, white among them.", []),
        (BUTTON, "The Kilnworth button sits in the mid-price range.", []),
    ],
)
def test_a_product_line_the_fields_do_not_name_is_unsupported(inputs, text, unsupported):
    g = check_grounding(text, inputs)
    assert g.unsupported == unsupported and g.contradicted == []


PUMP = ScoreInputs(
    title="Spokewell Alloy Floor Pump", brand="Spokewell",
    attributes={"gauge": "analogue", "hose length": "120 cm", "barrel": "aluminium",
                "capacity": "600 ml", "jar": "glass"},
)
FOUNTAIN = ScoreInputs(
    title="Whiskerly Cat Water Fountain", brand="Whiskerly",
    attributes={"filter": "carbon and foam", "pump noise": "under 30 dB", "lid": "glass",
                "handle": "stainless steel", "material": "BPA-free plastic",
                "lumbar support": "adjustable", "armrest": "3D"},
)

SKILLET = ScoreInputs(
    title="Harlow Cast Iron Skillet 26 cm", brand="Harlow", category="Frying Pans",
    attributes={"compatible hobs": "gas, electric, induction, ceramic", "material": "cast iron"},
)

GUITAR = ScoreInputs(
    title="Orla Acoustic Guitar", brand="Orla", category="Guitars",
    attributes={"top": "solid spruce", "fretboard": "rosewood", "body shape": "dreadnought"},
)

HEATER = ScoreInputs(
    title="ReefLine Nano Heater 50 W", brand="ReefLine", category="Aquarium Heaters",
    attributes={"water type": "freshwater and marine", "tank size": "up to 50 L",
                "element": "quartz glass"},
)


@pytest.mark.parametrize(
    "inputs, text, contradicted",
    [
        # Real outputs of the shipped model: a part's value written on another part.
        (PUMP, "It brings together an aluminium barrel and a 120 cm gauge.", ["number: 120 cm"]),
        (FOUNTAIN, "It combines a carbon and foam pump with a lid.",
         ["filter: carbon and foam pump"]),
        (FOUNTAIN, "It has a stainless steel lid.", ["handle: stainless steel lid"]),
        # Said of its own part, of no part, or by a key of a measure or a property.
        (PUMP, "It has a 120 cm hose, an analogue gauge and an aluminium barrel.", []),
        (PUMP, "A 600 ml jar sits on top.", []),
        (FOUNTAIN, "A carbon and foam filter, a stainless steel handle and a plastic lid.", []),
        # An adjective fits any part; punctuation ends the phrase.
        (FOUNTAIN, "It has an adjustable armrest.", []),
        (FOUNTAIN, "The filter is carbon and foam, pump noise under 30 dB.", []),
        # A list of a key's values before a thing no field names: the list is misplaced.
        (SKILLET, "It combines an electric, induction and ceramic fryer with a lid.",
         ["compatible hobs: ceramic fryer"]),
        (SKILLET, "It suits gas, electric and induction hobs.", []),
        (SKILLET, "An induction and gas skillet.", []),
        # A key of a part's property names the part: "body shape" names the body.
        (GUITAR, "It combines a rosewood body with a spruce top.", ["fretboard: rosewood body"]),
        (GUITAR, "A rosewood fretboard on a dreadnought body.", []),
        # A single value before an unnamed word is another wording more often than not.
        (SKILLET, "It works on a ceramic hotplate.", []),
        # After a preposition of relation the value says what the product serves, not a part.
        (HEATER, "A heater for freshwater and marine tanks up to 50 L.", []),
        (HEATER, "It warms through a quartz glass tank.", ["element: quartz glass tank"]),
    ],
)
def test_a_value_written_on_another_part_is_contradicted(inputs, text, contradicted):
    assert check_grounding(text, inputs).contradicted == contradicted


PAN = ScoreInputs(
    title="Cast Iron Skillet", brand="Harlow", category="Cookware",
    attributes={"coating": "pre-seasoned", "hob": "induction", "dishwasher safe": "no",
                "care": "machine wash", "sole": "slip-resistant rubber"},
)


@pytest.mark.parametrize(
    "text, unsupported, contradicted",
    [
        # A property word of any root: a suffix, a hyphenated prefix, or a word before one.
        ("It is fully waterproof and water-repellent.",
         ["property: waterproof", "property: water-repellent"], []),
        ("The pan is non-stick and BPA-free.", ["property: non-stick", "property: bpa-free"], []),
        ("It is oven safe.", ["property: oven safe"], []),
        # What the fields state in another spelling is supported.
        ("It is machine washable, with a non-slip sole.", [], []),
        ("A pre-seasoned pan for induction.", [], []),
        # A false value denies it; a negated claim agrees with the denial.
        ("It is dishwasher safe.", [], ["property: dishwasher safe"]),
        ("Not dishwasher safe.", [], []),
        # A determiner before the word before the adjective: no property of the product.
        ("It keeps your phone safe. Feel free to sear.", [], []),
    ],
)
def test_property_words_are_checked_against_the_fields(text, unsupported, contradicted):
    g = check_grounding(text, PAN)
    assert g.unsupported == unsupported and g.contradicted == contradicted


BOOT = ScoreInputs(title="Alder Mid Hiking Boot", brand="Tallow Peak", category="Women's Boots",
                   attributes={"width": "wide", "shaft height": "16 cm", "season": "three-season",
                               "connectivity": "Wi-Fi", "sole": "lugged rubber"})


def test_a_number_said_of_a_key_without_one_is_another_keys():
    # A real output of the shipped model: 16 cm is the shaft height, the width is "wide".
    found = check_grounding("A lugged rubber sole and a width of 16 cm.", BOOT)
    assert found.contradicted == ["number: 16 cm"]
    for fine in ("A wide fit and a 16 cm shaft.", "It is wide, with a shaft of 16 cm."):
        assert check_grounding(fine, BOOT).contradicted == [], fine


def test_another_count_of_a_counted_value_is_contradicted():
    from enrich.quality.domains import AttributeDomains

    domains = AttributeDomains.learn([("season", "three-season"), ("season", "summer")])
    found = check_grounding("A four-season boot with a lugged rubber sole.", BOOT, domains=domains)
    assert found.contradicted == ["season: four season"]
    assert check_grounding("A three-season boot.", BOOT, domains=domains).contradicted == []


def test_a_value_written_run_together_is_no_unknown_name():
    plug = ScoreInputs(title="Mini Smart Plug", attributes={"connectivity": "Wi-Fi",
                                                           "frequency": "2.4 GHz"})
    assert check_grounding("It pairs over a 2.4 GHz WiFi connection.", plug).unsupported == []
    assert check_grounding("It pairs over 2.4 GHz Zigbee.", plug).unsupported == ["name: GHz Zigbee"]


def test_the_start_of_the_brand_word_is_another_name_other_parts_of_words_are_not():
    thermostat = ScoreInputs(title="Nestwell Smart Thermostat", brand="Nestwell",
                             attributes={"origin": "Japanese", "area": "riverside"})
    # A real output of the shipped model: "Nest" is another brand than "Nestwell".
    found = check_grounding("Built by Nest, the Nestwell Smart Thermostat is easy to set.", thermostat)
    assert found.unsupported == ["name: Nest"]
    assert check_grounding("Made in Japan, near the River.", thermostat).unsupported == []


def test_a_thing_a_no_attribute_denies_is_contradicted_unless_negated():
    plug = ScoreInputs(title="Mini Smart Plug", attributes={"hub required": "no",
                                                           "familyFriendly": "no"})
    # A real output of the shipped model.
    found = check_grounding("It pairs Alexa, Google Assistant and Google's built-in hub.", plug)
    assert found.contradicted == ["hub required: hub"]
    for fine in ("No hub needed.", "A hub is not required.", "It works without a hub.",
                 "A non family friendly place."):
        assert check_grounding(fine, plug).contradicted == [], fine


TABLE = ScoreInputs(title="Nordby Oak Table", brand="Nordby",
                    attributes={"material": "solid oak", "life stage": "senior"})


@pytest.mark.parametrize(
    "text, unsupported",
    [
        # How it was made, and whom it suits, are claims the fields must make.
        ("It is handmade from solid oak.", ["property: handmade"]),
        ("A hand-crafted oak table.", ["property: hand-crafted"]),
        ("It is suitable for vegans.", ["suitable for: vegans"]),
        # How well it is made claims nothing; what the fields say is supported.
        ("A well-made, beautifully crafted oak table, made from solid oak.", []),
        ("Suitable for senior dogs.", []),
        ("Not suitable for children.", []),
    ],
)
def test_how_it_was_made_and_whom_it_suits_need_the_fields(text, unsupported):
    assert check_grounding(text, TABLE).unsupported == unsupported


def test_a_hand_made_product_may_say_so():
    made = ScoreInputs(title="Nordby Handmade Oak Table", attributes={"material": "oak"})
    assert check_grounding("It is hand-made from oak.", made).unsupported == []


def test_a_key_of_symbols_alone_is_no_unit_and_no_crash():
    # A fuzzed catalog row: a key whose only word-like character is an underscore.
    odd = ScoreInputs(title="Oak Table", attributes={"–+_ ×": "0", "length": "180 cm"})
    assert check_grounding("An oak table, 180 cm long.", odd).contradicted == []


def test_a_name_with_a_number_is_the_fields_however_capitalised():
    # "Omega-3" in the title is a name's number; the text's "omega-3" is the same word.
    oil = ScoreInputs(title="Oceanic Omega-3 Fish Oil", brand="Oceanic",
                      attributes={"dose": "1000 mg", "count": "60"})
    said = "Oceanic's omega-3 fish oil: 60 softgels of 1000 mg."
    assert check_grounding(said, oil).unsupported == []
    assert check_grounding("Oceanic's omega-6 fish oil.", oil).unsupported == ["number: 6 fish"]


def test_a_duration_after_takes_is_no_feature():
    vacuum = ScoreInputs(title="Cordless vacuum", attributes={"charging time": "4 h",
                                                              "remote": "2 AA batteries"})
    said = "A full charge takes 4 hours, and setting it up takes a few minutes."
    assert check_grounding(said, vacuum).unsupported == []
    assert check_grounding("The remote takes 2 AA batteries.", vacuum).unsupported == []
    assert check_grounding("It takes a lens hood.", vacuum).unsupported == ["feature: lens hood"]


KNIFE = ScoreInputs(
    title="Nakiri Vegetable Knife 16.5 cm", brand="Marrow & Oak", category="Kitchen Knives",
    attributes={"blade length": "16.5 cm", "steel": "AUS-8", "edge angle": "15°",
                "hardness": "58 HRC", "handle material": "walnut"},
)


def test_a_grades_number_a_decimal_and_a_bare_degree_sign_are_read_right():
    # "AUS-8" names a steel (no number of the steel to bind 58 HRC to); "16.5" ends no sentence;
    # "15°" is an angle, and 21° another one.
    good = ("The Marrow & Oak Nakiri has a flat 16.5 cm blade. AUS-8 steel at 58 HRC takes a "
            "fine 15° edge.")
    g = check_grounding(good, KNIFE)
    assert g.contradicted == [] and g.unsupported == [], g
    assert check_grounding("It is sharpened to a 21° edge.", KNIFE).contradicted == [
        "number: 21 °"]


def test_a_place_adjective_is_stated_by_its_place_and_no_other():
    tea = ScoreInputs(title="Earl Grey Supreme", brand="Teller & Pike",
                      attributes={"origin": "Sri Lanka", "tea type": "black"})
    assert check_grounding("It blends Sri Lankan black tea with bergamot.", tea).unsupported == []
    assert check_grounding("It blends Kenyan black tea with bergamot.", tea).unsupported == [
        "name: Kenyan"]


def test_a_summary_is_grounded_on_its_fields_and_its_reviews():
    drone = ScoreInputs(
        title="Skylark Mini 4K Drone", brand="Skylark", category="Camera Drones",
        attributes={"video": "4K", "gimbal": "3-axis", "colour": "grey"},
        reviews=("Steady 4K video and easy to fly.", "Flights are short but the footage is great.",
                 "My old DJI was louder."), mean_rating=4.3)
    cfg = QualityConfig()
    good = score_text("Owners praise the steady video and easy flying; some find flights short, "
                      "and one finds it quieter than a DJI.", None, bounds=(3, 80), cfg=cfg,
                      inputs=drone)
    assert good.status == ACCEPTED, good
    # A brand neither the fields nor the reviews name, where the product's own belongs.
    other = score_text("Owners say this compact Parrot drone films steady video, though flights "
                       "are short.", None, bounds=(3, 80), cfg=cfg, inputs=drone)
    assert "name: Parrot" in other.unsupported_aspects and other.status != ACCEPTED
    # Another colour than the fields' single one.
    white = score_text("Owners like the white finish and the steady video, though flights are "
                       "short.", None, bounds=(3, 80), cfg=cfg, inputs=drone)
    assert "colour: white" in white.contradicted_facts and white.status != ACCEPTED


def test_a_value_before_a_word_that_makes_another_keys_whole_value_is_that_value():
    knife = ScoreInputs(title="Classic Chef's Knife", attributes={
        "tang": "full", "bolster": "full bolster", "handle material": "POM"})
    assert check_grounding("A full bolster guards your fingers.", knife).contradicted == []
    assert check_grounding("It has a full handle.", knife).contradicted == ["tang: full handle"]


def test_whom_a_product_takes_a_rate_key_and_a_hyphenated_pair_of_field_words_claim_nothing():
    stroller = ScoreInputs(title="Ridgeway All-Terrain Stroller", attributes={
        "max child weight": "15 kg", "wheels": "air-filled", "connection": "USB only"})
    text = ("The Ridgeway takes the rough with the smooth and takes children up to 15 kg. "
            "Its USB-only connection is simple.")
    g = check_grounding(text, stroller)
    assert g.unsupported == [] and g.contradicted == [], g
    brush = ScoreInputs(title="Denta Sonic 5", attributes={
        "technology": "sonic", "strokes per minute": "31,000", "brush head": "soft"})
    assert check_grounding("Sonic strokes and a sonic head clean gently.", brush).contradicted == []


def test_a_thing_measured_by_a_number_of_the_fields_is_theirs():
    blender = ScoreInputs(title="Swirl Go Blender", brand="Whirlen",
                          attributes={"capacity": "1.5 L", "wattage": "1000 W"})
    assert check_grounding("It comes with a 1.5 L jar.", blender).unsupported == []
    assert check_grounding("It comes with a travel jar.", blender).unsupported == [
        "feature: travel jar"]


def test_a_feature_other_products_of_the_catalog_have_is_unsupported_where_the_fields_lack_it():
    from enrich.quality.domains import AttributeDomains

    catalog = AttributeDomains.learn(
        [("folding handle", "yes"), ("auto shut-off", "Yes"), ("cool shot", "no"),
         ("foldable", "TRUE"), ("wattage", "2200 W")])
    assert catalog.features == {"folding handle", "auto shut off", "foldable"}
    dryer = ScoreInputs(title="AirPro 2200", attributes={"wattage": "2200 W", "motor": "AC"})
    text = "Fold the handle away when you travel; an automatic shut-off turns it off."
    g = check_grounding(text, dryer, domains=catalog)
    assert g.unsupported == ["feature: auto shut off", "feature: folding handle"], g
    # Not where the product has the key, the fields say it in another form, the text denies
    # it, or a shorter word ("hand") only begins the key's ("handle").
    own = ScoreInputs(title="Compact 1200", attributes={
        "folding handle": "yes", "portability": "foldable", "auto shut-off": "no"})
    assert check_grounding("It folds with one hand and has a folding handle.", own,
                           domains=catalog).unsupported == []
    assert check_grounding("There is no folding handle; it folds with one hand.", dryer,
                           domains=catalog).unsupported == []
    # A summary names what buyers wish the product had.
    assert check_grounding("Buyers wish it had a folding handle.", dryer, domains=catalog,
                           reviews="I wish it had a folding handle.").unsupported == []


def test_a_summary_gives_the_product_what_a_field_denies_unless_buyers_miss_it():
    drone = ScoreInputs(title="Kiddo Flyer", attributes={"gimbal": "none", "colour": "red"})
    reviews = "Blurry video. Wish it had a gimbal."
    said = check_grounding("Shaky footage despite the gimbal-stabilised camera.", drone,
                           reviews=reviews)
    assert said.contradicted == ["gimbal: gimbal"], said
    for text in ("Buyers wish it had a gimbal.", "The lack of a gimbal shows.",
                 "A gimbal-free camera films shaky video."):
        assert check_grounding(text, drone, reviews=reviews).contradicted == [], text


def test_a_real_material_is_not_its_imitation():
    bag = ScoreInputs(title="Mini Backpack", attributes={"material": "PU leather",
                                                         "lining": "cotton"})
    assert check_grounding("The genuine leather peels.", bag).contradicted == [
        "material: genuine leather"]
    assert check_grounding("The faux leather peels; a natural cotton lining.", bag).contradicted == []
    shoe = ScoreInputs(title="Chelsea Boot", attributes={"upper": "leather"})
    assert check_grounding("A vegan leather upper.", shoe).contradicted == ["upper: vegan leather"]
    # A review's own words are the summary's to repeat.
    assert check_grounding("Buyers call it real leather.", bag,
                           reviews="Feels like real leather.").contradicted == []


def test_a_value_is_said_of_its_own_keys_part_and_of_a_measured_thing_it_modifies():
    from enrich.quality.domains import AttributeDomains

    drone = ScoreInputs(title="Mini 4K", attributes={
        "obstacle sensing": "downward", "sensor": "1/2.3-inch", "gimbal": "3-axis"})
    assert check_grounding("Downward sensors help it land.", drone).contradicted == []
    # "moderate" is another shoe's cushioning; here it is said of the 8 mm drop.
    catalog = AttributeDomains.learn([("cushioning", "max"), ("cushioning", "moderate")])
    shoe = ScoreInputs(title="Velo Tempo 3", attributes={
        "heel-to-toe drop": "8 mm", "stack height": "36 mm", "cushioning": "max"})
    text = "It stacks 36 mm of cushioning under you, with a moderate 8 mm drop."
    assert check_grounding(text, shoe, domains=catalog).contradicted == []
    assert check_grounding("Its moderate cushioning suits easy runs.", shoe,
                           domains=catalog).contradicted == ["cushioning: moderate"]


def test_a_spec_list_its_labels_and_hyphenated_field_words_name_nothing():
    jacket = ScoreInputs(title="Stormline 2.5L", brand="Nordvik", attributes={
        "breathability": "15,000 g/m²/24h", "laminate": "PU coating",
        "shell material": "polyurethane-coated polyester",
        "connectivity": "USB-C, Bluetooth 5.1, 2.4 GHz"})
    text = ("Nordvik Stormline 2.5L\n- Breathable: 15,000 g/m²/24h\n• Connection: USB-C / "
            "Bluetooth 5.1 / 2.4 GHz\nA PU-coated polyester shell.")
    g = check_grounding(text, jacket)
    assert g.unsupported == [] and g.contradicted == [], g


def test_a_denied_things_words_come_together_and_a_lining_is_a_property():
    jacket = ScoreInputs(title="Torvik Commuter", attributes={
        "pit zips": "no", "pockets": "4", "shell material": "polyamide"})
    assert check_grounding("The chest-pocket zip broke.", jacket,
                           reviews="The chest pocket zip broke.").contradicted == []
    assert check_grounding("Pit zips keep you cool.", jacket).contradicted == ["pit zip: pit zip"]
    assert check_grounding("A fleece-lined polyamide shell.", jacket).unsupported == [
        "property: fleece-lined"]
    lined = ScoreInputs(title="Puddle Jacket", attributes={"lining": "fleece"})
    assert check_grounding("A fleece-lined shell.", lined).unsupported == []


def test_spec_lines_kinds_lists_and_number_words_in_names_claim_nothing_wrong():
    from enrich.quality.domains import AttributeDomains

    station = ScoreInputs(title="Trek 1000", brand="VoltHaven", attributes={
        "capacity": "1024 Wh", "battery chemistry": "LiFePO4", "AC outlets": "4",
        "solar input": "12-60 V, max 500 W", "UPS function": "yes"})
    text = ("The Trek 1000 packs 1024 Wh of LiFePO4 storage. Four AC outlets power it all.\n"
            "- Solar input 12-60 V, up to 500 W\n- UPS function")
    g = check_grounding(text, station)
    assert g.unsupported == [] and g.contradicted == [], g
    reader = ScoreInputs(title="Page 6", attributes={
        "display type": "E Ink Carta", "screen size": "6 in",
        "resolution": "300 ppi black-and-white, 150 ppi colour"})
    g = check_grounding("A 6-inch E Ink Carta screen, 300 ppi in black and white.", reader)
    assert g.unsupported == [] and g.contradicted == [], g
    # A list value whose other item the domain does not hold ("BaK-4"): "roof" is compared.
    catalog = AttributeDomains.learn([("prism type", "roof, BaK-4"), ("prism type", "porro")])
    binoculars = ScoreInputs(title="Ranger 8x42", attributes={"prism type": "roof, BaK-4"})
    assert check_grounding("BaK-4 porro prisms.", binoculars, domains=catalog).contradicted == [
        "prism type: porro"]


def test_what_a_yes_no_key_of_a_function_denies_and_a_free_property_by_none():
    station = ScoreInputs(title="Spark 300", attributes={"UPS function": "no", "weight": "3.4 kg"})
    assert check_grounding("Leave it plugged in as a UPS for your router.", station
                           ).contradicted == ["ups function: ups"]
    binoculars = ScoreInputs(title="Ranger", attributes={"waterproof": "yes"})
    reviews = "Got caught in a downpour, no fogging or water inside."
    assert check_grounding("One says they stayed fog-free in a downpour.", binoculars,
                           reviews=reviews).unsupported == []


def test_common_words_opening_a_sentence_possessives_and_predicates_are_no_claims():
    boots = ScoreInputs(title="Tindra Aurora 95 W", brand="Tindra", attributes={
        "liner": "memory foam", "walk mode": "yes"})
    for text in ("Comfort comes first in the Aurora 95 W.",
                 "Skiers will appreciate the walk mode.",
                 "The Aurora 95 W's memory foam liner is warm."):
        assert check_grounding(text, boots).unsupported == [], text
    assert check_grounding("Dunmore makes the walk mode easy.", boots).unsupported == [
        "name: Dunmore"]
    blender = ScoreInputs(title="Torque Pro", brand="Blendara", attributes={"power": "1500 W"})
    assert check_grounding("The Torque Pro is part of Blendara's Torrapak line.", blender
                           ).unsupported == ["line: Blendara's Torrapak line"]  # reported once
    machine = ScoreInputs(title="Atelier 320", reviews=("The hard cover keeps dust off.",),
                          attributes={"included accessories": "extension table, hard cover"})
    g = check_grounding("Buyers find the extension table and hard cover useful.", machine,
                        reviews="The hard cover keeps dust off.")
    assert g.contradicted == [], g


def test_an_ip_code_states_the_water_and_dust_properties_it_rates():
    buds = ScoreInputs(title="Pulse S2", attributes={"water resistance": "IPX5"})
    assert check_grounding("Splash-proof and sweat-resistant buds.", buds).unsupported == []
    assert check_grounding("Fully waterproof buds.", buds).unsupported == [
        "property: waterproof"]
    speaker = ScoreInputs(title="Boomer", attributes={"rating": "IP67"})
    assert check_grounding("A waterproof, dustproof speaker.", speaker).unsupported == []

"""The demo catalog's categories: brands, product lines, attribute specs, phrasing, aspects.

Pure data plus the small types that describe it; :mod:`enrich.demo.generator` draws products and
reviews from it. Adding a category means adding one :class:`Category` to :data:`CATEGORIES`.
"""

from __future__ import annotations

from dataclasses import dataclass

# A condition on the attributes chosen so far: (key, substring, expected). It holds when
# "the key is present and its value contains substring" equals expected; "" tests presence.
Cond = tuple[str, str, bool]


@dataclass(frozen=True)
class AttrSpec:
    key: str
    values: tuple[str, ...]
    required: bool = False
    # Only refers to keys of required specs listed earlier, so it can be checked in order.
    when: Cond | None = None


@dataclass(frozen=True)
class Aspect:
    label: str
    pos: tuple[str, ...]
    neg: tuple[str, ...]
    # Reviewers only discuss what the product has: no battery talk for wired headphones.
    when: Cond | None = None
    # Whether "The {label} is excellent." and "Excellent {label}" read naturally: not for
    # plural labels ("armrests") or ones where praise is an absence ("noise level").
    generic: bool = True


@dataclass(frozen=True)
class Category:
    name: str
    a_singular: str
    short: str
    use: str
    plural: bool
    brands: tuple[str, ...]
    lines: tuple[str, ...]
    models: tuple[str, ...]
    nouns: tuple[tuple[str, Cond | None], ...]
    attrs: tuple[AttrSpec, ...]
    # key -> (noun-phrase fragments, whole sentences); placeholders {v} {vl} {avl} {Avl}.
    text: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
    closers: tuple[str, ...]
    aspects: tuple[Aspect, ...]
    contexts: tuple[str, ...]
    title_attr: str | None = None


def holds(cond: Cond | None, attrs: dict[str, str]) -> bool:
    if cond is None:
        return True
    key, sub, expected = cond
    value = attrs.get(key)
    return (value is not None and sub in value) == expected


# Attribute phrasing every category shares unless it says otherwise.
GENERIC_TEXT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "color": (
        ("a {vl} finish", "the {vl} colorway"),
        ("{It} come{s} in {vl}.", "Shown here in {vl}."),
    ),
    "material": (("{vl} construction",), ("{It} {be} made from {vl}.",)),
    "weight": (("a weight of {v}",), ("{It} weigh{s} {v}.",)),
    "dimensions": (("dimensions of {v}",), ("{It} measure{s} {v}.",)),
}


def _sizes(low: float, high: float) -> tuple[str, ...]:
    out, size = [], low
    while size <= high:
        out.append(f"US {size:g}")
        size += 0.5
    return tuple(out)


CATEGORIES: tuple[Category, ...] = (
    Category(
        name="headphones",
        a_singular="a pair of headphones",
        short="headphones",
        use="listening",
        plural=True,
        brands=("Auralis", "Tonewell", "Quorra", "Halvik", "Brimsound", "Nuvellon", "Echoria"),
        lines=("Pulse", "Nimbus", "Drift", "Arc", "Cadence", "Halo", "Vista", "Reverb"),
        models=("100", "200", "300", "500", "700", "Pro", "Air", "Max", "Lite", "II"),
        nouns=(
            ("Headphones", None),
            ("Wireless Headphones", ("connectivity", "Bluetooth", True)),
            ("Over-Ear Headphones", ("form_factor", "Over-ear", True)),
            ("On-Ear Headphones", ("form_factor", "On-ear", True)),
            ("Earbuds", ("form_factor", "In-ear", True)),
        ),
        attrs=(
            AttrSpec("form_factor", ("Over-ear", "On-ear", "In-ear"), True),
            AttrSpec(
                "connectivity",
                ("Bluetooth 5.3", "Bluetooth 5.2", "Bluetooth 5.0", "3.5 mm wired", "USB-C wired"),
                True,
            ),
            AttrSpec(
                "color",
                ("Black", "White", "Midnight blue", "Sand", "Graphite", "Silver", "Forest green"),
                True,
            ),
            AttrSpec(
                "battery_life",
                ("20 h", "24 h", "30 h", "40 h", "50 h", "60 h"),
                when=("connectivity", "Bluetooth", True),
            ),
            AttrSpec(
                "noise_cancelling",
                ("Active noise cancelling", "Hybrid active noise cancelling", "Passive isolation"),
            ),
            AttrSpec(
                "driver_size",
                ("32 mm", "40 mm", "45 mm", "50 mm"),
                when=("form_factor", "In-ear", False),
            ),
            AttrSpec(
                "driver_size", ("6 mm", "10 mm", "12 mm"), when=("form_factor", "In-ear", True)
            ),
            AttrSpec(
                "weight",
                ("220 g", "250 g", "265 g", "280 g", "310 g"),
                when=("form_factor", "In-ear", False),
            ),
            AttrSpec(
                "microphone",
                (
                    "Built-in microphone",
                    "Dual beamforming microphones",
                    "Detachable boom microphone",
                ),
            ),
            AttrSpec(
                "water_resistance", ("IPX4", "IPX5", "IP54"), when=("form_factor", "In-ear", True)
            ),
        ),
        text={
            "form_factor": (("{avl} design", "{avl} fit"), ("{It} use{s} {avl} design.",)),
            "connectivity": (("{v} connectivity", "{avl} connection"), ()),
            "battery_life": (
                (
                    "up to {v} of battery life",
                    "{v} of playback per charge",
                    "a battery rated for {v}",
                ),
                ("A full charge is rated for up to {v} of listening.",),
            ),
            "noise_cancelling": (("{vl}",), ("{v} helps tune out the world around you.",)),
            "driver_size": (("{v} drivers",), ("Sound comes from {v} drivers.",)),
            "microphone": (("{avl} for calls", "{vl} for calls"), ()),
            "water_resistance": (
                ("{avl} rating", "{v} water resistance"),
                ("{Avl} rating means a little sweat or rain is no problem.",),
            ),
        },
        closers=(
            "Made for long listening sessions at home or on the move.",
            "A solid everyday pair for music and podcasts.",
        ),
        aspects=(
            Aspect(
                "sound quality",
                (
                    "The sound is rich and clear, with punchy bass.",
                    "Sound quality is excellent for the price.",
                    "Vocals are crisp and the bass is tight without being boomy.",
                ),
                (
                    "Sound is muddy and the highs are harsh.",
                    "The bass is weak and everything sounds thin.",
                    "Audio quality is underwhelming for the price.",
                ),
            ),
            Aspect(
                "battery life",
                (
                    "Battery easily lasts the claimed {battery_life}.",
                    "I only charge them about once a week.",
                    "Battery life is fantastic.",
                ),
                (
                    "Battery drains much faster than the advertised {battery_life}.",
                    "I have to charge them almost every day.",
                    "Battery life is nowhere near what was promised.",
                ),
                when=("battery_life", "", True),
            ),
            Aspect(
                "comfort",
                (
                    "They stay comfortable even after hours of wear.",
                    "Light and comfortable, I forget I'm wearing them.",
                    "The fit is snug but never painful.",
                ),
                (
                    "They start to hurt after about an hour.",
                    "Too tight, and my ears get hot.",
                    "Uncomfortable for longer sessions.",
                ),
            ),
            Aspect(
                "noise cancelling",
                (
                    "Noise cancelling blocks out the train and the office chatter.",
                    "The noise cancelling is surprisingly effective.",
                    "Great isolation on flights.",
                ),
                (
                    "Noise cancelling barely makes a difference.",
                    "The noise cancelling creates an odd pressure feeling.",
                    "They let in a lot of background noise.",
                ),
                when=("noise_cancelling", "", True),
            ),
            Aspect(
                "build quality",
                (
                    "Build quality feels solid and premium.",
                    "Nothing creaks and they feel well made.",
                    "They have survived being thrown in my bag every day.",
                ),
                (
                    "The plastic feels cheap and creaks.",
                    "One side stopped working within a month.",
                    "Build quality is flimsy.",
                ),
            ),
            Aspect(
                "connection",
                (
                    "Pairing was instant and the connection is stable.",
                    "Not a single dropout so far.",
                    "Switching between phone and laptop is painless.",
                ),
                (
                    "The connection drops every few minutes.",
                    "Pairing is a hassle every single time.",
                    "Audio keeps cutting out when my phone is in my pocket.",
                ),
                when=("connectivity", "Bluetooth", True),
            ),
        ),
        contexts=(
            "I use {them} on my daily commute.",
            "Bought {them} for working from home.",
            "I mostly wear {them} at the gym.",
        ),
    ),
    Category(
        name="running shoes",
        a_singular="a pair of running shoes",
        short="shoes",
        use="running",
        plural=True,
        brands=("Stridemark", "Velotra", "Runvane", "Tempova", "Zephra", "Norrun"),
        lines=("Glide", "Tempo", "Surge", "Ridge", "Flux", "Comet", "Vector", "Summit"),
        models=("2", "3", "4", "5", "GT", "Pro", "Lite", "Elite"),
        nouns=(
            ("Running Shoes", None),
            ("Trainers", None),
            ("Trail Running Shoes", ("terrain", "Trail", True)),
            ("Road Running Shoes", ("terrain", "Road", True)),
        ),
        attrs=(
            AttrSpec("terrain", ("Road", "Trail", "Road and track"), True),
            AttrSpec("size", _sizes(6, 13), True),
            AttrSpec(
                "color",
                ("Black/white", "Volt yellow", "Navy", "Grey/orange", "All white", "Coral", "Teal"),
                True,
            ),
            AttrSpec(
                "upper_material", ("Engineered mesh", "Knit", "Recycled mesh", "Synthetic mesh")
            ),
            AttrSpec("drop", ("4 mm", "6 mm", "8 mm", "10 mm", "12 mm")),
            AttrSpec("weight", tuple(f"{g} g" for g in range(210, 320, 10))),
            AttrSpec("cushioning", ("Light", "Moderate", "Max")),
            AttrSpec("width", ("Standard", "Wide")),
            AttrSpec("outsole", ("Carbon rubber", "Blown rubber", "Lugged rubber")),
        ),
        text={
            "terrain": (
                ("a design made for {vl} running",),
                ("{It} {be} designed for {vl} running.",),
            ),
            "size": ((), ("This listing is for size {v}.", "Shown here in size {v}.")),
            "color": (
                ("the {vl} colorway",),
                ("This pair comes in {vl}.", "{It} come{s} in a {vl} colorway."),
            ),
            "upper_material": (("{avl} upper",), ("The upper is {vl}.",)),
            "drop": (("{avl} heel-to-toe drop",), ("The heel-to-toe drop is {v}.",)),
            "weight": (("a weight of {v} per shoe",), ("Each shoe weighs {v}.",)),
            "cushioning": (("{vl} cushioning",), ("The midsole offers {vl} cushioning.",)),
            "width": (("{avl} width",), ("{It} come{s} in {avl} width.",)),
            "outsole": (("{avl} outsole",), ("The outsole is {vl}.",)),
        },
        closers=(
            "Lace up and head out the door.",
            "Ready for easy miles and faster days alike.",
        ),
        aspects=(
            Aspect(
                "comfort",
                (
                    "Comfortable straight out of the box, no break-in needed.",
                    "My feet feel fresh even after a long run.",
                    "Probably the most comfortable shoes I've run in.",
                ),
                (
                    "They rub on my heel and gave me blisters.",
                    "My feet ache after anything longer than a few kilometres.",
                    "Stiff and uncomfortable, even after a month.",
                ),
            ),
            Aspect(
                "cushioning",
                (
                    "The cushioning is soft but still responsive.",
                    "Plenty of bounce underfoot.",
                    "Great cushioning for long easy runs.",
                ),
                (
                    "The cushioning feels flat and dead.",
                    "Too firm for anything but short runs.",
                    "The foam packed down after a few weeks.",
                ),
            ),
            Aspect(
                "sizing",
                (
                    "True to size, I ordered my usual.",
                    "The sizing is spot on.",
                    "Fit exactly like my previous pair.",
                ),
                (
                    "They run small, order half a size up.",
                    "Sizing is way off, I had to exchange them.",
                    "Much narrower than expected.",
                ),
            ),
            Aspect(
                "grip",
                (
                    "Grip is excellent, even on wet pavement.",
                    "The outsole grips well on every surface I've tried.",
                    "I feel confident on slippery corners.",
                ),
                (
                    "They are slippery on wet roads.",
                    "Grip is poor on loose gravel.",
                    "I nearly fell twice on damp pavement.",
                ),
            ),
            Aspect(
                "durability",
                (
                    "Hundreds of kilometres in and they still look new.",
                    "Very durable, the outsole barely shows wear.",
                    "They have held up really well.",
                ),
                (
                    "The upper tore after a couple of months.",
                    "The outsole wore through far too quickly.",
                    "Durability is disappointing for the price.",
                ),
            ),
            Aspect(
                "breathability",
                (
                    "Very breathable, my feet stay cool.",
                    "Great airflow on hot days.",
                    "They never feel sweaty.",
                ),
                (
                    "My feet get hot and sweaty in them.",
                    "Not breathable at all in summer.",
                    "They trap heat on longer runs.",
                ),
            ),
        ),
        contexts=(
            "I've put about a hundred miles on {them} so far.",
            "Bought {them} to train for my first half marathon.",
            "I use {them} for easy runs and the odd tempo session.",
        ),
    ),
    Category(
        name="coffee makers",
        a_singular="a coffee maker",
        short="coffee maker",
        use="coffee",
        plural=False,
        brands=("Brevora", "Kaffelund", "Morrowbrew", "Beanwright", "Ostrello", "Crema Vale"),
        lines=("Aroma", "Barista", "Morning", "Caldera", "Ember", "Roast", "Bloom"),
        models=("100", "200", "Plus", "Pro", "S", "XL", "One"),
        nouns=(
            ("Coffee Maker", None),
            ("Drip Coffee Maker", ("type", "Drip", True)),
            ("Espresso Machine", ("type", "Espresso", True)),
            ("Single-Serve Coffee Maker", ("type", "Single-serve", True)),
        ),
        attrs=(
            AttrSpec("type", ("Drip", "Single-serve", "Espresso"), True),
            AttrSpec("capacity", ("1.25 L", "1.5 L", "1.8 L"), True, ("type", "Drip", True)),
            AttrSpec(
                "water_tank", ("350 ml", "450 ml", "1.2 L", "1.5 L"), True, ("type", "Drip", False)
            ),
            AttrSpec("wattage", ("900 W", "1000 W", "1200 W", "1350 W", "1450 W"), True),
            AttrSpec("color", ("Black", "White", "Brushed silver", "Red", "Cream", "Matte black")),
            AttrSpec(
                "material", ("Stainless steel", "BPA-free plastic", "Stainless steel and glass")
            ),
            AttrSpec("pressure", ("15 bar", "19 bar", "20 bar"), when=("type", "Espresso", True)),
            AttrSpec(
                "carafe", ("Glass", "Thermal stainless steel"), when=("type", "Drip", True)
            ),
            AttrSpec("timer", ("24-hour programmable",), when=("type", "Espresso", False)),
            AttrSpec(
                "milk_frother", ("Steam wand", "Automatic frother"), when=("type", "Espresso", True)
            ),
            AttrSpec(
                "dimensions",
                ("24 x 20 x 35 cm", "28 x 22 x 38 cm", "20 x 30 x 32 cm", "15 x 30 x 28 cm"),
            ),
        ),
        text={
            "type": (("{vl} brewing",), ()),
            "capacity": (
                ("{avl} carafe capacity", "room for {v} of coffee"),
                ("{It} brew{s} up to {v} at a time.",),
            ),
            "water_tank": (("{avl} water tank",), ("The water tank holds {v}.",)),
            "wattage": (
                ("{v} of power", "{avl} heating element"),
                ("{Avl} heater gets the brew going quickly.",),
            ),
            "material": (("{vl} construction", "{avl} body"), ("The body is {vl}.",)),
            "pressure": (("{v} of pump pressure",), ("{Avl} pump handles the espresso shots.",)),
            "carafe": (("{avl} carafe",), ("Coffee brews straight into {avl} carafe.",)),
            "timer": (
                ("{avl} timer",),
                ("{Avl} timer means coffee can be ready when you wake up.",),
            ),
            "milk_frother": (("{avl} for milk drinks",), ()),
        },
        closers=(
            "A reliable start to the morning.",
            "Fill it, switch it on and enjoy your first cup.",
        ),
        aspects=(
            Aspect(
                "taste",
                (
                    "Makes a genuinely good cup of coffee.",
                    "The coffee tastes rich and never burnt.",
                    "Best coffee I've made at home.",
                ),
                (
                    "The coffee tastes weak and watery.",
                    "Everything comes out slightly bitter.",
                    "Coffee has a plastic aftertaste.",
                ),
            ),
            Aspect(
                "brewing speed",
                (
                    "It brews quickly, even first thing in the morning.",
                    "Heats up in no time.",
                    "Fast enough that I'm never waiting around.",
                ),
                (
                    "It takes forever to brew a full pot.",
                    "Painfully slow to heat up.",
                    "Brewing is much slower than my old machine.",
                ),
            ),
            Aspect(
                "cleanup",
                (
                    "Very easy to clean, the parts come apart quickly.",
                    "Descaling is simple.",
                    "Cleanup takes a minute at most.",
                ),
                (
                    "A pain to clean, grounds get everywhere.",
                    "Hard to reach parts that build up residue.",
                    "Cleaning it is a chore.",
                ),
            ),
            Aspect(
                "build quality",
                (
                    "Feels sturdy and well built.",
                    "Solid build, nothing feels flimsy.",
                    "Looks great on the counter and feels premium.",
                ),
                (
                    "The lid hinge broke after a few weeks.",
                    "It started leaking from the bottom within a month.",
                    "Feels cheap and flimsy.",
                ),
            ),
            Aspect(
                "noise level",
                (
                    "Quiet enough not to wake anyone up.",
                    "Surprisingly quiet while brewing.",
                    "Much quieter than my old machine.",
                ),
                (
                    "It is really loud while brewing.",
                    "The pump is noisy enough to wake the house.",
                    "Very loud, it rattles the whole counter.",
                ),
                generic=False,
            ),
            Aspect(
                "temperature",
                (
                    "Coffee comes out nice and hot.",
                    "Keeps the coffee at a good temperature.",
                    "The temperature is just right.",
                ),
                (
                    "The coffee is lukewarm at best.",
                    "Coffee is never hot enough.",
                    "It doesn't keep the coffee warm for long.",
                ),
            ),
        ),
        contexts=(
            "We use it every morning before work.",
            "Bought it to replace our old machine.",
            "I mostly brew on weekends.",
        ),
    ),
    Category(
        name="backpacks",
        a_singular="a backpack",
        short="backpack",
        use="carry",
        plural=False,
        brands=("Trailwick", "Packora", "Fernhold", "Cairnly", "Roamster", "Vantor"),
        lines=("Nomad", "Transit", "Ridge", "Metro", "Summit", "Voyager", "Scout", "Harbor"),
        models=("Pro", "Lite", "II", "Plus", "X", "Daily"),
        nouns=(
            ("Backpack", None),
            ("Daypack", None),
            ("Travel Backpack", None),
            ("Laptop Backpack", ("laptop_sleeve", "", True)),
        ),
        attrs=(
            AttrSpec("capacity", ("18 L", "20 L", "24 L", "28 L", "30 L", "35 L"), True),
            AttrSpec(
                "material",
                ("Recycled polyester", "Nylon", "Waxed canvas", "Cordura nylon", "Ripstop nylon"),
                True,
            ),
            AttrSpec(
                "color",
                ("Black", "Olive", "Charcoal", "Navy", "Sand", "Burgundy", "Slate blue"),
                True,
            ),
            AttrSpec("laptop_sleeve", ("13 in", "14 in", "15 in", "16 in", "17 in")),
            AttrSpec("water_resistance", ("Water-resistant coating", "Weatherproof roll-top")),
            AttrSpec("weight", ("0.6 kg", "0.8 kg", "0.9 kg", "1.1 kg", "1.3 kg")),
            AttrSpec(
                "dimensions",
                ("45 x 30 x 15 cm", "48 x 31 x 18 cm", "50 x 32 x 20 cm", "42 x 28 x 14 cm"),
            ),
            AttrSpec("pockets", ("6", "8", "10", "12")),
            AttrSpec("closure", ("Zip-around", "Roll-top", "Drawstring and flap")),
        ),
        text={
            "capacity": (
                ("{v} of storage", "{avl} main compartment"),
                ("With {v} of space, there is room for the day's essentials.",),
            ),
            "material": (("{vl} construction", "{avl} shell"), ("The shell is made from {vl}.",)),
            "laptop_sleeve": (
                ("a laptop sleeve that fits up to {v}",),
                ("A dedicated sleeve fits laptops up to {v}.",),
            ),
            "water_resistance": (("{avl}",), ("{Avl} helps keep the contents dry.",)),
            "pockets": (
                ("{v} pockets for smaller items", "{v} pockets"),
                ("{v} pockets keep smaller items organised.",),
            ),
            "closure": (("{avl} closure",), ()),
        },
        closers=(
            "Pack it once and forget about it.",
            "A dependable bag for work, school or weekends away.",
        ),
        aspects=(
            Aspect(
                "comfort",
                (
                    "The straps are comfortable even when it's fully loaded.",
                    "Sits well on my back, even on long walks.",
                    "Very comfortable to carry all day.",
                ),
                (
                    "The straps dig into my shoulders.",
                    "It gets uncomfortable after half an hour.",
                    "Sits awkwardly and pulls backwards.",
                ),
            ),
            Aspect(
                "storage",
                (
                    "Plenty of space and smart pockets for everything.",
                    "Fits way more than I expected.",
                    "The organisation inside is excellent.",
                ),
                (
                    "Smaller inside than it looks.",
                    "The pockets are oddly placed and hard to use.",
                    "Not enough room for a day's worth of stuff.",
                ),
            ),
            Aspect(
                "durability",
                (
                    "Daily use for a year and it still looks new.",
                    "The fabric is tough and the stitching is solid.",
                    "Built to last.",
                ),
                (
                    "The stitching came apart after a few months.",
                    "A seam ripped within weeks.",
                    "The fabric frayed quickly.",
                ),
            ),
            Aspect(
                "zippers",
                (
                    "The zippers are smooth and feel sturdy.",
                    "Zips glide easily, even when it's full.",
                    "Good quality zippers throughout.",
                ),
                (
                    "One of the zippers broke in the first month.",
                    "The zippers constantly snag.",
                    "Zippers feel cheap and stiff.",
                ),
                generic=False,
            ),
            Aspect(
                "laptop compartment",
                (
                    "The laptop sleeve keeps my laptop snug and protected.",
                    "My laptop fits perfectly in the sleeve.",
                    "Love the separate laptop compartment.",
                ),
                (
                    "My laptop barely fits in the sleeve.",
                    "The laptop sleeve has almost no padding.",
                    "The laptop compartment is awkward to get into.",
                ),
                when=("laptop_sleeve", "", True),
            ),
            Aspect(
                "water resistance",
                (
                    "Stayed dry inside through a proper downpour.",
                    "Rain just beads off it.",
                    "Everything stayed dry on a wet commute.",
                ),
                (
                    "Water soaked through in light rain.",
                    "My notebook got wet inside.",
                    "Not nearly as water-resistant as advertised.",
                ),
                when=("water_resistance", "", True),
            ),
        ),
        contexts=(
            "I carry it to work every day.",
            "Took it on a week-long trip.",
            "I use it for commuting by bike.",
        ),
        title_attr="capacity",
    ),
    Category(
        name="desk lamps",
        a_singular="a desk lamp",
        short="lamp",
        use="task lighting",
        plural=False,
        brands=("Lumetta", "Glowden", "Arclume", "Veyra", "Lanternby", "Solvika"),
        lines=("Beam", "Lumen", "Halo", "Focus", "Orbit", "Aura", "Prism"),
        models=("One", "Two", "Mini", "Pro", "S", "Plus", "200"),
        nouns=(
            ("Desk Lamp", None),
            ("LED Desk Lamp", None),
            ("Task Lamp", None),
            ("Architect Lamp", ("arm", "Swing", True)),
        ),
        attrs=(
            AttrSpec("brightness", ("400 lm", "500 lm", "600 lm", "800 lm", "1000 lm"), True),
            AttrSpec(
                "color_temperature", ("2700-6500 K", "3000-6000 K", "3000 K", "4000 K"), True
            ),
            AttrSpec(
                "color",
                ("Matte black", "White", "Brushed brass", "Silver", "Sage green", "Charcoal"),
                True,
            ),
            AttrSpec("material", ("Aluminium", "Steel", "ABS plastic", "Aluminium and oak")),
            AttrSpec("power", ("6 W", "8 W", "10 W", "12 W")),
            AttrSpec(
                "dimming", ("Stepless dimming", "5 brightness levels", "3 brightness levels")
            ),
            AttrSpec("usb_port", ("USB-A charging port", "USB-C charging port")),
            AttrSpec("arm", ("Swing arm", "Adjustable arm", "Gooseneck arm")),
            AttrSpec("base", ("Weighted base", "Clamp mount")),
        ),
        text={
            "brightness": (
                ("up to {v} of brightness", "{v} of light output"),
                ("At full power it puts out {v}.",),
            ),
            "color_temperature": (("a color temperature of {v}",), ()),
            "power": (
                ("a draw of just {v}", "{v} power consumption"),
                ("It draws just {v}.",),
            ),
            "dimming": (("{vl}",), ()),
            "usb_port": (("{avl}",), ("{Avl} lets you top up your phone.",)),
            "arm": (("{avl}",), ("{Avl} lets you aim the light where you need it.",)),
            "base": (("{avl}",), ()),
        },
        closers=(
            "A tidy, practical light for the desk.",
            "Good light where you need it, and nowhere else.",
        ),
        aspects=(
            Aspect(
                "brightness",
                (
                    "Plenty bright, I rarely run it at full power.",
                    "Lights up my whole desk easily.",
                    "Brightness is great for reading and detail work.",
                ),
                (
                    "Not bright enough for my desk.",
                    "Even at the highest setting it's dim.",
                    "Too dim for reading in the evening.",
                ),
            ),
            Aspect(
                "light quality",
                (
                    "The light is even with no flicker.",
                    "Easy on the eyes during late work sessions.",
                    "Colors look natural under it.",
                ),
                (
                    "There's a noticeable flicker at low brightness.",
                    "The light has a harsh bluish tint.",
                    "It gives me a headache after a while.",
                ),
            ),
            Aspect(
                "adjustability",
                (
                    "Easy to point exactly where I need it.",
                    "The arm holds its position perfectly.",
                    "Very flexible positioning.",
                ),
                (
                    "The arm droops over time.",
                    "Hard to angle it where I want.",
                    "The joints are too stiff to adjust.",
                ),
            ),
            Aspect(
                "stability",
                (
                    "Rock solid, it never tips over.",
                    "The base keeps it steady.",
                    "Very stable on my desk.",
                ),
                (
                    "It tips over when the arm is extended.",
                    "Wobbles every time I type.",
                    "The base is too light and it falls over.",
                ),
            ),
            Aspect(
                "build quality",
                (
                    "Feels solid and well made.",
                    "Nice weight to it and a quality finish.",
                    "Build quality is better than expected.",
                ),
                (
                    "Feels cheap and plasticky.",
                    "A joint cracked after a few weeks.",
                    "The finish started peeling quickly.",
                ),
            ),
            Aspect(
                "controls",
                (
                    "The touch controls are responsive and intuitive.",
                    "Simple, easy controls.",
                    "Dimming is smooth and easy.",
                ),
                (
                    "The touch controls are finicky.",
                    "Hard to find the buttons in the dark.",
                    "It forgets my settings every time.",
                ),
            ),
        ),
        contexts=(
            "It sits on my home office desk.",
            "I use it for reading at night.",
            "Bought it for sketching and drawing.",
        ),
    ),
    Category(
        name="t-shirts",
        a_singular="a t-shirt",
        short="tee",
        use="wear",
        plural=False,
        brands=("Loomwell", "Cottera", "Fieldthread", "Weftly", "Ardenne", "Osmund"),
        lines=("Essential", "Everyday", "Heritage", "Classic", "Studio", "Weekend", "Union"),
        models=("", "", "", "Signature", "Core"),
        nouns=(
            ("T-Shirt", None),
            ("Tee", None),
            ("Crew Neck Tee", ("neckline", "Crew", True)),
            ("V-Neck Tee", ("neckline", "V-neck", True)),
            ("Long Sleeve Tee", ("sleeve", "Long", True)),
        ),
        attrs=(
            AttrSpec(
                "material",
                (
                    "100% cotton",
                    "Organic cotton",
                    "Cotton-polyester blend",
                    "Merino wool",
                    "Linen-cotton blend",
                ),
                True,
            ),
            AttrSpec(
                "color",
                ("Heather grey", "Black", "White", "Navy", "Olive", "Rust", "Sky blue", "Oatmeal"),
                True,
            ),
            AttrSpec("size", ("XS", "S", "M", "L", "XL", "XXL"), True),
            AttrSpec("fit", ("Regular", "Slim", "Relaxed", "Oversized"), True),
            AttrSpec("neckline", ("Crew neck", "V-neck")),
            AttrSpec("sleeve", ("Short sleeves", "Long sleeves")),
            AttrSpec("fabric_weight", ("140 gsm", "160 gsm", "180 gsm", "220 gsm")),
            AttrSpec("care", ("Machine wash cold", "Machine wash at 30 °C")),
        ),
        text={
            "material": (
                ("{vl} fabric",),
                ("{It} {be} made from {vl}.", "The fabric is {vl}."),
            ),
            "color": (("the {vl} colorway",), ("This one comes in {vl}.",)),
            "size": ((), ("This listing is for size {v}.", "Shown here in size {v}.")),
            "fit": (("{avl} fit",), ("The cut is {vl}.",)),
            "neckline": (("{avl}",), ()),
            "sleeve": (("{vl}",), ()),
            "fabric_weight": (
                ("{avl} fabric weight",),
                ("The fabric weighs in at {v}.",),
            ),
            "care": ((), ("Care is simple: {vl}.",)),
        },
        closers=(
            "An easy layer for every day of the week.",
            "The kind of basic you reach for again and again.",
        ),
        aspects=(
            Aspect(
                "fabric",
                (
                    "The fabric feels soft and substantial.",
                    "Lovely fabric, not see-through at all.",
                    "Feels much nicer than the price suggests.",
                ),
                (
                    "The fabric is thin and almost see-through.",
                    "Feels scratchy against the skin.",
                    "The material pills after a few wears.",
                ),
            ),
            Aspect(
                "fit",
                (
                    "The fit is flattering without being tight.",
                    "Fits perfectly through the shoulders.",
                    "Great cut, it hangs nicely.",
                ),
                (
                    "Boxy and unflattering.",
                    "Way too tight across the chest.",
                    "The body is oddly long.",
                ),
            ),
            Aspect(
                "sizing",
                (
                    "True to size.",
                    "I ordered my usual size and it's spot on.",
                    "The sizing chart was accurate.",
                ),
                (
                    "Runs at least a size small.",
                    "Sizing is inconsistent, I had to return it.",
                    "Much bigger than the size chart says.",
                ),
            ),
            Aspect(
                "durability",
                (
                    "Still looks new after many washes.",
                    "Holds its shape wash after wash.",
                    "No shrinking or twisting after washing.",
                ),
                (
                    "Shrank noticeably after the first wash.",
                    "The seams twisted after a few washes.",
                    "A hole appeared within a month.",
                ),
            ),
            Aspect(
                "color",
                (
                    "The color is exactly as pictured.",
                    "The color hasn't faded at all.",
                    "Rich color that looks great.",
                ),
                (
                    "The color faded after a couple of washes.",
                    "The color looks nothing like the photos.",
                    "The dye bled in the wash.",
                ),
            ),
            Aspect(
                "comfort",
                (
                    "So comfortable I want one in every color.",
                    "Comfortable all day long.",
                    "Breathable and comfortable on hot days.",
                ),
                (
                    "Not comfortable to wear for long.",
                    "The collar is itchy.",
                    "It gets clammy and uncomfortable.",
                ),
            ),
        ),
        contexts=(
            "I bought a few in different colors.",
            "I wear it to the gym and around the house.",
            "Picked it up as a basic for layering.",
        ),
    ),
    Category(
        name="water bottles",
        a_singular="a water bottle",
        short="bottle",
        use="hydration",
        plural=False,
        brands=("Hydrava", "Aquenza", "Sipwell", "Kelda", "Brooklet", "Tidemere"),
        lines=("Flow", "Glacier", "Current", "Trek", "Spring", "Ripple", "Crest"),
        models=("", "Pro", "Sport", "Go", "Plus"),
        nouns=(
            ("Water Bottle", None),
            ("Sports Bottle", None),
            ("Bottle", None),
            ("Insulated Water Bottle", ("insulation", "", True)),
        ),
        attrs=(
            AttrSpec("capacity", ("500 ml", "600 ml", "750 ml", "1 L", "1.2 L"), True),
            AttrSpec(
                "material",
                ("Stainless steel", "Tritan plastic", "Borosilicate glass", "Aluminium"),
                True,
            ),
            AttrSpec(
                "color",
                ("Arctic blue", "Black", "Sage", "Coral", "White", "Lavender", "Stone grey"),
                True,
            ),
            AttrSpec("insulation", ("Double-wall vacuum",), when=("material", "Stainless", True)),
            AttrSpec("keeps_cold", ("24 h", "36 h"), when=("material", "Stainless", True)),
            AttrSpec("keeps_hot", ("12 h", "18 h"), when=("material", "Stainless", True)),
            AttrSpec("lid", ("Straw lid", "Screw cap", "Flip-top spout", "Chug cap")),
            AttrSpec("weight", ("180 g", "250 g", "320 g", "410 g")),
            AttrSpec("care", ("Dishwasher safe", "Hand wash recommended")),
        ),
        text={
            "capacity": (("{avl} capacity",), ("{It} hold{s} {v}.",)),
            "material": (("{vl} construction", "{avl} body"), ("The body is {vl}.",)),
            "insulation": (("{vl} insulation",), ("{v} insulation helps hold the temperature.",)),
            "keeps_cold": (("cold drinks for up to {v}",), ("Drinks stay cold for up to {v}.",)),
            "keeps_hot": (("hot drinks for up to {v}",), ("Hot drinks stay hot for up to {v}.",)),
            "lid": (("{avl}",), ("{Avl} makes drinking on the move easy.",)),
            "care": ((), ("Cleaning note: {vl}.",)),
        },
        closers=(
            "Fill it up and take it everywhere.",
            "An easy way to keep water close at hand all day.",
        ),
        aspects=(
            Aspect(
                "insulation",
                (
                    "Ice is still there the next morning.",
                    "Keeps my drinks cold all day, even in the car.",
                    "The insulation is genuinely impressive.",
                ),
                (
                    "Drinks are lukewarm by lunchtime.",
                    "The insulation is much worse than advertised.",
                    "The outside sweats and the water warms up fast.",
                ),
                when=("insulation", "", True),
            ),
            Aspect(
                "seal",
                (
                    "Completely leak-proof, even upside down in my bag.",
                    "Not a single drip so far.",
                    "The lid seals tight.",
                ),
                (
                    "It leaked all over my bag.",
                    "Drips from the lid whenever I tilt it.",
                    "The seal gave out after a few weeks.",
                ),
                generic=False,
            ),
            Aspect(
                "lid",
                (
                    "The lid is easy to open with one hand.",
                    "Love the lid design.",
                    "The lid is easy to drink from.",
                ),
                (
                    "The lid is awkward to open.",
                    "The lid hinge snapped.",
                    "Drinking from the lid is annoying.",
                ),
            ),
            Aspect(
                "cleanup",
                (
                    "Easy to clean, the opening is wide.",
                    "Nothing gets trapped in the lid.",
                    "Goes through the wash without issues.",
                ),
                (
                    "Impossible to clean the lid properly.",
                    "Mould builds up in the hard-to-reach parts.",
                    "The narrow opening makes it hard to clean.",
                ),
            ),
            Aspect(
                "durability",
                (
                    "Dropped it plenty of times and it's fine.",
                    "Tough and well made.",
                    "The finish still looks new.",
                ),
                (
                    "Dented the first time I dropped it.",
                    "The paint chipped within weeks.",
                    "Cracked after a short fall.",
                ),
            ),
            Aspect(
                "portability",
                (
                    "Fits in my bag's side pocket and the cup holder.",
                    "Light enough to carry all day.",
                    "The handle makes it easy to carry.",
                ),
                (
                    "Too wide for any cup holder.",
                    "Heavier than I expected.",
                    "Awkward to carry around.",
                ),
            ),
        ),
        contexts=(
            "I take it to the gym every day.",
            "It rides in my bag on my commute.",
            "Bought it for hiking.",
        ),
        title_attr="capacity",
    ),
    Category(
        name="office chairs",
        a_singular="an office chair",
        short="chair",
        use="desk work",
        plural=False,
        brands=("Ergovane", "Chairwright", "Restova", "Axelby", "Corvana", "Steadman"),
        lines=("Contour", "Posture", "Atlas", "Vertex", "Balance", "Meridian", "Cadet"),
        models=("", "Pro", "Plus", "II", "XL"),
        nouns=(
            ("Office Chair", None),
            ("Task Chair", None),
            ("Ergonomic Office Chair", ("lumbar_support", "", True)),
            ("Mesh Office Chair", ("material", "mesh", True)),
        ),
        attrs=(
            AttrSpec(
                "material", ("Breathable mesh", "Woven fabric", "Faux leather", "Knit mesh"), True
            ),
            AttrSpec("color", ("Black", "Grey", "Navy", "White and grey", "Charcoal"), True),
            AttrSpec("max_load", ("120 kg", "136 kg", "150 kg"), True),
            AttrSpec("seat_height", ("42-52 cm", "45-55 cm", "44-54 cm")),
            AttrSpec("armrests", ("Fixed", "2D adjustable", "3D adjustable", "4D adjustable")),
            AttrSpec("lumbar_support", ("Adjustable", "Fixed", "Dynamic")),
            AttrSpec("recline", ("Up to 120°", "Up to 135°")),
            AttrSpec("headrest", ("Adjustable headrest",)),
            AttrSpec("weight", ("14 kg", "17 kg", "19 kg")),
        ),
        text={
            "material": (
                ("{avl} seat and back",),
                ("The seat and back are covered in {vl}.",),
            ),
            "max_load": (("a maximum load of {v}",), ("{It} support{s} up to {v}.",)),
            "seat_height": (("a seat height of {v}",), ()),
            "armrests": (("{vl} armrests",), ("The armrests are {vl}.",)),
            "lumbar_support": (
                ("{vl} lumbar support",),
                ("{v} lumbar support helps on long workdays.",),
            ),
            "recline": (("a recline of {vl}",), ("The backrest reclines {vl}.",)),
            "headrest": (("{avl}",), ()),
        },
        closers=(
            "Built for the long hours at the desk.",
            "A steady companion for the working day.",
        ),
        aspects=(
            Aspect(
                "comfort",
                (
                    "Comfortable for a full workday.",
                    "My back no longer aches in the evening.",
                    "The seat is comfortable, firm but not hard.",
                ),
                (
                    "The seat gets uncomfortable after an hour.",
                    "The cushion is too thin and hard.",
                    "My back hurts more than with my old chair.",
                ),
            ),
            Aspect(
                "lumbar support",
                (
                    "The lumbar support hits exactly the right spot.",
                    "Great lower back support.",
                    "The lumbar support made a real difference for me.",
                ),
                (
                    "The lumbar support pushes in the wrong place.",
                    "Lumbar support is barely noticeable.",
                    "The lumbar pad keeps slipping down.",
                ),
                when=("lumbar_support", "", True),
            ),
            Aspect(
                "assembly",
                (
                    "Assembly took about twenty minutes.",
                    "Easy to put together, clear instructions.",
                    "Went together without any trouble.",
                ),
                (
                    "Assembly was a nightmare, the holes didn't line up.",
                    "The instructions are useless.",
                    "Parts were missing from the box.",
                ),
            ),
            Aspect(
                "build quality",
                (
                    "Solid and well made, no creaks.",
                    "Feels sturdy and stable.",
                    "Quality materials throughout.",
                ),
                (
                    "It started creaking within weeks.",
                    "The gas lift already sinks during the day.",
                    "A wheel snapped off after a month.",
                ),
            ),
            Aspect(
                "adjustability",
                (
                    "Easy to adjust everything to fit me.",
                    "Lots of adjustment options.",
                    "The tilt and height controls are simple to use.",
                ),
                (
                    "The adjustment levers are stiff and awkward.",
                    "It doesn't go low enough for my desk.",
                    "The tilt lock doesn't hold.",
                ),
            ),
            Aspect(
                "armrests",
                (
                    "The armrests are well padded and adjustable.",
                    "Armrests are at the perfect height.",
                    "Love the armrests.",
                ),
                (
                    "The armrests wobble.",
                    "The armrests are hard and uncomfortable.",
                    "Armrests don't go low enough.",
                ),
                when=("armrests", "", True),
                generic=False,
            ),
        ),
        contexts=(
            "I sit in it for a full workday.",
            "It replaced an old chair in my home office.",
            "Bought it when I started working from home.",
        ),
    ),
    Category(
        name="blenders",
        a_singular="a blender",
        short="blender",
        use="blending",
        plural=False,
        brands=("Vortexa", "Blendara", "Pulvera", "Whirlen", "Mixwell", "Kuchero"),
        lines=("Cyclone", "Fusion", "Velocity", "Nutri", "Torque", "Swirl", "Tempest"),
        models=("Pro", "Plus", "Max", "Go", "S", "X"),
        nouns=(
            ("Blender", None),
            ("Smoothie Blender", None),
            ("Countertop Blender", ("type", "Countertop", True)),
            ("Personal Blender", ("type", "Personal", True)),
        ),
        attrs=(
            AttrSpec("type", ("Countertop", "Personal-size"), True),
            AttrSpec("wattage", ("600 W", "900 W", "1000 W", "1200 W", "1500 W"), True),
            AttrSpec("capacity", ("1.5 L", "1.8 L", "2 L"), True, ("type", "Countertop", True)),
            AttrSpec(
                "capacity", ("500 ml", "600 ml", "700 ml"), True, ("type", "Personal", True)
            ),
            AttrSpec("jar_material", ("Tritan", "Glass", "BPA-free plastic")),
            AttrSpec("speeds", ("3", "5", "10")),
            AttrSpec("color", ("Black", "Silver", "Red", "White", "Slate grey")),
            AttrSpec("blades", ("4", "6")),
            AttrSpec(
                "presets",
                ("Smoothie and ice crush", "Smoothie, soup and ice crush"),
                when=("type", "Countertop", True),
            ),
        ),
        text={
            "type": (("{avl} design",), ()),
            "wattage": (("{avl} motor",), ("{Avl} motor does the heavy lifting.",)),
            "capacity": (("{avl} jar",), ("The jar holds {v}.",)),
            "jar_material": (("a jar made of {vl}",), ("The jar is made of {vl}.",)),
            "speeds": (
                ("{v} speed settings",),
                ("There are {v} speed settings to choose from.",),
            ),
            "blades": (("{v} blades",), ("The blade assembly has {v} blades.",)),
            "presets": (("{vl} presets",), ()),
        },
        closers=(
            "From smoothies to sauces, it keeps up.",
            "A handy helper for the kitchen counter.",
        ),
        aspects=(
            Aspect(
                "blending power",
                (
                    "Blends frozen fruit into a smooth drink in seconds.",
                    "Plenty of power, no chunks left.",
                    "Handles anything I throw at it.",
                ),
                (
                    "Struggles with anything frozen.",
                    "Leaves chunks no matter how long I run it.",
                    "The motor bogs down with thick mixes.",
                ),
            ),
            Aspect(
                "noise level",
                (
                    "Quieter than I expected for the power.",
                    "Not too loud for early mornings.",
                    "Reasonably quiet.",
                ),
                (
                    "Extremely loud.",
                    "So noisy I can't use it early in the morning.",
                    "It screams like a jet engine.",
                ),
                generic=False,
            ),
            Aspect(
                "cleanup",
                (
                    "A quick rinse and it's clean.",
                    "Easy to clean, the jar goes in the dishwasher.",
                    "Cleanup is simple.",
                ),
                (
                    "Food gets stuck under the blades.",
                    "Hard to clean around the blade base.",
                    "Cleaning it takes longer than making the smoothie.",
                ),
            ),
            Aspect(
                "jar",
                (
                    "The jar feels sturdy and pours cleanly.",
                    "Good size jar, easy to pour from.",
                    "Love the jar design.",
                ),
                (
                    "The jar leaks from the bottom.",
                    "The jar cracked after a few uses.",
                    "The lid doesn't seal on the jar.",
                ),
            ),
            Aspect(
                "durability",
                (
                    "Daily use for months and still going strong.",
                    "Built like a tank.",
                    "Feels like it will last for years.",
                ),
                (
                    "The motor burned out within three months.",
                    "Started smelling of burning plastic after a few weeks.",
                    "Broke shortly after the return window closed.",
                ),
            ),
            Aspect(
                "ice crushing",
                (
                    "Crushes ice into snow.",
                    "Great for frozen drinks.",
                    "Ice is no problem at all.",
                ),
                (
                    "Can't crush ice properly.",
                    "Ice just spins around the jar.",
                    "Leaves big chunks of ice.",
                ),
            ),
        ),
        contexts=(
            "I make a smoothie every morning.",
            "Mostly use it for soups and sauces.",
            "Bought it for protein shakes after the gym.",
        ),
        title_attr="wattage",
    ),
    Category(
        name="yoga mats",
        a_singular="a yoga mat",
        short="mat",
        use="practice",
        plural=False,
        brands=("Asanora", "Mattalune", "Groundly", "Pranava", "Lotusby", "Ommera"),
        lines=("Flow", "Balance", "Root", "Zen", "Horizon", "Anchor", "Serene"),
        models=("", "Pro", "Plus", "Studio", "Lite"),
        nouns=(("Yoga Mat", None), ("Exercise Mat", None), ("Fitness Mat", None)),
        attrs=(
            AttrSpec("thickness", ("3 mm", "4 mm", "5 mm", "6 mm", "8 mm"), True),
            AttrSpec(
                "material", ("Natural rubber", "TPE", "PVC", "Cork and rubber", "NBR foam"), True
            ),
            AttrSpec(
                "color",
                ("Purple", "Sage", "Charcoal", "Ocean blue", "Blush", "Black", "Terracotta"),
                True,
            ),
            AttrSpec("dimensions", ("183 x 61 cm", "185 x 68 cm", "173 x 61 cm", "180 x 66 cm")),
            AttrSpec("weight", ("0.9 kg", "1.2 kg", "1.8 kg", "2.5 kg")),
            AttrSpec("surface", ("Textured", "Smooth", "Dual-texture")),
            AttrSpec("carry_strap", ("Included",)),
            AttrSpec("alignment_lines", ("Printed",)),
        ),
        text={
            "thickness": (
                ("{avl} profile", "{v} of cushioning"),
                ("{It} {be} {v} thick.",),
            ),
            "material": (
                ("{vl} construction", "{avl} build"),
                ("{It} {be} made from {vl}.",),
            ),
            "dimensions": (("a size of {v}",), ("{It} measure{s} {v}.",)),
            "surface": (("{avl} surface",), ()),
            "carry_strap": (("a carry strap",), ("A carry strap is included.",)),
            "alignment_lines": (("printed alignment lines",), ()),
        },
        closers=(
            "Roll it out and get moving.",
            "A steady base for practice at home or in the studio.",
        ),
        aspects=(
            Aspect(
                "grip",
                (
                    "No slipping, even in a sweaty class.",
                    "The grip is fantastic.",
                    "My hands stay put in downward dog.",
                ),
                (
                    "Slippery as soon as I start sweating.",
                    "My hands slide in downward dog.",
                    "The mat slides around on the floor.",
                ),
            ),
            Aspect(
                "cushioning",
                (
                    "Enough cushioning for my knees.",
                    "Comfortable on hard floors.",
                    "Nice and supportive.",
                ),
                (
                    "Too thin, my knees hurt.",
                    "Compresses flat under my weight.",
                    "Not enough padding for hard floors.",
                ),
            ),
            Aspect(
                "size",
                (
                    "Long enough for my full height.",
                    "Plenty of room for every pose.",
                    "The size is just right.",
                ),
                (
                    "Too short, my feet hang off the end.",
                    "Narrower than I'd like.",
                    "Too small for anyone tall.",
                ),
            ),
            Aspect(
                "durability",
                (
                    "Months of daily use and no wear.",
                    "Holds up really well.",
                    "Tough surface that doesn't tear.",
                ),
                (
                    "The surface started flaking within weeks.",
                    "It tore at the edge.",
                    "Marks and dents everywhere already.",
                ),
            ),
            Aspect(
                "portability",
                (
                    "Light enough to carry to class.",
                    "Rolls up small.",
                    "Easy to take anywhere.",
                ),
                (
                    "Heavy and awkward to carry.",
                    "It won't stay rolled up.",
                    "Too bulky to carry to class.",
                ),
            ),
            Aspect(
                "cleanup",
                (
                    "Wipes clean easily.",
                    "Easy to keep clean.",
                    "Sweat wipes right off.",
                ),
                (
                    "Absorbs sweat and is hard to clean.",
                    "It stains easily.",
                    "Hard to get clean.",
                ),
            ),
        ),
        contexts=(
            "I use it for morning yoga and stretching.",
            "I take it to my studio classes.",
            "Mostly use it for home workouts.",
        ),
        title_attr="thickness",
    ),
)

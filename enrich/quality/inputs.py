"""What the scorer knows about a row's input: a small typed view, not the whole work row."""

from __future__ import annotations

from dataclasses import dataclass, field

from enrich.quality.text import split_key


@dataclass(frozen=True)
class ScoreInputs:
    """The input facts a generated text is checked against.

    Attributes:
        title: product title.
        brand: product brand.
        category: product category.
        attributes: attribute name -> value (descriptions).
        reviews: review texts the prompt showed (summaries).
        mean_rating: mean star rating of the product's reviews (1-5).
    """

    title: str | None = None
    brand: str | None = None
    category: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    reviews: tuple[str, ...] = ()
    mean_rating: float | None = None

    @property
    def has_product_facts(self) -> bool:
        """Whether there are attributes, a title or a brand to ground a text on."""
        return bool(self.attributes or self.title or self.brand)

    def product_text(self) -> str:
        """Title, brand, category and every attribute name and value, as one text."""
        parts = [self.title, self.brand, self.category]
        for key, value in self.attributes.items():
            parts += [str(key), str(value)]
        return "\n".join(str(p) for p in parts if p)

    def all_text(self) -> str:
        """The product text and the reviews, as one text."""
        return "\n".join([self.product_text(), *self.reviews])

    def fields_text(self, also: str = "") -> str:
        """The product text, its attribute names as words ("eatType" as "eat type") and
        ``also`` (a summary's reviews), as one text: what a claim of a generated text must find
        its words in."""
        keys = " ".join(split_key(str(k)) for k in self.attributes)
        return "\n".join([self.product_text(), keys, also])

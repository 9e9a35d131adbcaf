"""Quality scores of generated text and the publishing gate, one module per concern.

- :mod:`~enrich.quality.reference`: sacrebleu BLEU/chrF (sentence and corpus), ROUGE;
- :mod:`~enrich.quality.grounding`: descriptions against the product's attributes, and texts
  against the catalog's other names;
- :mod:`~enrich.quality.domains`: what is learned from the catalog once per run: the value
  domains of categorical attributes and the products' and brands' names;
- :mod:`~enrich.quality.faithfulness`: summaries against the reviews and ratings;
- :mod:`~enrich.quality.form`: length, looping, truncation, template text, language;
- :mod:`~enrich.quality.safety`: personal data, profanity, injected instructions;
- :mod:`~enrich.quality.ads`: the ad rules of search ads (limits, capitals, symbols, claims);
- :mod:`~enrich.quality.gate`: all of them into ``quality_score``, ``status``, ``reject_reasons``;
- :mod:`~enrich.quality.labelled`: the labelled set and the gate's own evaluation.
"""

from enrich.quality.gate import Scores, score_text
from enrich.quality.inputs import ScoreInputs

__all__ = ["ScoreInputs", "Scores", "score_text"]

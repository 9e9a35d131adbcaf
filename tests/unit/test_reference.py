"""Reference scores are the libraries' own numbers: sacrebleu (sentence and corpus) and ROUGE."""

import csv
from pathlib import Path

import pytest
import sacrebleu
from rouge_score import rouge_scorer

from enrich.config import QualityConfig
from enrich.quality import ScoreInputs, score_text
from enrich.quality.reference import corpus_from_statistics, corpus_scores, corpus_statistics

FEWSUM = Path(__file__).resolve().parents[1] / "data" / "fewsum" / "amazon" / "val.tsv"


def fewsum_rows():
    with FEWSUM.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.mark.parametrize("row", fewsum_rows()[:4])
def test_bleu_chrf_and_rouge_columns_equal_the_libraries_with_several_references(row):
    text, refs = row["summ1"], [row["summ2"], row["summ3"]]
    reviews = tuple(row[f"rev{k}"] for k in range(1, 9))
    columns = score_text(
        text, refs, bounds=(1, 500), cfg=QualityConfig(), inputs=ScoreInputs(reviews=reviews)
    ).columns()
    assert columns["bleu"] == sacrebleu.sentence_bleu(text, refs).score
    assert columns["chrf"] == sacrebleu.sentence_chrf(text, refs).score
    assert columns["reference_count"] == 2
    rouge = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    expected = rouge.score_multi(refs, text)
    assert columns["rouge1"] == expected["rouge1"].fmeasure
    assert columns["rouge2"] == expected["rouge2"].fmeasure
    assert columns["rouge_l"] == expected["rougeL"].fmeasure


def test_rouge_only_for_summaries():
    columns = score_text("A steel mug.", ["A mug."], bounds=(1, 50), cfg=QualityConfig()).columns()
    assert columns["chrf"] is not None and columns["rouge1"] is None


def test_corpus_figures_from_slices_equal_sacrebleu_corpus_scores():
    rows = fewsum_rows()
    texts = [r["summ1"] for r in rows] + ["no reference here."]
    refs = [[r["summ2"], r["summ3"]] if i % 2 else [r["summ2"]] for i, r in enumerate(rows)] + [[]]
    streams = [[r[i] if i < len(r) else None for r in refs[:-1]] for i in range(2)]
    bleu = sacrebleu.corpus_bleu(texts[:-1], streams).score
    chrf = sacrebleu.corpus_chrf(texts[:-1], streams).score
    whole = corpus_scores(texts, refs)
    sliced = corpus_from_statistics(
        [corpus_statistics(texts[:5], refs[:5]), {}, corpus_statistics(texts[5:], refs[5:])]
    )
    for figures in (whole, sliced):
        assert figures["bleu"] == pytest.approx(bleu, abs=1e-9)
        assert figures["chrf"] == pytest.approx(chrf, abs=1e-9)
        assert figures["scored"] == len(rows)
    assert corpus_scores(["a."], [[]]) == {}

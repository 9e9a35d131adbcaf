-- product_descriptions: one generated description per product, MERGEd by the enrichment job.
-- Filter on status = 'accepted' for text that passed the quality gate.
CREATE TABLE IF NOT EXISTS product_descriptions (
  product_id         STRING NOT NULL COMMENT 'Product key',
  description        STRING COMMENT 'Generated description (NULL when status = failed)',
  -- quality
  status             STRING NOT NULL COMMENT 'accepted | needs_review | rejected | skipped | failed',
  error              STRING COMMENT 'Why the row failed or was skipped',
  reject_reasons     ARRAY<STRING> COMMENT 'Short codes of every flag raised, e.g. truncated',
  quality_score      DOUBLE COMMENT 'Overall quality in [0, 1]',
  bleu               DOUBLE COMMENT 'sacrebleu sentence BLEU against the human references',
  chrf               DOUBLE COMMENT 'sacrebleu sentence chrF against the human references',
  reference_count    INT COMMENT 'Human references scored against (0: none)',
  mean_logprob       DOUBLE COMMENT 'Mean log-probability of the generated tokens (model confidence)',
  rouge1             DOUBLE COMMENT 'ROUGE-1 F against the references (summaries only)',
  rouge2             DOUBLE COMMENT 'ROUGE-2 F against the references (summaries only)',
  rouge_l            DOUBLE COMMENT 'ROUGE-L F against the references (summaries only)',
  grounding          DOUBLE COMMENT 'Share of attribute values the text mentions (descriptions only)',
  mentioned_attributes ARRAY<STRING> COMMENT 'Attributes whose value the text mentions (descriptions only)',
  unsupported_facts  ARRAY<STRING> COMMENT 'Numbers, names, colours... no input contains (descriptions only)',
  contradicted_facts ARRAY<STRING> COMMENT 'Statements the input says otherwise about (descriptions only)',
  sentiment          DOUBLE COMMENT 'VADER compound sentiment in [-1, 1] (summaries only)',
  sentiment_agreement DOUBLE COMMENT 'Agreement of sentiment with the mean rating in [0, 1] (summaries only)',
  unsupported_aspects ARRAY<STRING> COMMENT 'Aspects no input review mentions (summaries only)',
  pii                ARRAY<STRING> COMMENT 'Personal data found: e-mail, phone, url, copied names',
  profanity          BOOLEAN COMMENT 'Profanity found',
  injection          BOOLEAN COMMENT 'Instructions or text injected through the input found',
  repetition         DOUBLE COMMENT 'Share of repeated word trigrams (looping)',
  language           STRING COMMENT 'Detected language (ISO 639-1)',
  -- provenance
  model_version      STRING NOT NULL COMMENT 'Model name:version that generated the text',
  base_model         STRING COMMENT 'Base model id',
  adapter_id         STRING COMMENT 'Content hash of the LoRA adapter',
  quantization       STRING COMMENT 'Weight format while generating, e.g. nf4',
  prompt_version     STRING NOT NULL COMMENT 'Version of the prompt template',
  input_fingerprint  STRING NOT NULL COMMENT 'sha256 of the inputs the prompt used',
  decoding           STRING COMMENT 'Decoding parameters as JSON',
  run_id             STRING NOT NULL COMMENT 'Run that wrote the row (see enrichment_runs)',
  generated_at       TIMESTAMP NOT NULL COMMENT 'When the text was generated (UTC)',
  -- cost
  prompt_tokens      INT COMMENT 'Tokens in the prompt',
  output_tokens      INT COMMENT 'Tokens generated',
  generation_seconds DOUBLE COMMENT 'Share of the batch generation time',
  gpu_seconds        DOUBLE COMMENT 'Same, when generated on a GPU (0 on the CPU)'
) USING DELTA
LOCATION '${location}';

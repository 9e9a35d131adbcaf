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

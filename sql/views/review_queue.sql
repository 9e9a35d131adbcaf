-- review_queue: generated texts a person should look at before they can be published
-- (status = 'needs_review'), with the flags the quality gate raised. Worst first is
-- ORDER BY quality_score.
CREATE OR REPLACE VIEW review_queue AS
SELECT
  'description' AS task,
  product_id,
  description AS text,
  reject_reasons,
  quality_score,
  bleu,
  chrf,
  model_version,
  run_id,
  generated_at
FROM product_descriptions
WHERE status = 'needs_review'
UNION ALL
SELECT
  'review_summary' AS task,
  product_id,
  summary AS text,
  reject_reasons,
  quality_score,
  bleu,
  chrf,
  model_version,
  run_id,
  generated_at
FROM review_summaries
WHERE status = 'needs_review';

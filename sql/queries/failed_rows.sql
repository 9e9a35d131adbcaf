-- Rows that failed, with the reason, newest first: what `enrich --retry-failed` would retry.
SELECT 'description' AS task, product_id, error, run_id, generated_at
FROM product_descriptions WHERE status = 'failed'
UNION ALL
SELECT 'review_summary' AS task, product_id, error, run_id, generated_at
FROM review_summaries WHERE status = 'failed'
ORDER BY generated_at DESC;

-- How many outputs of each task are in each status, with their mean quality.
SELECT 'description' AS task, status, count(*) AS n, round(avg(quality_score), 3) AS mean_quality
FROM product_descriptions GROUP BY status
UNION ALL
SELECT 'review_summary' AS task, status, count(*) AS n, round(avg(quality_score), 3) AS mean_quality
FROM review_summaries GROUP BY status
ORDER BY task, status;

-- The last ten runs: what they selected, how it came out, and how long they took.
SELECT run_id, job, mode, model_version, status, rows_selected, rows_accepted, rows_needs_review,
       rows_rejected, rows_skipped, rows_failed, round(duration_seconds, 1) AS seconds
FROM enrichment_runs
ORDER BY started_at DESC
LIMIT 10;

-- enrichment_runs: one row per job run, appended when the run ends (also when it fails).
CREATE TABLE IF NOT EXISTS enrichment_runs (
  run_id            STRING NOT NULL COMMENT 'Run key; output rows carry it',
  job               STRING NOT NULL COMMENT 'Which job ran, e.g. enrich',
  mode              STRING COMMENT 'incremental | retry_failed',
  model_version     STRING COMMENT 'Model used (NULL when no row needed one)',
  started_at        TIMESTAMP NOT NULL COMMENT 'Start (UTC)',
  finished_at       TIMESTAMP COMMENT 'End (UTC)',
  duration_seconds  DOUBLE COMMENT 'Wall time',
  rows_selected     BIGINT COMMENT 'Rows that needed generating',
  rows_written      BIGINT COMMENT 'Rows merged into the output tables',
  rows_failed       BIGINT COMMENT 'Rows with status failed',
  rows_accepted     BIGINT COMMENT 'Rows with status accepted',
  rows_needs_review BIGINT COMMENT 'Rows with status needs_review',
  rows_rejected     BIGINT COMMENT 'Rows with status rejected',
  rows_skipped      BIGINT COMMENT 'Rows with status skipped',
  task_counts       MAP<STRING, BIGINT> COMMENT 'Per task: <task>.selected and <task>.<status> counts',
  task_scores       MAP<STRING, DOUBLE> COMMENT 'Per task: <task>.bleu, <task>.chrf (sacrebleu corpus) and <task>.quality',
  source_versions   MAP<STRING, BIGINT> COMMENT 'Delta version of each source table read',
  config_hash       STRING COMMENT 'Hash of the resolved configuration',
  model_loads       BIGINT COMMENT 'Times a worker loaded the model',
  oom_retries       BIGINT COMMENT 'Batches halved and retried after running out of memory',
  status            STRING NOT NULL COMMENT 'succeeded | too_many_failures | failed',
  error             STRING COMMENT 'What went wrong, when status is not succeeded'
) USING DELTA
LOCATION '${location}';

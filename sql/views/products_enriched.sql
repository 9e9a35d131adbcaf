-- products_enriched: the catalog as a storefront should show it. Each product with the accepted
-- generated description and review summary next to the human text, falling back to the human
-- text where nothing generated was accepted. *_source says which one a row shows.
CREATE OR REPLACE VIEW products_enriched AS
SELECT
  p.product_id,
  p.title,
  p.brand,
  p.category,
  CASE WHEN d.status = 'accepted' THEN d.description ELSE p.description END AS description,
  CASE
    WHEN d.status = 'accepted' THEN 'generated'
    WHEN p.description IS NOT NULL THEN 'human'
  END AS description_source,
  CASE WHEN s.status = 'accepted' THEN s.summary ELSE p.reference_summaries[0] END AS review_summary,
  CASE
    WHEN s.status = 'accepted' THEN 'generated'
    WHEN p.reference_summaries[0] IS NOT NULL THEN 'human'
  END AS review_summary_source,
  p.description AS human_description,
  d.description AS generated_description,
  d.status AS description_status,
  d.quality_score AS description_quality,
  d.model_version AS description_model_version,
  s.summary AS generated_review_summary,
  s.status AS review_summary_status,
  s.quality_score AS review_summary_quality,
  s.review_count AS summarised_reviews
FROM products p
LEFT JOIN product_descriptions d ON d.product_id = p.product_id
LEFT JOIN review_summaries s ON s.product_id = p.product_id;

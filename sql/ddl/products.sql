-- products: the source catalog, one row per product. Written by upstream systems (here by
-- `catalog-enrich demo-data` or `catalog-enrich import`); the enrichment job only reads it.
-- ${location} is the table's folder, e.g. warehouse/products.
CREATE TABLE IF NOT EXISTS products (
  product_id          STRING NOT NULL COMMENT 'Product key',
  title               STRING COMMENT 'Product title',
  brand               STRING COMMENT 'Brand name',
  category            STRING COMMENT 'Category name',
  attributes          MAP<STRING, STRING> COMMENT 'Attribute name -> value, e.g. color -> black',
  description         STRING COMMENT 'Human-written description; reference for scoring, consumer fallback',
  reference_summaries ARRAY<STRING> COMMENT 'Human-written summaries of the product reviews, where a source has them',
  reference_descriptions ARRAY<STRING> COMMENT 'Every human-written description, where a source has several (E2E)',
  updated_at          TIMESTAMP COMMENT 'When the product last changed upstream'
) USING DELTA
LOCATION '${location}';

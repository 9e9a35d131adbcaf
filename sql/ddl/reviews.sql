-- reviews: customer reviews, many per product. Written upstream; the job only reads it.
CREATE TABLE IF NOT EXISTS reviews (
  review_id     STRING NOT NULL COMMENT 'Review key',
  product_id    STRING NOT NULL COMMENT 'Reviewed product',
  rating        INT COMMENT 'Stars, 1 to 5',
  title         STRING COMMENT 'Review title',
  body          STRING COMMENT 'Review text',
  helpful_votes INT COMMENT 'Votes that found the review helpful',
  created_at    TIMESTAMP COMMENT 'When the review was written'
) USING DELTA
LOCATION '${location}';

-- Lookup rows with the ids the store app hard-codes: order statuses Cleared 1,
-- Refunded 2, Cancelled 3; transaction statuses Pending 1, Cleared 2,
-- Declined 3, Refunded 4. Rows are keyed by id, so a re-run inserts nothing.
INSERT INTO statuses (id, name) VALUES
  (1, 'Cleared'),
  (2, 'Refunded'),
  (3, 'Cancelled')
ON CONFLICT (id) DO NOTHING;

INSERT INTO transaction_statuses (id, name) VALUES
  (1, 'Pending'),
  (2, 'Cleared'),
  (3, 'Declined'),
  (4, 'Refunded')
ON CONFLICT (id) DO NOTHING;

-- Later inserts draw ids after the fixed ones.
SELECT setval(pg_get_serial_sequence('statuses', 'id'), (SELECT max(id) FROM statuses));
SELECT setval(pg_get_serial_sequence('transaction_statuses', 'id'), (SELECT max(id) FROM transaction_statuses));

-- Not hard-coded by the app, so found by name: id 5 on a new database.
INSERT INTO transaction_statuses (name)
SELECT 'Partially refunded'
WHERE NOT EXISTS (SELECT FROM transaction_statuses WHERE name = 'Partially refunded');

-- A database adopted from an older schema keeps its rows; if a fixed id holds
-- another name, stop rather than rewrite it (orders may point at it).
DO $$
DECLARE expected record;
DECLARE actual text;
BEGIN
  FOR expected IN
    SELECT * FROM (VALUES
      ('statuses', 1, 'Cleared'), ('statuses', 2, 'Refunded'), ('statuses', 3, 'Cancelled'),
      ('transaction_statuses', 1, 'Pending'), ('transaction_statuses', 2, 'Cleared'),
      ('transaction_statuses', 3, 'Declined'), ('transaction_statuses', 4, 'Refunded')
    ) AS e (tbl, id, name)
  LOOP
    EXECUTE format('SELECT name FROM %I WHERE id = $1', expected.tbl) INTO actual USING expected.id;
    IF actual IS DISTINCT FROM expected.name THEN
      RAISE EXCEPTION '% id % is "%", but the store app expects "%": fix that row (and the rows pointing at it) by hand, then migrate again',
        expected.tbl, expected.id, actual, expected.name;
    END IF;
  END LOOP;
END
$$;

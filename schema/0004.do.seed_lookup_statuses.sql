-- Lookup rows with the ids the app hard-codes. A re-run inserts nothing:
-- rows are keyed by id, and the sequences move past the fixed ids.
INSERT INTO statuses (id, name) VALUES
  (1, 'Cleared'),
  (2, 'Refunded'),
  (3, 'Cancelled')
ON CONFLICT (id) DO NOTHING;

INSERT INTO transaction_statuses (id, name) VALUES
  (1, 'Pending'),
  (2, 'Cleared'),
  (3, 'Declined'),
  (4, 'Refunded'),
  (5, 'Partially refunded')
ON CONFLICT (id) DO NOTHING;

SELECT setval(pg_get_serial_sequence('statuses', 'id'), (SELECT max(id) FROM statuses));
SELECT setval(pg_get_serial_sequence('transaction_statuses', 'id'), (SELECT max(id) FROM transaction_statuses));

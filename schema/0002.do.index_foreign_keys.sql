-- Indexes on the foreign keys the original schema left unindexed: joins and
-- deletes of the referenced rows would scan the whole table.
CREATE INDEX IF NOT EXISTS orders_transaction_id_idx ON orders (transaction_id);
CREATE INDEX IF NOT EXISTS orders_status_id_idx ON orders (status_id);
CREATE INDEX IF NOT EXISTS transactions_transaction_status_id_idx ON transactions (transaction_status_id);

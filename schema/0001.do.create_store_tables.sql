-- The store's tables, as the original schema file had them.
-- Every migration runs in its own transaction as the tenant owner role;
-- do not add BEGIN/COMMIT, SET ROLE or tenant names here.

CREATE TABLE customers (
  id          serial PRIMARY KEY,
  first_name  varchar(255) NOT NULL,
  last_name   varchar(255) NOT NULL,
  email       varchar(255) NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT customers_email_key UNIQUE (email)
);

CREATE TABLE widgets (
  id               serial PRIMARY KEY,
  name             varchar(255) NOT NULL,
  description      text NOT NULL DEFAULT '',
  inventory_level  integer NOT NULL DEFAULT 0,
  price            integer NOT NULL CHECK (price >= 0),
  image            varchar(255) NOT NULL DEFAULT '',
  is_recurring     boolean NOT NULL DEFAULT false,
  plan_id          varchar(255) NOT NULL DEFAULT '',
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN widgets.price IS 'Price in cents.';

CREATE TABLE transaction_statuses (
  id          serial PRIMARY KEY,
  name        varchar(255) NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE transactions (
  id                     serial PRIMARY KEY,
  amount                 integer NOT NULL,
  currency               varchar(3) NOT NULL,
  last_four              varchar(4) NOT NULL DEFAULT '',
  bank_return_code       varchar(255) NOT NULL DEFAULT '',
  transaction_status_id  integer NOT NULL REFERENCES transaction_statuses (id),
  expiry_month           integer NOT NULL DEFAULT 0,
  expiry_year            integer NOT NULL DEFAULT 0,
  payment_intent         varchar(255) NOT NULL DEFAULT '',
  payment_method         varchar(255) NOT NULL DEFAULT '',
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN transactions.amount IS 'Amount in cents.';

CREATE TABLE statuses (
  id          serial PRIMARY KEY,
  name        varchar(255) NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders (
  id              serial PRIMARY KEY,
  widget_id       integer NOT NULL REFERENCES widgets (id),
  transaction_id  integer NOT NULL REFERENCES transactions (id),
  customer_id     integer NOT NULL REFERENCES customers (id),
  status_id       integer NOT NULL REFERENCES statuses (id),
  quantity        integer NOT NULL CHECK (quantity > 0),
  amount          integer NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN orders.amount IS 'Amount in cents.';

-- The original's indexes (customers.email is indexed by its unique constraint).
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX orders_widget_id_idx ON orders (widget_id);
CREATE INDEX orders_created_at_idx ON orders (created_at DESC);
CREATE INDEX transactions_payment_intent_idx ON transactions (payment_intent);

-- Tables the store app needs that the original schema forgot.

CREATE TABLE users (
  id          serial PRIMARY KEY,
  first_name  varchar(255) NOT NULL,
  last_name   varchar(255) NOT NULL,
  email       varchar(255) NOT NULL,
  password    varchar(60) NOT NULL,
  role        varchar(32) NOT NULL DEFAULT 'user',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_email_key UNIQUE (email)
);
COMMENT ON COLUMN users.password IS 'bcrypt hash, never the password.';

CREATE TABLE tokens (
  id          serial PRIMARY KEY,
  user_id     integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name        varchar(255) NOT NULL,
  email       varchar(255) NOT NULL,
  token_hash  bytea NOT NULL,
  expiry      timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tokens_user_id_idx ON tokens (user_id);
CREATE INDEX tokens_token_hash_idx ON tokens (token_hash);

-- The session store's own schema (alexedwards/scs postgresstore).
CREATE TABLE sessions (
  token   text PRIMARY KEY,
  data    bytea NOT NULL,
  expiry  timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER tokens_set_updated_at BEFORE UPDATE ON tokens FOR EACH ROW EXECUTE FUNCTION set_updated_at();

/**
 * SCRAM-SHA-256 password verifiers, computed here as psql's `\password` and
 * libpq's PQencryptPasswordConn do, so that a password the platform sets
 * (the migrator's one-off password) reaches the server already hashed and
 * never appears in its logs or in pg_stat_activity.
 *
 * @see https://www.postgresql.org/docs/current/auth-password.html
 * @see RFC 5802 and RFC 7677
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/** PostgreSQL's default iteration count (scram_iterations, PostgreSQL 16+; fixed before). */
const ITERATIONS = 4096;

/**
 * The verifier PostgreSQL stores for a password:
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`. The password
 * must be plain ASCII (SASLprep leaves it unchanged), which every password the
 * platform generates is.
 */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16)): string {
  if (!/^[\x21-\x7e]+$/.test(password)) throw new Error('scramVerifier takes printable ASCII passwords only');
  const salted = pbkdf2Sync(password, salt, ITERATIONS, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${ITERATIONS}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

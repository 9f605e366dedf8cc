/**
 * Cancels the statement a session is running, with PostgreSQL's cancel
 * request (the session's process id and secret key, sent on a connection of
 * its own), as libpq's PQcancel and psql's Ctrl-C do. It needs no privilege
 * and no login, so it works for any session the runner opened, whoever the
 * server admin is; ending the client instead would leave the statement
 * running on the server until it finishes.
 *
 * @see https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS
 */
import { connect } from 'node:net';
import type { Client } from 'pg';

/** CancelRequest's request code (protocol 3.0). */
const CANCEL_REQUEST_CODE = 80877102;

/** Sends a cancel request for the client's running statement; resolves once sent (or after two seconds). */
export function cancelRunningStatement(client: Client): Promise<void> {
  // Set by node-postgres from the server's BackendKeyData message.
  const { processID, secretKey, host, port } = client as unknown as { processID: number | null; secretKey: number | null; host: string; port: number };
  if (typeof processID !== 'number' || typeof secretKey !== 'number') return Promise.resolve();
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  packet.writeInt32BE(processID, 8);
  packet.writeInt32BE(secretKey, 12);
  return new Promise((resolve) => {
    const socket = host.startsWith('/') ? connect(`${host}/.s.PGSQL.${port}`) : connect(port, host);
    const timer = setTimeout(() => socket.destroy(), 2000);
    timer.unref();
    socket.on('connect', () => socket.end(packet));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

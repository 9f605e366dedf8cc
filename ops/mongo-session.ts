/**
 * The runner's sessions on a real server, through the official `mongodb`
 * driver: the thin part of the runner that no test here runs live (there is
 * no MongoDB server on the development machine; the runner's logic is tested
 * against a stand-in that records its commands, mongo-provision.test.ts).
 */
import { MONGO_AUTH_DATABASE } from '../model/mongo-access-model';
import type { MongoConnector, MongoSession } from './mongo-provision';

/** Options of {@link driverConnector}. */
export interface DriverOptions {
  /**
   * Milliseconds to find a server before giving up.
   * @default 30000
   */
  readonly serverSelectionTimeoutMS?: number;
}

/**
 * Opens sessions on the server at `serverUri` (`MONGODB_SERVER_URI`: no
 * credentials in it; TLS, the CA file and DocumentDB's options as its query
 * says), authenticating against `admin`, where every tenant user is defined.
 */
export function driverConnector(serverUri: string, options: DriverOptions = {}): MongoConnector {
  return {
    async open({ user, password }): Promise<MongoSession> {
      // Loaded on demand: only this command needs the driver.
      const { MongoClient } = await import('mongodb');
      const client = new MongoClient(serverUri, {
        auth: { username: user, password },
        authSource: MONGO_AUTH_DATABASE,
        appName: 'usualstore-tenants',
        serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 30_000,
      });
      await client.connect();
      return {
        command: (database, command) => client.db(database).command({ ...command }),
        close: () => client.close(),
      };
    },
  };
}

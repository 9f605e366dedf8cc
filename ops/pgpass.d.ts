/** pgpass 1.0.5 (the ~/.pgpass lookup node-postgres itself uses): the one function we call. */
declare module 'pgpass' {
  function pgpass(connection: { host: string; port: number; database: string; user: string }, callback: (password?: string) => void): void;
  export = pgpass;
}

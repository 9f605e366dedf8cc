/**
 * libpq key=value connection strings, the form the store API reads from
 * `DATABASE_DSN`. Host and port are separate fields: an RDS `endpoint`
 * already ends in `:5432` and must not be used as the host.
 */

/** Parts of a connection string; any of them may be a Terraform token. */
export interface DsnParts {
  readonly host: string;
  readonly port: string | number;
  readonly user: string;
  readonly password: string;
  readonly dbname: string;
  readonly sslmode: string;
}

/**
 * `host=… port=… user=… password=… dbname=… sslmode=…`. Values are not
 * quoted: names are validated identifiers and generated passwords are
 * letters and digits.
 */
export function keywordDsn(parts: DsnParts): string {
  return `host=${parts.host} port=${parts.port} user=${parts.user} password=${parts.password} dbname=${parts.dbname} sslmode=${parts.sslmode}`;
}

/**
 * Where backups are kept: a directory, or an S3 bucket and prefix
 * (`s3://bucket/prefix`). Dumps hold customer data: a directory's files are
 * the owner's alone (0600 in 0700 directories); S3 objects are encrypted at
 * rest with SSE-KMS, with the tenant's own key when it has one.
 */
import { chmodSync, copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** How an object is stored. */
export interface PutOptions {
  /** The KMS key (id, ARN or alias) that encrypts the object in S3. @default - the bucket's KMS default (aws/s3) */
  readonly kmsKeyId?: string;
}

/** A place for backups, addressed by names like `building_shop/20261130T061500Z-5.dump`. */
export interface BackupStore {
  /** Where it is, for people (`backups/`, `s3://bucket/prefix/`). */
  readonly location: string;
  /** Where one name is, for people. */
  where(name: string): string;
  put(localFile: string, name: string, options?: PutOptions): Promise<void>;
  putText(text: string, name: string, options?: PutOptions): Promise<void>;
  /** The names under a prefix (`building_shop/`), sorted. */
  list(prefix: string): Promise<string[]>;
  fetch(name: string, localFile: string): Promise<void>;
  getText(name: string): Promise<string>;
  remove(name: string): Promise<void>;
}

/** A directory of backups. */
class DirectoryStore implements BackupStore {
  constructor(private readonly dir: string) {}

  get location(): string {
    return `${this.dir}/`;
  }

  where(name: string): string {
    return path.join(this.dir, name);
  }

  private prepare(name: string): string {
    const file = this.where(name);
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    return file;
  }

  async put(localFile: string, name: string): Promise<void> {
    const file = this.prepare(name);
    copyFileSync(localFile, file);
    chmodSync(file, 0o600);
  }

  async putText(text: string, name: string): Promise<void> {
    writeFileSync(this.prepare(name), text, { mode: 0o600 });
  }

  async list(prefix: string): Promise<string[]> {
    const dir = path.dirname(this.where(`${prefix}x`));
    if (!existsSync(dir)) return [];
    const relative = path.relative(this.dir, dir);
    return readdirSync(dir)
      .map((entry) => (relative ? `${relative.split(path.sep).join('/')}/${entry}` : entry))
      .filter((name) => name.startsWith(prefix))
      .sort();
  }

  async fetch(name: string, localFile: string): Promise<void> {
    copyFileSync(this.where(name), localFile);
  }

  async getText(name: string): Promise<string> {
    return readFileSync(this.where(name), 'utf8');
  }

  async remove(name: string): Promise<void> {
    rmSync(this.where(name), { force: true });
  }
}

/** An S3 bucket and prefix; the AWS SDK's usual credentials and region (AWS_REGION, a profile, a role). */
class S3Store implements BackupStore {
  private clientPromise?: Promise<import('@aws-sdk/client-s3').S3Client>;

  constructor(
    private readonly bucket: string,
    private readonly prefix: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get location(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  where(name: string): string {
    return `s3://${this.bucket}/${this.key(name)}`;
  }

  private key(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** The SDK, loaded on first use (it is large); AWS_ENDPOINT_URL_S3 points it elsewhere (an S3-compatible store). */
  private client() {
    this.clientPromise ??= import('@aws-sdk/client-s3').then(({ S3Client }) => {
      const endpoint = this.env.AWS_ENDPOINT_URL_S3;
      // Keys in the command's environment (the CLI's, which may not be the process's) first; else the SDK's own chain.
      const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = this.env;
      return new S3Client({
        region: this.env.AWS_REGION ?? this.env.AWS_DEFAULT_REGION ?? 'us-east-1',
        ...(endpoint && { endpoint, forcePathStyle: true }),
        ...(accessKeyId && secretAccessKey && { credentials: { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) } }),
      });
    });
    return this.clientPromise;
  }

  private encryption(options: PutOptions = {}) {
    return { ServerSideEncryption: 'aws:kms' as const, ...(options.kmsKeyId && { SSEKMSKeyId: options.kmsKeyId }) };
  }

  async put(localFile: string, name: string, options?: PutOptions): Promise<void> {
    const { PutObjectCommand } = await import('@aws-sdk/client-s3');
    const body = readFileSync(localFile);
    await (await this.client()).send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key(name), Body: body, ...this.encryption(options) }));
  }

  async putText(text: string, name: string, options?: PutOptions): Promise<void> {
    const { PutObjectCommand } = await import('@aws-sdk/client-s3');
    await (await this.client()).send(
      new PutObjectCommand({ Bucket: this.bucket, Key: this.key(name), Body: text, ContentType: 'application/json', ...this.encryption(options) }),
    );
  }

  async list(prefix: string): Promise<string[]> {
    const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await (await this.client()).send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.key(prefix), ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key) names.push(object.Key.slice(this.prefix.length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return names.sort();
  }

  async fetch(name: string, localFile: string): Promise<void> {
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const object = await (await this.client()).send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(name) }));
    await pipeline(object.Body as Readable, createWriteStream(localFile, { mode: 0o600 }));
  }

  async getText(name: string): Promise<string> {
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const object = await (await this.client()).send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(name) }));
    return (object.Body as { transformToString(): Promise<string> }).transformToString();
  }

  async remove(name: string): Promise<void> {
    const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
    await (await this.client()).send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(name) }));
  }
}

/** The store a destination names: `s3://bucket[/prefix]`, else a directory. */
export function backupStore(destination: string, env: NodeJS.ProcessEnv = process.env): BackupStore {
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(destination);
  if (s3) {
    const prefix = s3[2] && !s3[2].endsWith('/') ? `${s3[2]}/` : s3[2];
    return new S3Store(s3[1], prefix, env);
  }
  return new DirectoryStore(path.resolve(destination));
}

/** A dump given on the command line: its store and its name there (`s3://b/p/shop/x.dump`, `backups/shop/x.dump`). */
export function dumpLocation(dump: string, env: NodeJS.ProcessEnv = process.env): { store: BackupStore; name: string } {
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(dump);
  if (s3) {
    const key = s3[2];
    const parts = key.split('/');
    // The name is `<key>/<file>`: the last two parts; what is before them is the store's prefix.
    const name = parts.slice(-2).join('/');
    return { store: backupStore(`s3://${s3[1]}/${parts.slice(0, -2).join('/')}`, env), name };
  }
  const file = path.resolve(dump);
  return { store: backupStore(path.dirname(path.dirname(file)), env), name: `${path.basename(path.dirname(file))}/${path.basename(file)}` };
}


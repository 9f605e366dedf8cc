/**
 * A stand-in for Amazon S3, for the backup tests: there is no S3 here. It
 * answers the four calls the backup store makes (PutObject, GetObject,
 * ListObjectsV2, DeleteObject) over real HTTP, path-style, so the real AWS
 * SDK talks to it, and records each request's headers (the encryption asked
 * for). It checks no signature and enforces nothing else of S3.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the stand-in saw it. */
export interface S3Request {
  readonly method: string;
  readonly bucket: string;
  readonly key: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** A running stand-in: its endpoint, what it stores, what it was asked. */
export interface S3StandIn {
  readonly endpoint: string;
  readonly objects: Map<string, Buffer>;
  readonly requests: S3Request[];
  close(): Promise<void>;
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function startS3StandIn(): Promise<S3StandIn> {
  const objects = new Map<string, Buffer>();
  const requests: S3Request[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, bucket, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', bucket, key, headers: req.headers });
      const id = `${bucket}/${key}`;
      if (req.method === 'PUT') {
        objects.set(id, Buffer.concat(chunks));
        res.writeHead(200, { ETag: '"stand-in"' }).end();
      } else if (req.method === 'GET' && url.searchParams.get('list-type') === '2') {
        const prefix = url.searchParams.get('prefix') ?? '';
        const keys = [...objects.keys()].filter((k) => k.startsWith(`${bucket}/${prefix}`)).map((k) => k.slice(bucket.length + 1)).sort();
        const contents = keys.map((k) => `<Contents><Key>${xml(k)}</Key><Size>${objects.get(`${bucket}/${k}`)!.length}</Size></Contents>`).join('');
        res.writeHead(200, { 'Content-Type': 'application/xml' }).end(
          `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${bucket}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${keys.length}</KeyCount><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
        );
      } else if (req.method === 'GET') {
        const body = objects.get(id);
        if (!body) res.writeHead(404, { 'Content-Type': 'application/xml' }).end('<Error><Code>NoSuchKey</Code><Message>not found</Message></Error>');
        else res.writeHead(200, { 'Content-Length': body.length }).end(body);
      } else if (req.method === 'DELETE') {
        objects.delete(id);
        res.writeHead(204).end();
      } else {
        res.writeHead(501).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, objects, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * TEST DOUBLE for CloudTrail ListPublicKeys, which moto does not implement: a tiny HTTP server speaking CloudTrail's
 * JSON protocol (awsJson1_1, `X-Amz-Target: CloudTrail_20131101.ListPublicKeys`) and answering in the API's shape
 * (`PublicKeyList: [{Value: base64 DER, ValidityStartTime, ValidityEndTime: epoch seconds, Fingerprint}]`). Any other
 * target gets an UnknownOperationException. It records each request's Region (from the SigV4 credential scope) and
 * StartTime/EndTime so tests can assert what was asked.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface KeysServer {
  url: string;
  requests: { region?: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

export async function startKeysServer(keys: { der: Buffer; fingerprint: string }[]): Promise<KeysServer> {
  const requests: KeysServer['requests'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const region = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\/cloudtrail\//.exec(String(req.headers.authorization ?? ''))?.[1];
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (target !== 'CloudTrail_20131101.ListPublicKeys') {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'UnknownOperationException', message: `not served by this test double: ${target}` }));
        return;
      }
      let parsed: Record<string, unknown> = {};
      try {
        parsed = JSON.parse(body || '{}') as Record<string, unknown>;
      } catch {
        // leave empty
      }
      requests.push({ region, body: parsed });
      res.end(
        JSON.stringify({
          PublicKeyList: keys.map((k) => ({
            Value: k.der.toString('base64'),
            ValidityStartTime: Date.UTC(2026, 0, 1) / 1000,
            ValidityEndTime: Date.UTC(2026, 11, 31) / 1000,
            Fingerprint: k.fingerprint,
          })),
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(() => r())) };
}

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Http1ResponseParser, MalformedHttp1Response } from './http1-response-parser.js';

describe('Http1ResponseParser', () => {
  it('splits pipelined responses fed a byte at a time, skipping 100 Continue and honouring HEAD', () => {
    const parser = new Http1ResponseParser();
    for (const method of ['POST', 'HEAD', 'POST', 'GET']) parser.expect(method);
    const wire = Buffer.from(
      'HTTP/1.1 100 Continue\r\n\r\n' +
        'HTTP/1.1 400 Bad Request\r\nContent-Length: 5\r\nX-A: 1\r\nX-A: 2\r\n\r\nhello' +
        'HTTP/1.1 403 Forbidden\r\nContent-Length: 9\r\n\r\n' +
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\n\r\n' +
        'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\nrest',
    );
    const responses = [];
    for (const byte of wire) responses.push(...parser.push(Buffer.from([byte])));
    responses.push(...parser.end());
    assert.deepEqual(
      responses.map((r) => [r.status, r.body.toString()]),
      [[400, 'hello'], [403, ''], [200, 'abcde'], [400, 'rest']],
    );
    assert.equal(responses[0]!.headers['x-a'], '1, 2');
    assert.equal(parser.leftover, 0);
  });

  it('refuses a garbage status line and a body cut by the close', () => {
    assert.throws(() => new Http1ResponseParser().push(Buffer.from('HTTP/9 nope\r\n\r\n')), MalformedHttp1Response);
    const parser = new Http1ResponseParser();
    parser.expect('POST');
    assert.deepEqual(parser.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc')), []);
    assert.throws(() => parser.end(), MalformedHttp1Response);
  });
});

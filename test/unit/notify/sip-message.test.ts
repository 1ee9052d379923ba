import { describe, expect, it } from 'vitest';
import {
  SipStreamDecoder,
  buildNotifyRequest,
  firstHeader,
  parseCSeq,
  parseSipMessage,
  topViaBranch,
  type NotifyRequestSpec,
} from '#src/modules/notify/sip/sip-message.js';

const spec: NotifyRequestSpec = {
  requestUri: 'sip:100@10.0.0.5:5062',
  toUri: 'sip:100@10.0.0.5:5062',
  transport: 'UDP',
  sentBy: '10.0.0.1:5060',
  branch: 'z9hG4bKabc123',
  fromUri: 'sip:provd@10.0.0.1',
  fromTag: 'f00d',
  callId: 'call-1',
  cseq: 1,
  contactUri: 'sip:provd@10.0.0.1:5060',
  event: 'service-control',
  contentType: 'text/plain',
  body: 'action=restart',
};

describe('buildNotifyRequest', () => {
  it('writes an out-of-dialog NOTIFY with every mandatory header and an exact Content-Length', () => {
    const text = buildNotifyRequest({ ...spec, body: 'äction=restart' }).toString('utf8');
    expect(text.split('\r\n\r\n')[0]!.split('\r\n')).toEqual([
      'NOTIFY sip:100@10.0.0.5:5062 SIP/2.0',
      'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKabc123;rport',
      'Max-Forwards: 70',
      'From: <sip:provd@10.0.0.1>;tag=f00d',
      'To: <sip:100@10.0.0.5:5062>',
      'Call-ID: call-1',
      'CSeq: 1 NOTIFY',
      'Contact: <sip:provd@10.0.0.1:5060>',
      'Event: service-control',
      'Subscription-State: terminated',
      'Content-Type: text/plain',
      'Content-Length: 15',
    ]);
    expect(text.endsWith('\r\n\r\näction=restart')).toBe(true);
  });

  it('omits Content-Type without a body', () => {
    const text = buildNotifyRequest({ ...spec, body: undefined, contentType: undefined }).toString();
    expect(text).not.toContain('Content-Type');
    expect(text.endsWith('Content-Length: 0\r\n\r\n')).toBe(true);
  });

  it('refuses header values with line breaks', () => {
    expect(() => buildNotifyRequest({ ...spec, event: 'check-sync\r\nX: y' })).toThrow(TypeError);
  });
});

describe('parseSipMessage', () => {
  it('reads a response with compact headers, bare LF, folding and several Via values on one line', () => {
    const raw =
      'SIP/2.0 200 OK\n' +
      'v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKtop;rport=5060;received=10.0.0.1, SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKsecond\n' +
      'i: call-1\n' +
      'CSeq:   1\n' +
      '   NOTIFY\n' +
      'l: 0\n\n';
    const message = parseSipMessage(Buffer.from(raw))!;
    expect(message).toMatchObject({ kind: 'response', status: 200, reason: 'OK' });
    expect(topViaBranch(message)).toBe('z9hG4bKtop');
    expect(message.headers.get('via')).toHaveLength(2);
    expect(firstHeader(message, 'Call-ID')).toBe('call-1');
    expect(parseCSeq(message)).toEqual({ seq: 1, method: 'NOTIFY' });
  });

  it('takes the top Via from the first of several Via headers, case-insensitively', () => {
    const raw =
      'SIP/2.0 481 Call/Transaction Does Not Exist\r\nVIA: SIP/2.0/TCP h;BRANCH=z9hG4bKone\r\nVia: SIP/2.0/UDP x;branch=z9hG4bKtwo\r\ncseq: 7 notify\r\n\r\n';
    const message = parseSipMessage(Buffer.from(raw))!;
    expect(message.reason).toBe('Call/Transaction Does Not Exist');
    expect(topViaBranch(message)).toBe('z9hG4bKone');
    expect(parseCSeq(message)).toEqual({ seq: 7, method: 'NOTIFY' });
  });

  it('accepts a response without reason phrase and skips leading CRLFs', () => {
    expect(parseSipMessage(Buffer.from('\r\n\r\nSIP/2.0 100\r\n\r\n'))).toMatchObject({ status: 100, reason: '' });
  });

  it('recognises requests and rejects garbage', () => {
    expect(parseSipMessage(Buffer.from('OPTIONS sip:x SIP/2.0\r\nCSeq: 1 OPTIONS\r\n\r\n'))).toMatchObject({
      kind: 'request',
      method: 'OPTIONS',
    });
    expect(parseSipMessage(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'))).toBeUndefined();
    expect(parseSipMessage(Buffer.from('SIP/2.0 200 OK\r\nno colon here\r\n\r\n'))).toBeUndefined();
  });
});

describe('SipStreamDecoder', () => {
  const response = (branch: string, body = '') =>
    `SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP h;branch=${branch}\r\nCSeq: 1 NOTIFY\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

  it('cuts messages at Content-Length across arbitrary chunk boundaries, skipping keep-alives', () => {
    const stream = Buffer.from(
      '\r\n\r\n' + response('z9hG4bKa', 'hé') + '\r\n' + response('z9hG4bKb') + response('z9hG4bKc', 'x'),
    );
    for (const size of [1, 2, 7, 64, stream.length]) {
      const decoder = new SipStreamDecoder();
      const frames: Buffer[] = [];
      for (let i = 0; i < stream.length; i += size) frames.push(...decoder.push(stream.subarray(i, i + size)));
      expect(frames.map((f) => topViaBranch(parseSipMessage(f)!))).toEqual(['z9hG4bKa', 'z9hG4bKb', 'z9hG4bKc']);
      expect(parseSipMessage(frames[0]!)!.body.toString('utf8')).toBe('hé');
    }
  });

  it('understands the compact Content-Length and waits for a body still in flight', () => {
    const decoder = new SipStreamDecoder();
    expect(decoder.push(Buffer.from('SIP/2.0 200 OK\r\nl: 5\r\n\r\nabc'))).toEqual([]);
    const [frame] = decoder.push(Buffer.from('de'));
    expect(parseSipMessage(frame!)!.body.toString()).toBe('abcde');
  });

  it('gives up on oversized messages instead of buffering forever', () => {
    const decoder = new SipStreamDecoder();
    expect(() => decoder.push(Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 99999999\r\n\r\n'))).toThrow(RangeError);
    expect(() => new SipStreamDecoder().push(Buffer.alloc(70_000, 0x41))).toThrow(RangeError);
  });
});

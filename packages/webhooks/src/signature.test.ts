import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { webhookEventsOf } from './events';
import { signWebhook, verifyWebhookSignature } from './signature';

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"event":"document.indexed","data":{"id":"x"}}';

  it('signs timestamp and body with HMAC-SHA256, as a receiver can recompute by hand', () => {
    const header = signWebhook(secret, body, 1_700_000_000);
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(header).toBe(`t=1700000000,v1=${expected}`);
    expect(verifyWebhookSignature(header, body, secret, { now: 1_700_000_100 })).toBe(true);
  });

  it('refuses another secret, a changed body, an old timestamp and malformed headers', () => {
    const header = signWebhook(secret, body, 1_700_000_000);
    const at = { now: 1_700_000_000 };
    expect(verifyWebhookSignature(header, body, 'whsec_other', at)).toBe(false);
    expect(verifyWebhookSignature(header, `${body} `, secret, at)).toBe(false);
    expect(verifyWebhookSignature(header, body, secret, { now: 1_700_000_000 + 301 })).toBe(false);
    expect(verifyWebhookSignature(header.replace('t=1700000000', 't=1700000001'), body, secret, at)).toBe(
      false,
    );
    for (const bad of [null, '', 'v1=abc', 't=x,v1=00', `t=1700000000,v1=${'0'.repeat(63)}`])
      expect(verifyWebhookSignature(bad, body, secret, at)).toBe(false);
  });
});

describe('events of an indexing outcome', () => {
  const id = 'd'.repeat(32);
  it('names document and story events', () => {
    expect(webhookEventsOf({ id, action: 'inserted', storyId: id })).toEqual([
      { event: 'document.indexed', subjectId: id },
      { event: 'story.created', subjectId: id },
    ]);
    expect(webhookEventsOf({ id, action: 'updated', storyId: 's'.repeat(32) })).toEqual([
      { event: 'document.indexed', subjectId: id },
      { event: 'story.updated', subjectId: 's'.repeat(32) },
    ]);
    expect(webhookEventsOf({ id, action: 'duplicate', storyId: 's'.repeat(32) })).toEqual([
      { event: 'story.updated', subjectId: 's'.repeat(32) },
    ]);
    expect(webhookEventsOf({ id, action: 'unchanged', storyId: id })).toEqual([]);
  });
});

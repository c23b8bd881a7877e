import { parseArgs } from 'node:util';
import type { WebhookDelivery, WebhookSubscription } from '@sluice/store';
import { callApi } from '../api-client';
import type { Command } from './index';

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

function formatSubscription(hook: WebhookSubscription): string {
  const filter = Object.entries(hook.filter)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  const counts = Object.entries(hook.deliveries)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
  return `${hook.id}  ${hook.url}\n  ${hook.events.join(', ')}${filter ? `  (${filter})` : ''}  ·  ${counts || 'no deliveries yet'}`;
}

function formatDelivery(delivery: WebhookDelivery): string {
  const detail = delivery.error ?? (delivery.responseStatus ? `HTTP ${delivery.responseStatus}` : '');
  return `  ${delivery.createdAt.slice(0, 19).replace('T', ' ')}  ${delivery.event.padEnd(16)} ${delivery.subjectId}  ${delivery.status} after ${plural(delivery.attempts, 'attempt')}${detail ? `  ${detail}` : ''}`;
}

export const webhooksCommand: Command = {
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        event: { type: 'string', multiple: true },
        q: { type: 'string' },
        source: { type: 'string' },
        lang: { type: 'string' },
        entity: { type: 'string' },
        story: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    const [action = 'list', target] = positionals;
    const print = (value: unknown, text: () => string) =>
      console.log(values.json ? JSON.stringify(value, null, 2) : text());
    if (action === 'list') {
      const { webhooks } = (await (await callApi('GET', '/webhooks')).json()) as {
        webhooks: WebhookSubscription[];
      };
      print(webhooks, () => (webhooks.length ? webhooks.map(formatSubscription).join('\n') : 'no webhooks'));
      return 0;
    }
    if (!target) throw new Error(`webhooks ${action} needs ${action === 'add' ? 'a URL' : 'an ID'}`);
    if (action === 'add') {
      const filter = Object.fromEntries(
        (['q', 'source', 'lang', 'entity', 'story'] as const).flatMap((key) =>
          values[key] ? [[key, values[key]]] : [],
        ),
      );
      const body = { url: target, events: values.event ?? ['document.indexed'], filter };
      const created = (await (await callApi('POST', '/webhooks', body)).json()) as WebhookSubscription & {
        secret: string;
      };
      print(
        created,
        () =>
          `${formatSubscription(created)}\n\nsigning secret (shown once; verify Sluice-Signature with it):\n  ${created.secret}`,
      );
      return 0;
    }
    if (action === 'show') {
      const hook = (await (
        await callApi('GET', `/webhooks/${encodeURIComponent(target)}`)
      ).json()) as WebhookSubscription & {
        deliveryLog: WebhookDelivery[];
      };
      print(hook, () => [formatSubscription(hook), ...hook.deliveryLog.map(formatDelivery)].join('\n'));
      return 0;
    }
    if (action === 'delete') {
      await callApi('DELETE', `/webhooks/${encodeURIComponent(target)}`);
      print({ deleted: target }, () => `deleted ${target}`);
      return 0;
    }
    throw new Error(`unknown action "${action}": use add, show, delete or nothing to list`);
  },
};

import type { WebhookEvent } from '@sluice/contracts';
import type { IndexOutcome } from '@sluice/store';

export interface WebhookEventOf {
  event: WebhookEvent;
  subjectId: string;
}

/**
 * The events an indexing outcome means: a new or changed document is `document.indexed`; a new
 * document that opened its own story (a story's id is its first document's) is `story.created`;
 * any other change that touched a story (a member joined, an exact duplicate added a source) is
 * `story.updated`. An unchanged document means nothing.
 */
export function webhookEventsOf(outcome: Pick<IndexOutcome, 'id' | 'action' | 'storyId'>): WebhookEventOf[] {
  if (outcome.action === 'unchanged') return [];
  const events: WebhookEventOf[] = [];
  if (outcome.action === 'inserted' || outcome.action === 'updated')
    events.push({ event: 'document.indexed', subjectId: outcome.id });
  if (outcome.storyId) {
    const created = outcome.action === 'inserted' && outcome.storyId === outcome.id;
    events.push({ event: created ? 'story.created' : 'story.updated', subjectId: outcome.storyId });
  }
  return events;
}

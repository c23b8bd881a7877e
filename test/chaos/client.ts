import type { ChaosDocument } from './corpus';

/** Every answer the API gave, by status (0 = no answer at all). */
export type Answers = Map<number, number>;

export interface Submission {
  accepted: Map<number, string>;
  answers: Answers;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Submits documents to `POST /documents` as a patient client would: a few at a time, and a
 * document refused for a passing reason (503, 5xx, no answer) is sent again after a pause,
 * until `deadline`. A document counts as accepted once the API answered 202 with its id.
 */
export async function submitAll(
  apiUrl: string,
  documents: readonly ChaosDocument[],
  {
    concurrency = 8,
    deadline = Date.now() + 300_000,
    retryMs = 500,
    answers = new Map() as Answers,
    accepted = new Map<number, string>(),
    /** Take a 503 as the final answer (the caller re-submits later) instead of retrying. */
    acceptBackoff = false,
  } = {},
): Promise<Submission> {
  let next = 0;
  const worker = async () => {
    while (next < documents.length) {
      const document = documents[next++] as ChaosDocument;
      while (Date.now() < deadline) {
        const status = await post(apiUrl, document, accepted);
        answers.set(status, (answers.get(status) ?? 0) + 1);
        if (status === 202 || (status >= 400 && status < 500 && status !== 429)) break;
        if (acceptBackoff && (status === 503 || status === 429)) break;
        await sleep(retryMs);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { accepted, answers };
}

async function post(apiUrl: string, document: ChaosDocument, accepted: Map<number, string>): Promise<number> {
  try {
    const response = await fetch(`${apiUrl}/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        document.url ? { url: document.url } : { text: document.text, source: document.source },
      ),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json().catch(() => ({}))) as { id?: string };
    if (response.status === 202 && body.id) accepted.set(document.n, body.id);
    return response.status;
  } catch {
    return 0;
  }
}

export const describeAnswers = (answers: Answers) =>
  [...answers.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status || 'no answer'}: ${count}`)
    .join(', ');

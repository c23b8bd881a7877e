import { callApi } from '../api-client';

export type FinalStatus = 'indexed' | 'failed' | 'skipped';

export interface DocumentState {
  id: string;
  status: string;
  title: string | null;
  reason: string | null;
}

const FINAL = new Set(['indexed', 'failed', 'skipped']);
export const isFinal = (status: string): status is FinalStatus => FINAL.has(status);

/** Ids per status request (the API's limit). */
const SLICE = 500;

/** The states of the given documents, asked in slices of the API's limit. */
export async function documentStates(ids: string[]): Promise<DocumentState[]> {
  const states: DocumentState[] = [];
  for (let start = 0; start < ids.length; start += SLICE) {
    const response = await callApi('POST', '/documents/status', { ids: ids.slice(start, start + SLICE) });
    states.push(...((await response.json()) as { documents: DocumentState[] }).documents);
  }
  return states;
}

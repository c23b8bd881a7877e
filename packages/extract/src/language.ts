import { loadLanguageDetector } from './language-detector';

const eld = await loadLanguageDetector();

/** Characters of text fed to the detector: enough for a stable guess, cheap on long articles. */
const SAMPLE_CHARS = 2000;
const MIN_LETTERS = 20;

/** The primary subtag of a declared language ("en-GB" → "en"), or null when malformed. */
export function primaryLanguage(tag: string | null | undefined): string | null {
  const match = /^\s*([a-z]{2,3})(?:[-_][a-z0-9]+)*\s*$/i.exec(tag ?? '');
  return match ? match[1]!.toLowerCase() : null;
}

/**
 * ISO 639-1 language of the text. The page's declared language wins when the detector is unsure or
 * agrees with it; a reliable detection that contradicts it wins (templates often declare "en").
 * Null when there is too little text and nothing declared.
 */
export function detectLanguage(text: string, declared?: string | null): string | null {
  const declaredCode = primaryLanguage(declared);
  const sample = text.slice(0, SAMPLE_CHARS);
  if ((sample.match(/\p{L}/gu)?.length ?? 0) < MIN_LETTERS) return declaredCode;
  let detected: string | null = null;
  let reliable = false;
  try {
    const result = eld.detect(sample);
    detected = result.language || null;
    reliable = result.isReliable();
  } catch {
    return declaredCode;
  }
  if (!detected) return declaredCode;
  if (!declaredCode) return reliable ? detected : null;
  if (declaredCode === detected || !reliable) return declaredCode;
  return detected;
}

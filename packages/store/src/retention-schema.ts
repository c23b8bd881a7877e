/**
 * The retention pass's migrations (namespace `retention`), apart from the document migrations so
 * the two lists grow independently. Append new entries; never edit an applied one.
 *
 * `expired_stories` remembers the ids of stories that retention emptied (and the ids merged into
 * them), so a link someone kept answers 410 Gone with a date rather than a bare 404.
 */
export const retentionMigrations: string[] = [
  `
  CREATE TABLE expired_stories (
    id text PRIMARY KEY,
    expired_at timestamptz NOT NULL DEFAULT now()
  )
  `,
];

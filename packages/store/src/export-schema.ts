/**
 * The export's migrations (namespace `export`), kept apart from the document migrations so the
 * export can evolve on its own. Append new entries; never edit an applied one.
 *
 * `changed_at` is when a row last changed in any way: its default on insert, then set by a
 * trigger on every update rather than by the code that writes, because documents change on many
 * paths (re-indexing, exact duplicates adding sources, story merges moving members) and an
 * incremental export must see every one of them. The trigger compares nothing: a plain
 * assignment is the cheapest thing to run on the index's hot path.
 * The function body sits on one line because `runMigrations` splits scripts on `;` + newline.
 */
export const exportMigrations: string[] = [
  `
  CREATE OR REPLACE FUNCTION sluice_touch_changed_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.changed_at := now(); RETURN NEW; END $$;

  ALTER TABLE documents ADD COLUMN changed_at timestamptz;
  UPDATE documents SET changed_at = updated_at;
  ALTER TABLE documents ALTER COLUMN changed_at SET NOT NULL;
  ALTER TABLE documents ALTER COLUMN changed_at SET DEFAULT now();
  CREATE INDEX documents_changed_at_idx ON documents (changed_at, id);
  CREATE TRIGGER documents_changed_at_update BEFORE UPDATE ON documents
    FOR EACH ROW EXECUTE FUNCTION sluice_touch_changed_at();

  ALTER TABLE stories ADD COLUMN changed_at timestamptz;
  UPDATE stories SET changed_at = updated_at;
  ALTER TABLE stories ALTER COLUMN changed_at SET NOT NULL;
  ALTER TABLE stories ALTER COLUMN changed_at SET DEFAULT now();
  CREATE INDEX stories_changed_at_idx ON stories (changed_at, id);
  CREATE TRIGGER stories_changed_at_update BEFORE UPDATE ON stories
    FOR EACH ROW EXECUTE FUNCTION sluice_touch_changed_at()
  `,
];

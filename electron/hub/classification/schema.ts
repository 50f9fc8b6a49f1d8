// Hub schema step 9 (hub-schema.ts): the room's classification levels, seeded with the defaults
// (Normal, Confidential, Secret), and each paper's level. A level's rules are one JSON value
// checked against shared/classification.ts whenever it is read, so a rule added later is an
// optional field, not a table rebuild; `position` keeps the order the admin set.
import type { Database } from '../../core/store.ts';
import { DEFAULT_LEVEL_ID, DEFAULT_LEVELS } from '../../../shared/classification.ts';

export function classificationTables(db: Database): void {
  db.exec(`
    CREATE TABLE classification_levels (
      id TEXT PRIMARY KEY, position INTEGER NOT NULL, definition TEXT NOT NULL
    );
    ALTER TABLE papers ADD COLUMN level TEXT NOT NULL DEFAULT '${DEFAULT_LEVEL_ID}';
    CREATE INDEX papers_level ON papers(level);
  `);
  const put = db.prepare('INSERT INTO classification_levels (id, position, definition) VALUES (?, ?, ?)');
  DEFAULT_LEVELS.forEach((l, i) => put.run(l.id, i, JSON.stringify(l)));
}

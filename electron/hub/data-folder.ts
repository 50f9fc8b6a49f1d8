// A hub's data folder remembers that it holds a room, so losing the database is an error rather
// than a fresh start. Before this, an empty or missing hub.sqlite in a used folder silently
// became a brand-new room with a new admin password, and every tablet's next sign-in failed.
//
// The folder's marker file names the room (a random id, also kept in the database's `meta`
// table). At start: a folder with a marker, a WAL or a shared-memory file but no database (or an
// empty one, or one that holds no room) is refused, and so is a database that names another room.
// A folder from before markers is adopted on its first start.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../core/store.ts';
import type { HubDb } from './hub-db.ts';

export const ROOM_MARKER = 'chamber-room.json';
const ROOM_META_KEY = 'room-id';

export class DataFolderError extends Error {
  override name = 'DataFolderError';
}

export interface DataFolderState {
  dataDir: string;
  /** The room the folder's marker names, or null for a new folder (or one from before markers). */
  markerRoomId: string | null;
}

const ADVICE = 'restore hub.sqlite (with its -wal file, if any) from a backup, or give --data an empty folder to start a new room';

function readMarker(dataDir: string): string | null {
  const file = path.join(dataDir, ROOM_MARKER);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new DataFolderError(`cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as { roomId?: unknown };
    if (typeof parsed.roomId === 'string' && /^[a-f0-9]{32}$/.test(parsed.roomId)) return parsed.roomId;
  } catch {
    /* reported below */
  }
  throw new DataFolderError(`${file} is damaged (no room id in it): ${ADVICE}`);
}

/** Before the database is opened (and so created): refuses a used folder that has lost it. */
export function inspectDataFolder(dataDir: string, dbFile: string): DataFolderState {
  const markerRoomId = readMarker(dataDir);
  const size = fs.statSync(dbFile, { throwIfNoEntry: false })?.size ?? -1;
  if (size <= 0) {
    const traces = [
      markerRoomId ? ROOM_MARKER : null,
      fs.existsSync(`${dbFile}-wal`) ? `${path.basename(dbFile)}-wal` : null,
      fs.existsSync(`${dbFile}-shm`) ? `${path.basename(dbFile)}-shm` : null,
    ].filter((t): t is string => t !== null);
    if (traces.length > 0) {
      throw new DataFolderError(`${dataDir} held a room (${traces.join(', ')}) but its database ${path.basename(dbFile)} is `
        + `${size < 0 ? 'missing' : 'empty'}: refusing to start a new, empty room in its place; ${ADVICE}`);
    }
  }
  return { dataDir, markerRoomId };
}

const hasTable = (sqlite: Database, name: string) => sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

/**
 * After opening, before any table is created: the room this database holds, checked against the
 * folder's marker. Returns the room id the folder and database are to carry.
 */
export function claimDatabase(sqlite: Database, folder: DataFolderState): string {
  const dbRoomId = hasTable(sqlite, 'meta')
    ? ((sqlite.prepare('SELECT value FROM meta WHERE key = ?').get(ROOM_META_KEY) as { value: string } | undefined)?.value ?? null)
    : null;
  if (folder.markerRoomId) {
    if (dbRoomId && dbRoomId !== folder.markerRoomId) {
      throw new DataFolderError(`the database in ${folder.dataDir} belongs to another room (${dbRoomId}, the folder's is ${folder.markerRoomId}): ${ADVICE}`);
    }
    const accounts = hasTable(sqlite, 'accounts') ? (sqlite.prepare('SELECT COUNT(*) AS n FROM accounts').get() as { n: number }).n : 0;
    if (!dbRoomId && accounts === 0) {
      throw new DataFolderError(`${folder.dataDir} held a room but its database holds none (no room id, no accounts): `
        + `refusing to start a new, empty room in its place; ${ADVICE}`);
    }
  }
  return dbRoomId ?? folder.markerRoomId ?? crypto.randomBytes(16).toString('hex');
}

/** Writes the room id into the database and the folder's marker, where either lacks it. */
export function recordRoom(folder: DataFolderState, db: HubDb, roomId: string): void {
  if (db.getMeta(ROOM_META_KEY) !== roomId) db.setMeta(ROOM_META_KEY, roomId);
  if (folder.markerRoomId === roomId) return;
  const file = path.join(folder.dataDir, ROOM_MARKER);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify({ chamber: 'hub', roomId, createdAt: new Date().toISOString() })}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

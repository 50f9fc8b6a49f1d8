// Child process for core-wal-flusher.test.ts: a writer beside a WAL flusher that checkpoints and
// checkpoints several times a second (the writer then starts the WAL over). Each commit is reported (`ack N`) only after
// `appendUpdate` returned, as the hub acknowledges; the test kills this process with SIGKILL.
import { DocStore, openDatabase } from '../../electron/core/store.ts';
import { startWalFlusher } from '../../electron/core/wal-flusher.ts';

const file = process.argv[2]!;
const db = openDatabase(file, { synchronous: 'NORMAL' });
const store = new DocStore(db);
startWalFlusher(file, { intervalMs: 20, checkpointMs: 60, main: db });
let n = 0;
const next = () => {
  store.appendUpdate('meeting/k', Uint8Array.of(n & 0xff, n >> 8, 0, 0));
  n++;
  process.stdout.write(`ack ${n}\n`);
  setTimeout(next, 1);
};
next();

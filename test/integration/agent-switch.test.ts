// Switching account on a device never drops notes the hub does not have yet. delegate1 writes
// notes through the agent while the agent's document links to the hub are held back (a TCP relay
// that lets HTTP through but refuses /sync/ upgrades), then delegate2 signs in on the same agent.
// The notes stay in the encrypted cache, out of delegate2's reach, and reach the hub once
// delegate1 signs in there again. Real hub and agent processes.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startHub, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced, type YClient } from '../helpers/yclient.ts';
import { openAgentCache, startAgentProcess, waitStatus } from './agent-helpers.ts';
import { notesDocName } from '../../shared/doc-names.ts';

/** Pipes TCP to the hub; while `holdSync`, refuses WebSocket upgrades to /sync/ (and cuts open ones). */
class SyncGate {
  holdSync = false;
  port = 0;
  private readonly server: net.Server;
  private readonly sync = new Set<net.Socket>();
  private readonly all = new Set<net.Socket>();
  constructor(hubPort: number) {
    this.server = net.createServer((client) => {
      this.all.add(client);
      const upstream = net.connect(hubPort, '127.0.0.1');
      this.all.add(upstream);
      let first = true;
      client.on('data', (d) => {
        if (first) {
          first = false;
          if (d.toString('latin1').startsWith('GET /sync/')) {
            if (this.holdSync) {
              client.destroy();
              upstream.destroy();
              return;
            }
            this.sync.add(client);
          }
        }
        upstream.write(d);
      });
      upstream.on('data', (d) => client.write(d));
      const end = () => {
        client.destroy();
        upstream.destroy();
        this.sync.delete(client);
        this.all.delete(client);
        this.all.delete(upstream);
      };
      for (const s of [client, upstream]) {
        s.on('close', end);
        s.on('error', end);
      }
    });
  }
  async listen(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
  }
  hold(): void {
    this.holdSync = true;
    for (const s of this.sync) s.destroy();
  }
  async close(): Promise<void> {
    for (const s of this.all) s.destroy();
    await new Promise((r) => this.server.close(r));
  }
}

let hub: RunningProcess;
let gate: SyncGate;
let agent: RunningProcess;
let dir: string;
const clients: YClient[] = [];
const track = (c: YClient) => (clients.push(c), c);

beforeAll(async () => {
  hub = await startHub(tempDir(), { demo: true });
  gate = new SyncGate(hub.port);
  await gate.listen();
  dir = tempDir();
  agent = await startAgentProcess(`http://127.0.0.1:${gate.port}`, dir, 'delegate1');
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await agent?.stop();
  await gate?.close();
  await hub?.stop();
});

describe('switching account on a device', () => {
  it('keeps the previous user\'s unsynced notes, out of the next user\'s reach, and syncs them later', async () => {
    const d1 = await signIn(agent.url, 'delegate1');
    const s = await waitStatus(agent.url, d1.token, (st) => st.hub === 'online' && st.prefetch.length === 1, 'replicated');
    const meetingId = s.prefetch[0]!.meetingId;
    const notes = notesDocName(meetingId, d1.user.id);

    // The agent's links to the hub are cut and refused from now on; HTTP still goes through.
    gate.hold();
    const writer = track(connectDoc(agent.url, notes, d1.token));
    await waitSynced(writer);
    writer.doc.getMap('hardening').set('unsynced', 'written while the hub link was down');
    // Committed by the agent: a second client of the agent sees it.
    const reader = track(connectDoc(agent.url, notes, d1.token));
    await waitFor(() => reader.doc.getMap('hardening').get('unsynced') !== undefined, 10_000, 'the note at the agent');
    const direct = await signIn(hub.url, 'delegate1');
    const atHub = track(connectDoc(hub.url, notes, direct.token));
    await waitSynced(atHub);
    expect(atHub.doc.getMap('hardening').get('unsynced')).toBeUndefined();
    writer.destroy();
    reader.destroy();

    // Another account signs in on the same device (online: the hub accepts it).
    const d2 = await signIn(agent.url, 'delegate2');
    expect(d2.user.id).not.toBe(d1.user.id);
    // delegate1's local session ended with the switch.
    expect((await api(agent.url, d1.token, '/api/meetings')).status).toBe(401);
    await waitStatus(agent.url, d2.token, (st) => st.prefetch.length === 1, 'delegate2\'s meeting kept');
    // delegate2 cannot open delegate1's notes on this agent.
    const peek = track(connectDoc(agent.url, notes, d2.token));
    expect((await peek.closed).code).toBe(4403);
    peek.destroy();
    // The notes are still in the cache.
    const db = openAgentCache(dir);
    try {
      const rows = (db.prepare('SELECT (SELECT COUNT(*) FROM doc_updates WHERE doc = ?) + (SELECT COUNT(*) FROM doc_snapshots WHERE doc = ?) AS n').get(notes, notes) as { n: number }).n;
      expect(rows).toBeGreaterThan(0);
    } finally {
      db.close();
    }

    // delegate1 comes back to this device with the hub link restored: the notes reach the hub.
    gate.holdSync = false;
    const back = await signIn(agent.url, 'delegate1');
    await waitStatus(agent.url, back.token, (st) => st.hub === 'online' && st.prefetch.length === 1, 'replicated again');
    await waitFor(() => atHub.doc.getMap('hardening').get('unsynced') === 'written while the hub link was down', 20_000, 'the note at the hub');
  });
});

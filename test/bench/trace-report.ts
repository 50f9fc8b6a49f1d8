// Lines a bench's saves up with what the hub (and optionally the agents) did meanwhile, from the
// processes' `CHAMBER_TRACE=1` output (electron/core/trace.ts): the hub's commit and fan-out of
// each save, the WAL flusher's syncs and checkpoints, and event-loop stalls. Used by the devices
// bench with DEVICES_BENCH_VERBOSE=1 to find what a slow save waited for.
import { readTrace } from '../../electron/core/trace.ts';
import { pct } from './stats.ts';

type Event = ReturnType<typeof readTrace>[number];

export interface TracedRound {
  r: number;
  savedAt: number;
  /** Save → arrived at each agent's client (ms), in agent order. */
  latencies: number[];
}

const f1 = (x: number) => x.toFixed(1);
const msOf = (e: Event) => Number(e.ms ?? 0);

function describe(e: Event, origin: number): string {
  const extra = Object.entries(e).filter(([k]) => !['ev', 'at', 'ms', 'doc'].includes(k)).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  return `${e.ev}@${f1(e.at - origin)}+${f1(msOf(e))}${extra ? ` (${extra})` : ''}`;
}

/** Prints, per round, the hub's commit and fan-out and whatever else the hub did around it; then a summary. */
export function reportTrace(rounds: TracedRound[], hubOutput: string, docName: string, agentOutputs: string[] | null, slowMs = 60): void {
  const hub = readTrace(hubOutput);
  const agents = agentOutputs?.map((o) => readTrace(o)) ?? null;
  const commits = hub.filter((e) => e.ev === 'commit' && e.doc === docName);
  const checkpoints = hub.filter((e) => e.ev === 'checkpoint');
  const syncs = hub.filter((e) => e.ev === 'wal-sync');
  // Only while the saves ran: starting fifty agents (sign-ins, scrypt) stalls the hub by design.
  const from = (rounds[0]?.savedAt ?? 0) - 1000;
  const stalls = hub.filter((e) => e.ev === 'loop-stall' && e.at >= from);
  console.log('\nhub trace per save (times from the save, ms; event@start+duration):');
  for (const round of rounds) {
    const last = Math.max(...round.latencies);
    const end = round.savedAt + last;
    const commit = commits.find((e) => e.at >= round.savedAt - 5 && e.at <= end);
    const publish = commit && hub.find((e) => e.ev === 'publish' && e.doc === docName && e.at >= commit.at);
    const around = hub.filter((e) => e.ev !== 'commit' && e.ev !== 'publish' && e.at + msOf(e) >= round.savedAt - 50 && e.at <= end);
    const sinceCheckpoint = commit ? commit.at - Math.max(-Infinity, ...checkpoints.filter((c) => c.at < commit.at).map((c) => c.at + msOf(c))) : NaN;
    console.log(`  round ${round.r}: last agent ${f1(last)}${last >= slowMs ? ' SLOW' : ''}; hub ${commit ? `commit@${f1(commit.at - round.savedAt)}+${f1(msOf(commit))}` : 'commit not traced'}` +
      `${publish ? `, publish@${f1(publish.at - round.savedAt)}+${f1(msOf(publish))} to ${String(publish.peers)}` : ''}` +
      `${Number.isFinite(sinceCheckpoint) ? `, ${f1(sinceCheckpoint)} after a checkpoint ended` : ''}` +
      `${around.length ? `; meanwhile ${around.map((e) => describe(e, round.savedAt)).join(', ')}` : ''}`);
    if (agents) {
      // Each agent commits the save to its own cache (synchronous=FULL: an fsync) before its client hears of it.
      const theirs = agents.map((events) => events.find((e) => e.ev === 'commit' && e.doc === docName && e.at >= round.savedAt && e.at <= end));
      const took = theirs.filter((e) => e !== undefined).map(msOf);
      const starts = theirs.filter((e) => e !== undefined).map((e) => e.at - round.savedAt);
      console.log(`    agents' commits: ${took.length} traced, started +${f1(Math.min(...starts))}..+${f1(Math.max(...starts))}, took p50 ${f1(pct(took, 50))} / max ${f1(Math.max(...took))}`);
      if (last >= slowMs) {
        const slowest = round.latencies.indexOf(last);
        const mine = agents[slowest]!.filter((e) => e.at + msOf(e) >= round.savedAt - 50 && e.at <= end);
        console.log(`    slowest agent #${slowest}: ${mine.map((e) => describe(e, round.savedAt)).join(', ') || 'nothing traced'}`);
      }
    }
  }
  const allCommits = hub.filter((e) => e.ev === 'commit').map(msOf);
  const summary = (name: string, xs: number[]) => `${name}: ${xs.length}, p50 ${f1(pct(xs, 50))} / p99 ${f1(pct(xs, 99))} / max ${f1(xs.length ? Math.max(...xs) : NaN)} ms`;
  console.log(`\nhub over the whole run: ${summary('commits (all docs)', allCommits)}; ${summary('WAL syncs', syncs.map(msOf))}; ${summary('checkpoints', checkpoints.map(msOf))}`);
  const slowCommits = hub.filter((e) => e.ev === 'commit' && msOf(e) > 5);
  for (const c of slowCommits) {
    const before = checkpoints.filter((k) => k.at < c.at).at(-1);
    const firstAfter = before && hub.find((e) => e.ev === 'commit' && e.at > before.at + msOf(before)) === c;
    console.log(`  slow commit ${f1(msOf(c))} ms (${String(c.doc)})${before ? `: ${f1(c.at - before.at - msOf(before))} ms after checkpoint (${describe(before, before.at)})${firstAfter ? ', the first commit after it' : ''}` : ''}`);
  }
  if (stalls.length) console.log(`  hub event-loop stalls over 20 ms during the saves: ${stalls.map((s) => `${f1(msOf(s))} ms`).join(', ')}`);
}

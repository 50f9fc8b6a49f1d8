// The agent's one loop with the hub over HTTP. A round: sign in if there is no hub session (and
// a password to do it with), check the session, carry out wipe orders, then the meeting list,
// each meeting's detail and papers, and start what follows from them (links, prefetch). Rounds
// run every `refreshMs` while the hub answers, with backoff (full jitter) while it does not, and
// at once when something asks for one (a link dropped, a paper changed, a sign-in).
import type { DeviceOrder, MeetingDetail, MeetingSummary, PaperInfo, SessionResponse, User } from '../../shared/api.ts';
import type { Log } from '../core/log.ts';
import { RepeatingTask } from '../core/async.ts';
import { Backoff, type BackoffOptions } from './backoff.ts';
import { HubRefusedError, HubUnreachableError } from './hub-client.ts';
import type { MeetingCache } from './meeting-cache.ts';
import type { MeetingPapers } from './prefetch.ts';

/** What a round asks of the hub (HubClient; a unit test passes its own). */
export interface RoundsHub {
  token: string | null;
  raw(pathname: string): Promise<Response>;
  session(): Promise<User>;
  meetings(): Promise<MeetingSummary[]>;
  meeting(id: string): Promise<MeetingDetail>;
  papers(id: string): Promise<PaperInfo[]>;
  orders(deviceId: string): Promise<DeviceOrder[]>;
  ackOrder(id: number, deviceId: string): Promise<void>;
}

/** What a round needs of the account (account.ts). */
export interface RoundsAccount {
  readonly user: User | null;
  readonly login: string | null;
  readonly password: string | null;
  signInUpstream(login: string, password: string): Promise<SessionResponse>;
  /** The hub's current answer about the same user (a role may have changed). */
  refreshUser(me: User): void;
  hubRefusedSession(): 'revoked' | 'lapsed';
  dropPassword(): void;
}

export interface HubRoundsDeps {
  hub: RoundsHub;
  account: RoundsAccount;
  meetings: MeetingCache;
  replicas: { startAll(): void; nudgeAll(windowMs: number): void };
  prefetch: (plan: MeetingPapers[]) => void;
  deviceId: string;
  refreshMs: number;
  backoff: BackoffOptions;
  onWipeOrder?: (order: { meetingId: string; refetch: boolean }) => void;
  /** Ends the pages kept signed in on the device (device-session.ts), before a wipe without refetch. */
  endDeviceSessions?: () => void;
  /** After the wipe orders: recalls this device missed (recall.ts); resolves to the hub's clock. */
  recallRound?: () => Promise<number | null>;
  /** The round reached the hub: the offline clock of classified papers starts again (offline-expiry.ts). */
  onContact?: (hubTime: number | null) => void;
  log: Log;
}

export class HubRounds {
  private linkState: 'online' | 'offline' = 'offline';
  private everOnline = false;
  /** The hub throttles sign-in (429): its Retry-After is waited out, the password kept. */
  private signInNotBefore = 0;
  /** Logged once per stretch without a hub session or a password (operators, and tests, read it). */
  private toldWaiting = false;
  /** Kept-out meetings already logged in this run (the hub lists them every round). */
  private readonly toldKeptOut = new Set<string>();
  private readonly rounds: RepeatingTask;
  private readonly loopBackoff: Backoff;
  private readonly deps: HubRoundsDeps;

  constructor(deps: HubRoundsDeps) {
    this.deps = deps;
    this.loopBackoff = new Backoff(deps.backoff);
    this.rounds = new RepeatingTask(() => this.loopRound(), { delayMs: deps.refreshMs });
  }

  get link(): 'online' | 'offline' {
    return this.linkState;
  }

  /** Starts the loop (its first round at once). */
  start(): void {
    this.rounds.start();
  }

  /** Resolves after the next round (one already asked for and not begun counts). */
  request(): Promise<void> {
    return this.rounds.request();
  }

  /** Something else found the hub away (a sign-in, a forwarded call). */
  markOffline(): void {
    this.setLink('offline');
  }

  /** Stops the loop; a round stuck on a silent network is given up after `graceMs`. */
  async close(graceMs = 2000): Promise<void> {
    await Promise.race([this.rounds.stop(), new Promise((r) => setTimeout(r, graceMs).unref())]);
  }

  private setLink(next: 'online' | 'offline'): void {
    if (this.linkState === next) return;
    this.linkState = next;
    this.deps.log(next === 'online' ? 'hub reachable' : 'hub unreachable: serving from the cache');
    // Back after an outage: links waiting out a long backoff reconnect within a jittered second,
    // spread over the room's tablets rather than all at once.
    if (next === 'online' && this.everOnline) this.deps.replicas.nudgeAll(Math.min(1000, this.deps.backoff.maxMs));
    if (next === 'online') this.everOnline = true;
  }

  /** A round in the loop: the wait before the next is the refresh interval, or backoff while the hub is away. */
  private async loopRound(): Promise<number> {
    try {
      await this.round();
      this.loopBackoff.reset();
      return this.throttledWait() ?? this.deps.refreshMs;
    } catch (err) {
      if (!(err instanceof HubUnreachableError)) this.deps.log('round with the hub failed', { error: String(err), stack: (err as Error).stack });
      this.setLink('offline');
      return this.loopBackoff.next();
    }
  }

  /** One round (public: unit tests drive rounds one at a time, without the loop). */
  async round(): Promise<void> {
    const { hub, account, meetings } = this.deps;
    if (!hub.token) {
      if (!(await this.signInAgain())) return;
    }
    this.toldWaiting = false;
    let hubTime: number | null = null;
    if (!(await this.unlessUnauthorized(async () => {
      const me = await hub.session();
      // In effect an account switch: the cached user's notes are kept for them.
      if (account.user && me.id !== account.user.id) {
        meetings.purgeEverything('the hub session belongs to another user', true);
        return false;
      }
      account.refreshUser(me);
      await this.applyOrders();
      hubTime = (await this.deps.recallRound?.()) ?? null;
      return true;
    }))) return;
    const list = (await hub.meetings()).filter((m) => {
      if (!meetings.isWiped(m.id)) return true;
      if (!this.toldKeptOut.has(m.id)) this.deps.log('keeping out a meeting a hub wipe order removed, until the user signs in again', { meetingId: m.id });
      this.toldKeptOut.add(m.id);
      return false;
    });
    const listed = new Set(list.map((m) => m.id));
    for (const id of meetings.ids()) if (!listed.has(id)) meetings.purgeMeeting(id, 'no longer in the hub\'s meeting list');
    for (const s of list) meetings.keep(s);
    for (const s of list) {
      const ok = await this.unlessUnauthorized(async () => {
        try {
          const detail = await hub.meeting(s.id);
          const papers = await hub.papers(s.id);
          meetings.putDetail(s.id, detail, papers);
        } catch (err) {
          if (!(err instanceof HubRefusedError && (err.status === 403 || err.status === 404))) throw err;
          meetings.purgeMeeting(s.id, `the hub answered ${err.status} for it`);
        }
        return true;
      });
      if (!ok) return;
    }
    meetings.collectBlobs();
    this.setLink('online');
    // Before the prefetch: papers whose keys expired are deleted here and fetched again by it.
    this.deps.onContact?.(hubTime);
    this.deps.replicas.startAll();
    this.deps.prefetch(meetings.plan());
  }

  /**
   * The hub throttled our sign-in (429): the next round comes once its Retry-After is over,
   * spread over as long again, not a whole refresh interval later. Fifty agents started at once
   * (the distribution bench) have more sign-ins of one account in flight than the hub lets through
   * at a time; the 35 it refused then waited the bench's 120 s refresh and never came online.
   */
  private throttledWait(): number | null {
    const wait = this.signInNotBefore - Date.now();
    if (this.deps.hub.token || wait <= 0) return null;
    const spread = Math.floor((this.deps.backoff.random ?? Math.random)() * wait);
    return Math.min(this.deps.refreshMs, wait + spread);
  }

  /** No hub session: signs in with the kept password, or just checks the hub is there. False: stop this round. */
  private async signInAgain(): Promise<boolean> {
    const { hub, account, log } = this.deps;
    const { login, password } = account;
    if (!login || !password) {
      if (!this.toldWaiting) log('no hub session and no password to sign in with: waiting for a client to sign in');
      this.toldWaiting = true;
      // Nobody to sign in as: just learn whether the hub is there, for the status.
      await hub.raw('/health').then((r) => r.body?.cancel());
      this.setLink('online');
      return false;
    }
    if (Date.now() < this.signInNotBefore) return false;
    try {
      await account.signInUpstream(login, password);
      return true;
    } catch (err) {
      if (err instanceof HubRefusedError && err.status === 429) {
        this.signInNotBefore = Date.now() + (err.retryAfterSec ?? 5) * 1000;
        log('the hub is throttling sign-in; trying again later', { login, retryAfterSec: err.retryAfterSec });
        return false;
      }
      if (err instanceof HubRefusedError) {
        log('the hub refused the sign-in; waiting for a client to sign in', { login, status: err.status });
        account.dropPassword();
        return false;
      }
      throw err;
    }
  }

  /** Runs a step; a 401 from the hub ends the round (revoked: purge; lapsed: sign in again later). */
  private async unlessUnauthorized(step: () => Promise<boolean>): Promise<boolean> {
    try {
      return await step();
    } catch (err) {
      if (!(err instanceof HubRefusedError && err.status === 401)) throw err;
      if (this.deps.account.hubRefusedSession() === 'revoked') this.deps.meetings.purgeEverything('the hub revoked this session');
      return false;
    }
  }

  /** Carries out the hub's pending wipe orders for this device, then acknowledges each. */
  private async applyOrders(): Promise<void> {
    const { hub, meetings, deviceId, log } = this.deps;
    let orders;
    try {
      orders = await hub.orders(deviceId);
    } catch (err) {
      // A hub from before wipe orders: nothing to do.
      if (err instanceof HubRefusedError && err.status === 404) return;
      throw err;
    }
    for (const o of orders) {
      // The unacknowledged order is delivered (and the purge done) again after a crash.
      if (!o.refetch) {
        meetings.keepOut(o.meetingId);
        this.deps.endDeviceSessions?.();
      }
      meetings.wipeMeeting(o.meetingId, `wipe order ${o.id} from the hub`);
      await hub.ackOrder(o.id, deviceId);
      log('carried out a wipe order from the hub', { order: o.id, meetingId: o.meetingId, refetch: o.refetch });
      this.deps.onWipeOrder?.({ meetingId: o.meetingId, refetch: o.refetch });
    }
  }
}

// One upstream link per replicated document: y-websocket's provider on the very Y.Doc the local
// SyncCore serves, so every update from the hub is committed locally (SyncCore's update handler
// runs first) and every local update travels up.
//
// The provider's own reconnect loop is switched off at each close (`shouldConnect = false` in
// the 'connection-close' handler, before its timer fires) and replaced by ours: exponential
// backoff with full jitter, and 44xx closes (refused, revoked, gone) handed to the agent, which
// asks the hub over HTTP what happened instead of retrying blindly.
import type * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as authProtocol from 'y-protocols/auth';
import type * as decoding from 'lib0/decoding';
import { Backoff, type BackoffOptions } from './backoff.ts';

export interface UpstreamEvents {
  onSynced: (name: string) => void;
  onRefused: (name: string, code: number, reason: string) => void;
  /** `wasConnected`: a live link dropped (worth checking the hub), not a failed attempt. */
  onDisconnected: (name: string, wasConnected: boolean) => void;
  /** The hub dropped one of our updates as not permitted (the user's role changed meanwhile). */
  onDenied: (name: string, reason: string) => void;
}

export class Upstream {
  readonly name: string;
  readonly provider: WebsocketProvider;
  private readonly backoff: Backoff;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly token: () => string | null;
  private readonly events: UpstreamEvents;
  /** Refused by the hub (44xx): waits for the agent to decide, no automatic retry. */
  private parked = false;

  constructor(opts: { name: string; doc: Y.Doc; wsUrl: string; token: () => string | null; backoff: BackoffOptions; events: UpstreamEvents }) {
    this.name = opts.name;
    this.token = opts.token;
    this.events = opts.events;
    this.backoff = new Backoff(opts.backoff);
    this.provider = new WebsocketProvider(opts.wsUrl, opts.name, opts.doc, {
      connect: false,
      disableBc: true,
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: {},
    });
    // The provider hooks process 'exit' to clear a local presence the agent never sets; with
    // dozens of documents that is only a listener leak warning.
    process.off('exit', (this.provider as unknown as { _exitHandler: () => void })._exitHandler);
    // The agent has no presence of its own to announce upstream.
    this.provider.awareness.setLocalState(null);
    // The provider's default answer to a refused write is console.warn; ours goes to the agent.
    this.provider.messageHandlers[2] = (_encoder: unknown, decoder: decoding.Decoder) => {
      authProtocol.readAuthMessage(decoder, opts.doc, (_doc, reason) => this.events.onDenied(this.name, reason));
    };
    this.provider.on('connection-close', (event: CloseEvent | null) => {
      // Take the reconnect decision away from the provider before its own timer runs.
      const wasConnected = this.provider.wsconnected;
      this.provider.shouldConnect = false;
      if (this.stopped) return;
      this.events.onDisconnected(this.name, wasConnected);
      if (event && event.code >= 4400 && event.code < 4500) {
        this.parked = true;
        this.events.onRefused(this.name, event.code, event.reason);
        return;
      }
      this.schedule(this.backoff.next());
    });
    this.provider.on('sync', (synced: boolean) => {
      if (!synced || this.stopped) return;
      this.backoff.reset();
      this.events.onSynced(this.name);
    });
  }

  get synced(): boolean {
    return this.provider.synced;
  }

  get connected(): boolean {
    return this.provider.wsconnected;
  }

  /** Connects now if idle (not already connected, connecting or waiting on a timer). */
  start(): void {
    if (this.stopped || this.provider.ws !== null || this.timer) return;
    this.parked = false;
    this.connectNow();
  }

  /**
   * The hub answered again after an outage: reconnect within a short jittered window instead of
   * waiting out a long backoff, but still spread over the room's tablets.
   */
  nudge(windowMs: number): void {
    if (this.stopped || this.provider.ws !== null) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.parked = false;
    this.schedule(Math.floor(Math.random() * windowMs));
  }

  get isParked(): boolean {
    return this.parked;
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connectNow();
    }, ms);
    this.timer.unref?.();
  }

  private connectNow(): void {
    if (this.stopped) return;
    const token = this.token();
    // No hub session: the agent reconnects us once a sign-in gives it one.
    if (!token) return;
    this.provider.params = { token };
    this.provider.connect();
  }

  /** Drops the link (e.g. the hub token changed); the next start() uses the current token. */
  restart(): void {
    if (this.stopped) return;
    this.provider.disconnect();
    // disconnect() reports a close, which schedules a retry: replaced by connecting now.
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.connectNow();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.provider.destroy();
    this.provider.awareness.destroy();
  }
}

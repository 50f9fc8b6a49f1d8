// The top bar's connection state (renderer/app/connection.ts): a tablet whose agent works while
// the hub is away is "On this device" (calm), still `offline` for everything that reads the
// state; the page's own server gone, a refused replica or a browser without network stay trouble.
import { describe, expect, it } from 'vitest';
import { combineState } from '../../renderer/app/connection.ts';
import type { AgentStatus } from '../../shared/api.ts';

const agent = (hub: AgentStatus['hub']): AgentStatus => ({ hub } as AgentStatus);

describe('connection state', () => {
  it('is on this device when only the agent\'s hub link is down', () => {
    expect(combineState(['synced'], agent('offline'), true)).toEqual({ state: 'offline', hubOffline: true, onDevice: true });
    // The meeting list (no replica open) with the agent answering its /health probe.
    expect(combineState([], agent('offline'), true, true)).toEqual({ state: 'offline', hubOffline: true, onDevice: true });
  });

  it('is real trouble when the page\'s own server is gone or a replica is refused, hub link or not', () => {
    expect(combineState(['offline'], agent('offline'), true).onDevice).toBe(false);
    expect(combineState(['refused'], agent('online'), true)).toEqual({ state: 'offline', hubOffline: false, onDevice: false });
    expect(combineState([], agent('offline'), true, false)).toEqual({ state: 'offline', hubOffline: false, onDevice: false });
    expect(combineState(['synced'], null, false)).toEqual({ state: 'offline', hubOffline: false, onDevice: false });
  });

  it('is online or syncing otherwise', () => {
    expect(combineState(['synced'], null, true)).toEqual({ state: 'online', hubOffline: false, onDevice: false });
    expect(combineState(['syncing'], agent('online'), true)).toEqual({ state: 'syncing', hubOffline: false, onDevice: false });
    expect(combineState(['synced'], agent('syncing'), true).state).toBe('syncing');
  });
});

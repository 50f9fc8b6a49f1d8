// Room-device behaviour: one instance per device, and the display kept awake while a meeting
// is live (a dimming tablet mid-vote is the complaint this prevents).

/** The slice of Electron's app used for the single-instance lock. */
export interface SingleInstanceApp {
  requestSingleInstanceLock(): boolean;
  on(event: 'second-instance', listener: () => void): unknown;
  quit(): void;
}

/**
 * Returns false (and quits) when another instance already runs; that instance is told to come
 * to the front instead. Two instances would open the same encrypted cache twice.
 */
export function enforceSingleInstance(app: SingleInstanceApp, focusExisting: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', focusExisting);
  return true;
}

/** The slice of Electron's powerSaveBlocker. */
export interface PowerSaveBlockerLike {
  start(type: 'prevent-app-suspension' | 'prevent-display-sleep'): number;
  stop(id: number): boolean;
  isStarted(id: number): boolean;
}

export class KeepAwake {
  private blockerId: number | null = null;
  private readonly blocker: PowerSaveBlockerLike;
  private readonly enabled: boolean;

  constructor(blocker: PowerSaveBlockerLike, enabled: boolean) {
    this.blocker = blocker;
    this.enabled = enabled;
  }

  /** Called with each live-state report from the page; idempotent. */
  setLive(live: boolean): void {
    if (live && this.enabled) {
      if (this.blockerId !== null && this.blocker.isStarted(this.blockerId)) return;
      this.blockerId = this.blocker.start('prevent-display-sleep');
    } else {
      this.release();
    }
  }

  get active(): boolean {
    return this.blockerId !== null && this.blocker.isStarted(this.blockerId);
  }

  release(): void {
    if (this.blockerId === null) return;
    if (this.blocker.isStarted(this.blockerId)) this.blocker.stop(this.blockerId);
    this.blockerId = null;
  }
}

// One procedure command at a time per control: busy while it runs, then the hub's refusal or the
// plain "this needs the room's hub" when no hub answered. The live doc shows the outcome (the hub
// mirrors every change), so success needs no state here.
import { useCallback, useState } from 'react';
import { needsHub } from './procedure-api.ts';
import { refusalOf, type Refusal } from './refusals.ts';

export interface CommandState {
  busy: boolean;
  /** The hub's refusal (its code and its words; refusals.ts puts it in the reader's language). */
  error: Refusal | null;
  /** The last attempt reached no hub (the agent answered 503, or nothing answered). */
  hubMissing: boolean;
  /** Runs `fn` (the control disables itself while busy); true when it succeeded. */
  run: (fn: () => Promise<unknown>) => Promise<boolean>;
}

export function useCommand(): CommandState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Refusal | null>(null);
  const [hubMissing, setHubMissing] = useState(false);
  const run = useCallback(async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    setHubMissing(false);
    try {
      await fn();
      return true;
    } catch (err) {
      if (needsHub(err)) setHubMissing(true);
      else setError(refusalOf(err));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, hubMissing, run };
}

// The signed-in session as the screens see it: token, user, API client, the agent's status (on a
// tablet) and sign-out. Its own module so the screens and the shell around them do not import
// each other.
import { createContext, useContext } from 'react';
import type { AgentStatus, User } from '../../shared/api.ts';
import type { Api } from '../api.ts';

export interface Session {
  token: string;
  user: User;
  api: Api;
  offline: boolean;
  agent: AgentStatus | null;
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export const useSession = (): Session => {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in tree');
  return s;
};

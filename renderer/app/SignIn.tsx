// Sign-in: `Login`, `Password`, `Sign in` (the brief's names). On a tablet the agent checks the
// password with the hub when it can, and offline against what it kept from the last sign-in.
import { useState, type FormEvent } from 'react';
import type { User } from '../../shared/api.ts';
import { ApiError, signIn } from '../api.ts';
import { saveSession } from '../session.ts';
import { useT } from '../i18n/index.tsx';
import { errorText } from '../i18n/error-text.ts';

export function SignIn({ onSignedIn }: { onSignedIn: (s: { token: string; user: User; offline?: boolean }) => void }) {
  const t = useT();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await signIn(login.trim(), password);
      const s = { token: res.token, user: res.user, offline: res.offline };
      saveSession(s);
      onSignedIn(s);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t('error.signin'));
      else if (err instanceof ApiError && err.unreachable) setError(t('error.network'));
      else setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="signin card" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
      <h1 id="signin-title">{t('signin.title')}</h1>
      <label>
        {t('signin.login')}
        <input name="login" autoComplete="username" autoCapitalize="none" spellCheck={false} required value={login} onChange={(e) => setLogin(e.target.value)} autoFocus />
      </label>
      <label>
        {t('signin.password')}
        <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit" className="primary" disabled={busy}>{busy ? t('signin.busy') : t('signin.submit')}</button>
    </form>
  );
}

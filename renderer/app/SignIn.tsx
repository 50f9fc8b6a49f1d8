// Sign-in: `Login`, `Password`, `Sign in` (the brief's names). On a tablet the agent checks the
// password with the hub when it can, and offline against what it kept from the last sign-in.
import { useState, type FormEvent } from 'react';
import type { User } from '../../shared/api.ts';
import { ApiError, signIn } from '../api.ts';
import { rememberDevice, saveSession } from '../session.ts';
import { useT } from '../i18n/index.tsx';
import { errorText } from '../i18n/error-text.ts';
import { Icon } from '../ui/icons.tsx';

/** `offersDevice`: served by an agent, which can keep this device signed in (session.ts). */
export function SignIn({ onSignedIn, offersDevice = false }: { onSignedIn: (s: { token: string; user: User; offline?: boolean }) => void; offersDevice?: boolean }) {
  const t = useT();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // On by default: an agent serves one user per device, and another user's sign-in ends it.
  const [stay, setStay] = useState(true);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await signIn(login.trim(), password);
      const s = { token: res.token, user: res.user, offline: res.offline };
      saveSession(s);
      // Before the screens change: a page closed right after still finds the device signed in.
      if (offersDevice && stay) await rememberDevice(res.token);
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
      <span className="signin-mark" aria-hidden="true"><Icon name="paper" size={26} /></span>
      <h1 id="signin-title">{t('signin.title')}</h1>
      <p className="signin-hint muted small">{t('layout.signinHint')}</p>
      <label>
        {t('signin.login')}
        <input name="login" autoComplete="username" autoCapitalize="none" spellCheck={false} required value={login} onChange={(e) => setLogin(e.target.value)} autoFocus />
      </label>
      <label>
        {t('signin.password')}
        <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {offersDevice && (
        <label className="signin-stay">
          <input type="checkbox" name="stay" checked={stay} onChange={(e) => setStay(e.target.checked)} aria-describedby="signin-stay-hint" />
          {t('device.stay')}
        </label>
      )}
      {offersDevice && <p id="signin-stay-hint" className="signin-stay-hint muted small">{t('device.stayHint')}</p>}
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit" className="primary" disabled={busy}>{busy ? t('signin.busy') : t('signin.submit')}</button>
    </form>
  );
}

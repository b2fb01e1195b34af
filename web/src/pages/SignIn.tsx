import { useState, type FormEvent } from 'react';
import { CognitoError, signIn } from '../auth/cognito.ts';
import { useServices } from '../app/context.tsx';
import { navigate, useLocation } from '../app/router.ts';
import { Field } from '../ui/components.tsx';

/** Only paths inside the app are followed after sign-in (no open redirect through `next`). */
const safeNext = (next: string | null): string => (next !== null && next.startsWith('/') && !next.startsWith('/sign-in') ? next : '/');

export function SignInPage() {
  const { config, session } = useServices();
  const { query } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      session.set(await signIn(config.cognito, email.trim(), password));
      navigate(safeNext(query.get('next')), { replace: true });
    } catch (caught) {
      setError(
        caught instanceof CognitoError
          ? caught.message
          : 'Could not reach the sign-in service. Check your connection and try again.',
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="page-title" className="narrow">
      <h1 id="page-title" tabIndex={-1}>
        Sign in
      </h1>
      {query.has('next') && <p>Sign in to continue.</p>}
      <form onSubmit={submit} noValidate>
        {error && (
          <div role="alert" className="alert">
            {error}
          </div>
        )}
        <Field label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}

/** Small accessible building blocks: a labelled field with its error, alerts, money and dates. */
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import { ApiError, describeError, fieldErrors, type Problem, unplacedFieldErrors } from '../api/problem.ts';
import { goToSignIn } from '../app/context.tsx';

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  /** The API's error for this field, shown under it and tied to it for screen readers. */
  error?: string | undefined;
  hint?: string;
}

export function Field({ label, error, hint, ...input }: FieldProps) {
  const id = useId();
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {label}: {error}
        </p>
      )}
    </div>
  );
}

interface SelectProps extends SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  error?: string | undefined;
  children: ReactNode;
}

export function Select({ label, error, children, ...select }: SelectProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} {...select}>
        {children}
      </select>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {label}: {error}
        </p>
      )}
    </div>
  );
}

/** An error that is not about one field; a 401 sends to sign-in instead (the client already signed out). */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (error === undefined || error === null) return null;
  if (error instanceof ApiError && error.status === 401) {
    return (
      <div role="alert" className="alert">
        Your session has ended. <button type="button" className="link" onClick={goToSignIn}>Sign in again</button>
      </div>
    );
  }
  return (
    <div role="alert" className="alert">
      <p>{describeError(error)}</p>
      {onRetry && error instanceof ApiError && (error.isNetworkFailure || error.status >= 500) && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/**
 * The summary above a form the API refused: which fields to correct (each field shows its own
 * error), or the problem's detail with the errors no field on the form can show.
 */
export function FormProblems({ problem, shownFields }: { problem: Problem | undefined; shownFields: readonly string[] }) {
  if (!problem) return null;
  const errors = fieldErrors(problem);
  const otherErrors = unplacedFieldErrors(problem, shownFields);
  return (
    <div role="alert" className="alert">
      <p>{otherErrors.length > 0 ? problem.detail : `Correct the ${Object.keys(errors).length === 1 ? 'field' : 'fields'} marked below.`}</p>
      {otherErrors.length > 0 && (
        <ul>
          {otherErrors.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="muted">
      Loading {what}…
    </p>
  );
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** Minor units (cents) as money: 1999 USD → $19.99. */
export function formatMoney(minorUnits: number, currency: string): string {
  let format = moneyFormats.get(currency);
  if (format === undefined) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    moneyFormats.set(currency, format);
  }
  return format.format(minorUnits / 100);
}

export const formatTime = (iso: string): string =>
  new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'medium' });

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status.toLowerCase()}`}>{status.replace('_', ' ')}</span>;
}

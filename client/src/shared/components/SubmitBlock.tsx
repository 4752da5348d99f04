import type { ReactNode } from 'react';
import { ErrorNotice, SuccessNotice } from './ErrorNotice.tsx';

interface SubmitBlockProps {
  /** A line above the button on what sending does. */
  note?: ReactNode;
  label: ReactNode;
  /** What the button says while the request is out (default: the label). */
  pendingLabel?: ReactNode;
  pending: boolean;
  /** Further reasons the button is off, besides a request being out. */
  disabled?: boolean;
  className?: string;
  /** The refusal of the last attempt, under its title. */
  error: unknown;
  refusedTitle: string;
  /** What the server accepted, once it has. */
  success?: ReactNode;
}

/** The end of a form that sends one request: its note, the submit button, the refusal or the success. */
export function SubmitBlock({ note, label, pendingLabel, pending, disabled = false, className = 'btn btn--primary', error, refusedTitle, success }: SubmitBlockProps) {
  return (
    <>
      {note ? <p className="muted small">{note}</p> : null}
      <button type="submit" className={className} disabled={pending || disabled}>
        {pending && pendingLabel ? pendingLabel : label}
      </button>
      <ErrorNotice error={error} title={refusedTitle} />
      {success ? <SuccessNotice>{success}</SuccessNotice> : null}
    </>
  );
}

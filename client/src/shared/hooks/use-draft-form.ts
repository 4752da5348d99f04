import { useState, type FormEvent } from 'react';

/**
 * The state of a form that edits a draft and sends it as one request: the draft, whether a send
 * was attempted (field errors show only from then on) and what the server made of the last send.
 * Any edit clears the last result and refusal, which no longer describe what is on screen.
 */
export function useDraftForm<D, R>(initial: () => D, mutation: { error: unknown; reset: () => void }) {
  const [draft, setDraft] = useState<D>(initial);
  const [attempted, setAttempted] = useState(false);
  const [done, setDone] = useState<R | null>(null);
  const clearDone = () => {
    setDone(null);
    if (mutation.error) mutation.reset();
  };
  return {
    draft,
    setDraft,
    attempted,
    done,
    setDone,
    set: (patch: Partial<D>) => {
      setDraft((d) => ({ ...d, ...patch }));
      clearDone();
    },
    /** Handles the submit event; true when the draft may be sent. */
    attempt: (e: FormEvent, valid: boolean) => {
      e.preventDefault();
      setAttempted(true);
      return valid;
    },
    /** The server took it: show the result and start again from `next`. */
    succeeded: (result: R, next: D) => {
      setDone(result);
      setAttempted(false);
      setDraft(next);
    },
  };
}

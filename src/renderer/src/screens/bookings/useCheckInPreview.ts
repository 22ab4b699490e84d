import { useEffect, useState } from 'react';
import type { Input, Output } from '../../../../shared/contract';
import type { FieldErrors } from '../../format/errors';
import { debouncer, latestOnly } from '../../lib/latest';
import { useBookings } from '../../stores/bookingStore';

export type CheckInPreview = Output<'bookings.checkInPreview'>;

export type PreviewState = {
  /** Main's price for the readings as typed; null until they are complete and valid. */
  preview: CheckInPreview | null;
  /** Main's field errors for the readings as typed (the same rules as the save). */
  fields: FieldErrors;
  /** A refusal that names no field (e.g. the booking is no longer out). */
  problem: string | null;
  pending: boolean;
};

const EMPTY: PreviewState = { preview: null, fields: {}, problem: null, pending: false };

/** Typing pauses this long before the form is re-priced: one call per pause, not per key. */
const QUIET_MS = 200;

/**
 * Re-prices a check-in as the clerk types. `input` is null while the form is incomplete; only
 * the newest request's answer is shown, so a slow answer for old readings never wins.
 */
export function useCheckInPreview(input: Input<'bookings.checkInPreview'> | null): PreviewState & { stop(): void } {
  const previewCheckIn = useBookings((s) => s.previewCheckIn);
  const [quiet] = useState(() => debouncer(QUIET_MS));
  const [latest] = useState(() => latestOnly());
  const [state, setState] = useState<PreviewState>(EMPTY);
  // The effect re-runs when the readings change, not when the caller rebuilds an equal object.
  const key = input === null ? null : JSON.stringify(input);

  useEffect(() => {
    if (key === null) {
      quiet.cancel();
      latest.invalidate();
      setState(EMPTY);
      return;
    }
    setState((s) => ({ ...s, pending: true }));
    quiet.schedule(() => {
      void (async () => {
        const answer = await latest(() => previewCheckIn(JSON.parse(key) as Input<'bookings.checkInPreview'>));
        if (answer.stale) return;
        const res = answer.value;
        if (res.ok) {
          setState({ preview: res.value, fields: {}, problem: null, pending: false });
        } else {
          const fields = res.error.fields ?? {};
          setState({ preview: null, fields, problem: Object.keys(fields).length === 0 ? res.error.message : null, pending: false });
        }
      })();
    });
  }, [key, quiet, latest, previewCheckIn]);

  useEffect(
    () => () => {
      quiet.cancel();
      latest.invalidate();
    },
    [quiet, latest],
  );

  return {
    ...state,
    stop() {
      quiet.cancel();
      latest.invalidate();
      setState((s) => ({ ...s, pending: false }));
    },
  };
}

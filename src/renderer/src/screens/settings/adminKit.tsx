import { useCallback, useEffect, useRef, useState } from 'react';
import type { Input, MethodName, Output } from '../../../../shared/contract';
import type { PosErrorShape } from '../../../../shared/errors';
import { call } from '../../rpc/client';
import { useApp } from '../../stores/appStore';

/**
 * Small helpers the office screens share: load a list, run a change and keep its field errors,
 * the same habits as the booking form (errors under the control, a notice with main's sentence).
 */
export function useLoad<M extends MethodName>(method: M, input: Input<M>, deps: readonly unknown[] = []) {
  const [data, setData] = useState<Output<M> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(input);
  const reload = useCallback(async () => {
    const res = await call(method, JSON.parse(key) as Input<M>);
    if (res.ok) {
      setData(res.value);
      setError(null);
    } else setError(res.error.message);
  }, [method, key, ...deps]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, reload };
}

/** Runs one change; on failure keeps `fields` for the form and shows main's sentence. */
export function useChange() {
  const notify = useApp((s) => s.notify);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  // Main's sentence for the last failure, for a dialog to show where the person is looking.
  const [error, setError] = useState<string | null>(null);
  // The last failure as main sent it, readable at once after `run` (state updates land later).
  const last = useRef<PosErrorShape | null>(null);
  async function run<M extends MethodName>(method: M, input: Input<M>, done?: string): Promise<Output<M> | null> {
    setBusy(true);
    const res = await call(method, input);
    setBusy(false);
    last.current = res.ok ? null : res.error;
    if (res.ok) {
      setFields({});
      setError(null);
      // An earlier failure's notice would now be wrong.
      useApp.getState().dismissErrors();
      if (done) notify('success', done);
      return res.value;
    }
    setFields(res.error.fields ?? {});
    setError(res.error.message);
    notify('error', res.error.message);
    return null;
  }
  const clear = () => {
    setFields({});
    setError(null);
  };
  return { run, fields, setFields, busy, error, clear, lastError: () => last.current };
}

export type FieldErrorsOf = Record<string, string>;

/** The error for a control: exact key, else one beneath it. */
export function errorFor(fields: FieldErrorsOf, key: string): string | undefined {
  if (fields[key] !== undefined) return fields[key];
  const nested = Object.keys(fields).find((k) => k.startsWith(`${key}.`));
  return nested === undefined ? undefined : fields[nested];
}

import type { Status } from '../../../shared/contract/app';

/**
 * Holds what the title bar's connectivity and sync badge shows. Probes and the sync client
 * report into it; each real change is pushed to the renderer.
 */
export type StatusMonitor = {
  current(): Status;
  update(patch: Partial<Status>): void;
};

export function createStatusMonitor(initial: Status, onChange: (s: Status) => void): StatusMonitor {
  let status = initial;
  return {
    current: () => status,
    update(patch) {
      const next = { ...status, ...patch };
      if (JSON.stringify(next) === JSON.stringify(status)) return;
      status = next;
      onChange(next);
    },
  };
}

import type { AppInfo } from '../../../shared/contract/app';
import type { Link, StripeLink } from '../../core/links';
import type { Module } from '../../core/module';
import type { SessionStore } from '../../core/session';
import { appHandlers } from './appHandlers';
import { connectivityJob } from './connectivityJob';
import type { StatusMonitor } from './statusMonitor';

export { CONNECTIVITY_JOB } from './connectivityJob';
export { adoptInstallId, ensureInstallId } from './installId';
export { demoStartSession, rememberSession } from './sessionMemory';
export { createStatusMonitor } from './statusMonitor';
export type { StatusMonitor } from './statusMonitor';

/** The app itself: what it is (`app.info`), how it is doing (`app.status`), who is signed in; the connectivity probe. */
export function createAppModule(deps: {
  info: () => AppInfo;
  status: StatusMonitor;
  session: SessionStore;
  stripe: () => Link<StripeLink>;
  probeEveryMs?: number;
}): Module {
  const demo = () => deps.info().mode === 'demo';
  return {
    name: 'app',
    handlers: appHandlers(deps),
    jobs: [connectivityJob({ stripe: deps.stripe, demo: demo(), everyMs: deps.probeEveryMs })],
  };
}
